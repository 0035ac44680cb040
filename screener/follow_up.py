"""Following up "more information" requests: when each is due, and the calls staff make.

A lookup in MORE_INFO waits on the follow-up list (screener/admin/follow_up.py) until the person
answers and a reviewer reopens it. It is due MORE_INFO_FOLLOW_UP_DAYS business days after the
request, or after the last call; people who gave only a phone number got a text saying staff
will call, so the list shows reviewers the number and records each call here.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.locking import for_change
from audit.services import audit_record
from screener.models import FollowUpCall, Lookup
from screener.services import DECIDE_PERMISSION


def business_days_after(day: date, days: int) -> date:
    """`days` working days (Monday to Friday) after `day`."""
    result = day
    while days > 0:
        result += timedelta(days=1)
        if result.weekday() < 5:
            days -= 1
    return result


def follow_up_due(*, asked_at: datetime, last_call_at: datetime | None, days: int) -> date:
    """When a request for more information next needs a reviewer: `days` business days after
    the request, or after the last call when there was one."""
    since = max(asked_at, last_call_at) if last_call_at else asked_at
    return business_days_after(timezone.localdate(since), days)


def follow_up_call_record(
    *, lookup_id: int, caller, outcome: str, ip_address: str | None = None
) -> FollowUpCall:
    """Record a reviewer's call to a person whose lookup waits for their answer."""
    if not caller.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied(_("You do not have permission to follow up lookups."))
    if outcome not in FollowUpCall.Outcome.values:
        raise ValidationError(_("Choose how the call went."), code="outcome")
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if lookup.status != Lookup.Status.MORE_INFO or lookup.anonymized_at is not None:
            raise ValidationError(
                _("Lookup %(reference)s is not waiting for the person's answer.")
                % {"reference": lookup.reference},
                code="not_waiting",
            )
        call = FollowUpCall(lookup=lookup, caller=caller, outcome=outcome)
        call.full_clean()
        call.save()
        audit_record(
            actor=caller,
            action=Action.FOLLOW_UP_CALL_RECORDED,
            obj=lookup,
            summary=f"Lookup {lookup.reference}: follow-up call, {outcome}",
            detail={"follow_up_call_id": call.pk, "outcome": outcome},
            ip_address=ip_address,
        )
    return call
