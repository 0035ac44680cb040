"""Where a request is, for its owner's page (disclosure levels 1 and 2 only: see
screener/disclosure.py for who may see the stage).

The stage comes from a pure function over the lookup's status and whether a result message went
out, so it can be tested as a table. No case details, candidates or scores leave this module.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screener.access.identity import birth_date_accepted
from screener.models import Lookup, Notification

RESULT_KINDS = (
    Notification.Kind.RESULT_MATCH,
    Notification.Kind.RESULT_NO_MATCH,
    Notification.Kind.REVIEW_DECIDED,
)
DECIDED_STATUSES = (Lookup.Status.MATCHED, Lookup.Status.NOT_FOUND, Lookup.Status.DECLINED)
# Staff have it (the hold reads like a review: its holder must not learn that someone else asked).
STAFF_STATUSES = (Lookup.Status.NEEDS_REVIEW, Lookup.Status.HELD, Lookup.Status.DECLINED)


class PublicStage(StrEnum):
    RECEIVED = "received"
    CHECKING = "checking"
    IN_REVIEW = "in_review"
    MORE_INFO = "more_info"
    RESULT_SENT = "result_sent"

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self])


STAGE_LABELS = {
    PublicStage.RECEIVED: _("Received"),
    PublicStage.CHECKING: _("Checking"),
    PublicStage.IN_REVIEW: _("Being reviewed by staff"),
    PublicStage.MORE_INFO: _("More information needed"),
    PublicStage.RESULT_SENT: _("Result sent"),
}


@dataclass(frozen=True)
class StageStep:
    label: str
    state: str  # "complete", "current" or "" (not reached), as the USWDS step indicator names them


@dataclass(frozen=True)
class PublicStatus:
    reference: str
    stage: PublicStage
    received_on: date
    result_sent_at: datetime | None
    steps: tuple[StageStep, ...]

    @property
    def review_business_days(self) -> int:
        return settings.REVIEW_BUSINESS_DAYS


def public_stage(*, status: str, result_sent: bool, reviewed: bool) -> PublicStage:
    """Map a lookup's internal status to what its owner is told."""
    if status == Lookup.Status.MORE_INFO:
        return PublicStage.MORE_INFO
    if status in (Lookup.Status.NEEDS_REVIEW, Lookup.Status.HELD):
        return PublicStage.IN_REVIEW
    if status in DECIDED_STATUSES:
        if result_sent:
            return PublicStage.RESULT_SENT
        # Decided, message not out yet: still "our side", at the step the person last saw.
        return PublicStage.IN_REVIEW if reviewed else PublicStage.CHECKING
    if status == Lookup.Status.RECEIVED:
        return PublicStage.RECEIVED
    # CHECKING, and FAILED (staff retry it): from the outside both are "we are checking".
    return PublicStage.CHECKING


def public_steps(stage: PublicStage, *, reviewed: bool) -> tuple[StageStep, ...]:
    """The step indicator: the staff-review step appears only for requests that go through it."""
    order = [PublicStage.RECEIVED, PublicStage.CHECKING]
    if reviewed or stage in (PublicStage.IN_REVIEW, PublicStage.MORE_INFO):
        order.append(PublicStage.IN_REVIEW)
    order.append(PublicStage.RESULT_SENT)
    current = PublicStage.IN_REVIEW if stage == PublicStage.MORE_INFO else stage
    position = order.index(current)
    return tuple(
        StageStep(
            label=step.label,
            state="complete" if index < position else "current" if index == position else "",
        )
        for index, step in enumerate(order)
    )


def lookup_public_status(lookup: Lookup) -> PublicStatus:
    sent = (
        Notification.objects.filter(
            lookup=lookup, kind__in=RESULT_KINDS, status=Notification.Status.SENT
        )
        .order_by("sent_at")
        .values("sent_at")
        .first()
    )
    reviewed = lookup.status in STAFF_STATUSES or lookup.decisions.exists()
    stage = public_stage(status=lookup.status, result_sent=sent is not None, reviewed=reviewed)
    return PublicStatus(
        reference=lookup.reference,
        stage=stage,
        received_on=timezone.localdate(lookup.created_at),
        result_sent_at=sent["sent_at"] if sent else None,
        steps=public_steps(stage, reviewed=reviewed),
    )


def lookup_find_for_status(*, reference: str, date_of_birth: date) -> Lookup | None:
    """The request with this reference code, if `date_of_birth` is one it accepts; else None.

    The date typed when asking, or the recorded one of a case staff confirmed. Anonymized
    requests accept none, so they are never found.
    """
    lookup = Lookup.objects.filter(reference=reference, anonymized_at__isnull=True).first()
    if lookup is None or not birth_date_accepted(lookup, date_of_birth):
        return None
    return lookup
