"""Recording one walk-in: the lookup, the worker's consent record and, optionally, the ID check."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from screener.access.identity import identity_check_record
from screener.models import IdentityProof, Lookup, OutreachEvent
from screener.outreach.quotas import quota_message, quota_use
from screener.services import LookupDetails, lookup_submit

ADD_PERMISSION = "screener.add_lookup"


class QuotaReached(Exception):
    """The worker's or the event's quota for today is used up; the message says which."""


@dataclass(frozen=True)
class Intake:
    lookup: Lookup
    created: bool  # False: this token (or these details) made the lookup already


def walkin_record(
    *,
    details: LookupDetails,
    worker,
    event: OutreachEvent,
    intake_token: str,
    id_kind: str = "",
    ip_address: str | None = None,
) -> Intake:
    """Record a walk-in entered by `worker` at `event`, once per `intake_token`.

    The same token again (a double click, a retry after a dropped connection) returns the lookup
    it made, with nothing recorded twice. `id_kind` set: the worker checked the person's photo
    ID in person, which is proof of identity (level 2) for this lookup.
    """
    if not worker.has_perm(ADD_PERMISSION):
        raise PermissionDenied(_("You do not have permission to enter walk-ins."))
    earlier = Lookup.objects.filter(intake_token=intake_token).first()
    if earlier is not None:
        return Intake(lookup=earlier, created=False)
    message = quota_message(quota_use(worker=worker, event=event))
    if message:
        raise QuotaReached(message)
    with transaction.atomic():
        lookup, created = lookup_submit(
            details=details,
            channel=Lookup.Channel.OUTREACH,
            submitted_by=worker,
            event=event,
            ip_address=ip_address,
            intake_token=intake_token,
        )
        if created:
            audit_record(
                actor=worker,
                action=Action.OUTREACH_WALKIN_ENTERED,
                obj=lookup,
                summary=f"Walk-in {lookup.reference} entered at event {event.pk}",
                detail={
                    "event": event.pk,
                    "person_consented": True,
                    "contact": bool(details.email or details.phone),
                },
                ip_address=ip_address,
            )
        if id_kind and not lookup.identity_proofs.exists():
            identity_check_record(
                lookup_id=lookup.pk,
                actor=worker,
                method=IdentityProof.Method.IN_PERSON,
                id_kind=id_kind,
                ip_address=ip_address,
            )
    return Intake(lookup=lookup, created=created)
