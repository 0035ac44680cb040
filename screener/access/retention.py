"""Erasing what the disclosure rules store, once it has done its job (a beat job, hourly).

screener.services.lookups_anonymize_expired erases a lookup's details after its retention
period; this erases the records the disclosure rules add, sooner:
- one-time codes a day after they expired (they work for ten minutes);
- result links RESULT_LINK_EXPIRED_KEPT_DAYS after they expired (until then an old link says
  "expired", not "does not work") and every link and code of an anonymized lookup;
- identity proofs of anonymized lookups (the audit log keeps that a proof was made);
- the person and device keys of lookups older than ABUSE_WINDOW_DAYS or anonymized;
- holds that staff have not decided within ABUSE_WINDOW_DAYS: declined (not answered), so the
  retention job then anonymizes them like any answered lookup.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.actions import Action
from audit.services import audit_record
from screener.access.abuse import lookup_hold_decline
from screener.models import ContactCode, IdentityProof, Lookup, ResultLink

RESULT_LINK_EXPIRED_KEPT_DAYS = 30
CODE_KEPT_AFTER_EXPIRY = timedelta(days=1)


def access_records_expire(*, now: datetime | None = None) -> dict[str, int]:
    """Erase expired codes, links, proofs and keys; decline holds left undecided. Audited."""
    now = now or timezone.now()
    window_start = now - timedelta(days=settings.ABUSE_WINDOW_DAYS)
    anonymized = Q(lookup__anonymized_at__isnull=False)
    counts: dict[str, int] = {}
    with transaction.atomic():
        counts["codes"] = ContactCode.objects.filter(
            Q(expires_at__lt=now - CODE_KEPT_AFTER_EXPIRY) | anonymized
        ).delete()[0]
        counts["links"] = ResultLink.objects.filter(
            Q(expires_at__lt=now - timedelta(days=RESULT_LINK_EXPIRED_KEPT_DAYS)) | anonymized
        ).delete()[0]
        counts["proofs"] = IdentityProof.objects.filter(anonymized).delete()[0]
        counts["keys"] = (
            Lookup.objects.filter(Q(created_at__lt=window_start) | Q(anonymized_at__isnull=False))
            .filter(~Q(person_key="") | ~Q(device_key=""))
            .update(person_key="", device_key="")
        )
    stale_holds = Lookup.objects.filter(status=Lookup.Status.HELD, created_at__lt=window_start)
    counts["holds_declined"] = 0
    for lookup_id in stale_holds.values_list("pk", flat=True):
        lookup_hold_decline(
            lookup_id=lookup_id,
            actor=None,
            reason=f"Not decided by staff within {settings.ABUSE_WINDOW_DAYS} days",
        )
        counts["holds_declined"] += 1
    if any(counts.values()):
        audit_record(
            actor=None,
            action=Action.ACCESS_RECORD_ERASED,
            summary="Expired codes, links, proofs and abuse keys erased",
            detail=counts,
        )
    return counts
