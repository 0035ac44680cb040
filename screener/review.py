"""Staff review of uncertain matches: claim a flagged lookup, decide it, or let it go.

A lookup the engine called `possible` waits in NEEDS_REVIEW until a reviewer decides. Each
function locks the lookup's row (audit.locking.for_change) and re-checks its state under the
lock, so a decision is made once whoever clicks first, and a second reviewer gets an error
instead of a second decision. A claim marks who is working an item; it expires, so an item a
reviewer opened and abandoned returns to the queue.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.hashing import case_refs
from audit.locking import for_change
from audit.services import audit_record
from cases.matching.engine import match_person, same_person_cases
from cases.models import Case
from cases.normalize import case_normalize_number
from screener.lifecycle import lookup_status_move
from screener.models import Lookup, LookupCandidate, Notification, ReviewDecision
from screener.notifications.outbox import notifications_queue
from screener.services import DECIDE_PERMISSION, lookup_candidates_replace, lookup_query

CLAIM_TTL = timedelta(minutes=30)

Decision = ReviewDecision.Decision

# decision → (status, outcome, notification kind)
DECISION_EFFECTS: dict[str, tuple[str, str, str]] = {
    Decision.CONFIRM: (
        Lookup.Status.MATCHED,
        Lookup.Outcome.MATCH,
        Notification.Kind.REVIEW_DECIDED,
    ),
    Decision.REJECT: (
        Lookup.Status.NOT_FOUND,
        Lookup.Outcome.NO_MATCH,
        Notification.Kind.REVIEW_DECIDED,
    ),
    Decision.MORE_INFO: (
        Lookup.Status.MORE_INFO,
        Lookup.Outcome.POSSIBLE,
        Notification.Kind.MORE_INFO,
    ),
}
DECISION_ACTIONS: dict[str, Action] = {
    Decision.CONFIRM: Action.REVIEW_CONFIRMED,
    Decision.REJECT: Action.REVIEW_REJECTED,
    Decision.MORE_INFO: Action.REVIEW_MORE_INFO_REQUESTED,
}


class ReviewError(Exception):
    """A review action that cannot be done now. The message is for the reviewer's screen."""


class AlreadyDecided(ReviewError):
    pass


class ClaimedByOther(ReviewError):
    pass


def review_queue() -> QuerySet[Lookup]:
    """Lookups waiting for a reviewer, oldest first."""
    return Lookup.objects.filter(status=Lookup.Status.NEEDS_REVIEW).order_by("created_at", "pk")


def claim_is_active(lookup: Lookup, *, now: datetime | None = None) -> bool:
    if lookup.claimed_by_id is None or lookup.claimed_at is None:
        return False
    return lookup.claimed_at > (now or timezone.now()) - CLAIM_TTL


def _max_length(field_name: str) -> int:
    """The longest value Lookup's text field `field_name` holds."""
    field = Lookup._meta.get_field(field_name)
    if not isinstance(field, CharField) or field.max_length is None:
        raise TypeError(f"Lookup.{field_name} is not a text field with a length")
    return field.max_length


def _require_reviewer(reviewer) -> None:
    if not reviewer.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied(_("You do not have permission to review lookups."))


def _lock_for_review(*, lookup_id: int, reviewer, now: datetime) -> Lookup:
    """The lookup, row-locked, if this reviewer may act on it now; ReviewError otherwise."""
    lookup = for_change(Lookup.objects).get(pk=lookup_id)
    if lookup.status != Lookup.Status.NEEDS_REVIEW:
        raise AlreadyDecided(
            _("Lookup %(reference)s is not waiting for review (it may have been decided).")
            % {"reference": lookup.reference}
        )
    if claim_is_active(lookup, now=now) and lookup.claimed_by_id != reviewer.pk:
        holder = lookup.claimed_by
        assert holder is not None  # an active claim has its reviewer (claim_is_active)
        raise ClaimedByOther(
            _("Lookup %(reference)s is being reviewed by %(reviewer)s.")
            % {"reference": lookup.reference, "reviewer": holder.get_username()}
        )
    return lookup


def review_claim(*, lookup_id: int, reviewer) -> Lookup:
    """Mark the lookup as being reviewed by `reviewer`; claiming it again renews the claim."""
    _require_reviewer(reviewer)
    now = timezone.now()
    with transaction.atomic():
        lookup = _lock_for_review(lookup_id=lookup_id, reviewer=reviewer, now=now)
        lookup.claimed_by = reviewer
        lookup.claimed_at = now
        lookup.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    return lookup


def review_release(*, lookup_id: int, reviewer) -> Lookup:
    """Give the item back to the queue. Only the reviewer holding the claim can release it."""
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if lookup.claimed_by_id == reviewer.pk:
            lookup.claimed_by = None
            lookup.claimed_at = None
            lookup.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    return lookup


def review_claim_next(*, reviewer) -> Lookup | None:
    """Claim the oldest item nobody else is working on; None when there is none."""
    _require_reviewer(reviewer)
    free = Q(claimed_by__isnull=True) | Q(claimed_by=reviewer)
    free |= Q(claimed_at__lt=timezone.now() - CLAIM_TTL)
    # Another reviewer may claim a listed item between the read and the lock: try the next.
    for lookup_id in review_queue().filter(free).values_list("pk", flat=True)[:20]:
        try:
            return review_claim(lookup_id=lookup_id, reviewer=reviewer)
        except ReviewError:
            continue
    return None


def review_decide(
    *,
    lookup_id: int,
    reviewer,
    decision: str,
    reason: str,
    confirmed_case_ids: Iterable[int] = (),
    message_to_person: str = "",
    ip_address: str | None = None,
) -> ReviewDecision:
    """Decide a flagged lookup: set its outcome, write the audit row, queue the notification.

    confirm: `confirmed_case_ids` (at least one, all among the lookup's candidates) are the
    person's; the other candidates are marked not theirs. reject: none of the candidates is the
    person's. more_info: the person is sent `message_to_person` (required) and the candidates
    stay undecided.
    """
    _require_reviewer(reviewer)
    try:
        decision = Decision(decision)
    except ValueError as exc:
        raise ValidationError({"decision": _("Choose a decision.")}) from exc
    if decision not in DECISION_EFFECTS:
        # A reopening is recorded by review_reopen, never chosen as a decision.
        raise ValidationError({"decision": _("Choose a decision.")})
    reason = (reason or "").strip()
    message_to_person = (message_to_person or "").strip()
    confirmed = {int(case_id) for case_id in confirmed_case_ids}
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason for this decision.")
    if decision == Decision.MORE_INFO and not message_to_person:
        errors["message_to_person"] = _("Write what the person should send or do.")
    if decision == Decision.CONFIRM and not confirmed:
        errors["confirmed_case_ids"] = _("Choose which of the candidate cases are the person's.")
    if decision != Decision.CONFIRM and confirmed:
        errors["confirmed_case_ids"] = _("Cases are chosen only when confirming.")
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    with transaction.atomic():
        lookup = _lock_for_review(lookup_id=lookup_id, reviewer=reviewer, now=now)
        candidates = list(lookup.candidates.all())
        if not confirmed <= {c.case_id for c in candidates}:
            raise ValidationError(
                {"confirmed_case_ids": _("Only this lookup's candidate cases can be confirmed.")}
            )
        for candidate in candidates:
            candidate.confirmed = (
                None if decision == Decision.MORE_INFO else candidate.case_id in confirmed
            )
        LookupCandidate.objects.bulk_update(candidates, ["confirmed"])

        status, outcome, kind = DECISION_EFFECTS[decision]
        lookup_status_move(lookup, status)
        lookup.outcome = outcome
        lookup.decided_at = now
        lookup.claimed_by = None
        lookup.claimed_at = None
        lookup.save(
            update_fields=[
                "status",
                "outcome",
                "decided_at",
                "claimed_by",
                "claimed_at",
                "updated_at",
            ]
        )
        review = ReviewDecision(
            lookup=lookup,
            reviewer=reviewer,
            decision=decision,
            reason=reason,
            message_to_person=message_to_person,
        )
        review.full_clean()
        review.save()
        review.confirmed_cases.set(confirmed)
        audit_record(
            actor=reviewer,
            action=DECISION_ACTIONS[decision],
            obj=lookup,
            summary=f"Lookup {lookup.reference} decided: {decision.value}",
            detail={
                "review_decision_id": review.pk,
                "confirmed_case_refs": case_refs(confirmed),
                "rejected_case_refs": case_refs(
                    c.case_id for c in candidates if c.confirmed is False
                ),
            },
            ip_address=ip_address,
        )
        # The outbox rows commit with the decision, so a decision never lacks its message;
        # notifications_queue starts the sending after commit.
        notifications_queue(lookup=lookup, kind=kind, request_text=message_to_person)
    return review


def review_reopen(
    *,
    lookup_id: int,
    reviewer,
    reason: str,
    case_number: str = "",
    other_names: Sequence[str] = (),
    ip_address: str | None = None,
) -> Lookup:
    """Bring a lookup waiting for the person's answer back into review, with that answer.

    The person replied to a more_info request (by phone or email to staff): the case number and
    other names they gave are added to the lookup, the engine runs again, and the lookup returns
    to NEEDS_REVIEW claimed by `reviewer`, who decides it next. Even an engine match goes to
    review: a reviewer already holds this lookup, and the new candidates carry their scores. The
    person is not notified now; the decision that follows notifies them.
    """
    _require_reviewer(reviewer)
    reason = (reason or "").strip()
    case_number = (case_number or "").strip()
    new_names = [name.strip() for name in other_names if name and name.strip()]
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason for reopening: what the person told you.")
    if case_number and (
        not case_normalize_number(case_number) or len(case_number) > _max_length("case_number")
    ):
        errors["case_number"] = _("Enter the case number as it is written on the court papers.")
    if any(len(name) > _max_length("first_name") for name in new_names):
        errors["other_names"] = _("A name this long cannot be right; check what was typed.")
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if lookup.status != Lookup.Status.MORE_INFO:
            raise ReviewError(
                _("Lookup %(reference)s is not waiting for the person's answer.")
                % {"reference": lookup.reference}
            )
        if lookup.anonymized_at is not None:
            raise ReviewError(
                _("Lookup %(reference)s can no longer be reopened: its details were erased.")
                % {"reference": lookup.reference}
            )
        if case_number:
            # Stored as the person gave it; the engine and the review screen normalize it.
            lookup.case_number = case_number
        known = {name.casefold() for name in lookup.other_names}
        for name in new_names:
            if name.casefold() not in known:
                lookup.other_names = [*lookup.other_names, name]
                known.add(name.casefold())

        result = match_person(lookup_query(lookup))
        lookup_candidates_replace(lookup=lookup, result=result)
        lookup_status_move(lookup, Lookup.Status.NEEDS_REVIEW)
        lookup.outcome = Lookup.Outcome.POSSIBLE
        lookup.decided_at = None
        lookup.claimed_by = reviewer
        lookup.claimed_at = now
        lookup.save()
        review = ReviewDecision(
            lookup=lookup, reviewer=reviewer, decision=Decision.REOPEN, reason=reason
        )
        review.full_clean()
        review.save()
        # Ids and counts only: what the person said stays on the lookup and the decision row.
        audit_record(
            actor=reviewer,
            action=Action.REVIEW_REOPENED,
            obj=lookup,
            summary=f"Lookup {lookup.reference} reopened with the person's answer",
            detail={
                "review_decision_id": review.pk,
                "engine_outcome": result.outcome,
                "case_number_given": bool(case_number),
                "other_names_given": len(new_names),
                "candidate_case_refs": case_refs(c.case_id for c in result.candidates),
            },
            ip_address=ip_address,
        )
    return lookup


def review_related_cases(cases: Sequence[Case]) -> dict[int, list[Case]]:
    """For each case, the other recorded cases of the same person that are not in `cases`.

    The same person as the matching engine means it when it ties cases together
    (cases.matching.same_person): the same CII number (the state's person identifier), or the
    same date of birth with first name and surname agreeing.
    """
    if not cases:
        return {}
    related = same_person_cases([case.pk for case in cases])
    others = list(
        Case.objects.filter(pk__in={pk for pks in related.values() for pk in pks})
        .select_related("batch")
        .order_by("date_of_birth", "case_number")
    )
    return {
        case.pk: [other for other in others if other.pk in related.get(case.pk, ())]
        for case in cases
    }
