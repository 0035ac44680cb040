"""A lookup's life: submitted → checked by the matching engine → (reviewed) → result sent.

Every change of a lookup's state goes through a function here, which writes the audit row in
the same transaction and schedules follow-up work with transaction.on_commit.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from audit.actions import Action
from audit.hashing import case_refs
from audit.locking import for_change
from audit.services import audit_record
from cases.matching.engine import match_person
from cases.matching.normalize import normalize_name
from cases.matching.types import MatchResult, PersonQuery
from cases.normalize import case_normalize_number
from screener.access.abuse import asked_elsewhere, lookup_hold_asked_elsewhere, person_key
from screener.access.codes import code_channel, contact_code_request
from screener.lifecycle import lookup_status_move
from screener.models import Lookup, LookupCandidate, Notification, OutreachEvent, ReviewDecision

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud over the phone or copied by hand stays right.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"

RESULT_KIND_BY_OUTCOME = {
    Lookup.Outcome.MATCH: Notification.Kind.RESULT_MATCH,
    Lookup.Outcome.POSSIBLE: Notification.Kind.RESULT_POSSIBLE,
    Lookup.Outcome.NO_MATCH: Notification.Kind.RESULT_NO_MATCH,
}
STATUS_BY_OUTCOME = {
    Lookup.Outcome.MATCH: Lookup.Status.MATCHED,
    Lookup.Outcome.POSSIBLE: Lookup.Status.NEEDS_REVIEW,
    Lookup.Outcome.NO_MATCH: Lookup.Status.NOT_FOUND,
}
OPEN_STATUSES = (Lookup.Status.RECEIVED, Lookup.Status.CHECKING)
# Reviewers decide flagged lookups (screener.review) and send failed ones back to the engine.
DECIDE_PERMISSION = "screener.decide_lookup"


@dataclass(frozen=True)
class LookupDetails:
    """What the person (or someone helping them) submitted."""

    first_name: str
    last_name: str
    date_of_birth: date
    middle_name: str = ""
    other_names: tuple[str, ...] = ()
    case_number: str = ""
    email: str = ""
    phone: str = ""  # E.164, already validated by the form
    language: str = "en"
    is_self: bool = True
    consent_to_contact: bool = True


def reference_new() -> str:
    """A short code such as RC-7KQ-93M."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"RC-{chars[:3]}-{chars[3:]}"


def reference_normalize(value: str) -> str:
    """Accept what people type: lower case, spaces, missing dashes or prefix."""
    cleaned = "".join(ch for ch in value.upper() if ch.isalnum())
    if cleaned.startswith("RC"):
        cleaned = cleaned[2:]
    if len(cleaned) != 6:
        return ""
    return f"RC-{cleaned[:3]}-{cleaned[3:]}"


def lookup_dedupe_key(details: LookupDetails, scope: str = "") -> str:
    """Keyed hash of who is asking and where the answer goes, so no raw details are compared.

    `scope` narrows "the same request": an outreach walk-in is the same request only at the same
    event, so someone who asked on the website or at another event is still helped (and given
    a letter) at this one, and their walk-in is in this event's list.
    """
    parts = [
        " ".join(normalize_name(details.first_name)),
        " ".join(normalize_name(details.last_name)),
        details.date_of_birth.isoformat(),
        details.email.strip().lower(),
        details.phone.strip(),
    ]
    if scope:
        parts.append(scope)
    message = "|".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def lookup_submit(
    *,
    details: LookupDetails,
    channel: str = Lookup.Channel.WEB,
    submitted_by=None,
    event: OutreachEvent | None = None,
    ip_address: str | None = None,
    device_key: str = "",
    intake_token: str = "",
    send_code: bool = False,
) -> tuple[Lookup, bool]:
    """Record a lookup and start checking it. Returns (lookup, created).

    The same details and contact submitted again return the existing request instead of
    opening a second one. A web lookup about someone asked about from another contact lately is
    held for staff instead of checked (screener.access.abuse). `device_key` is the browser's
    (screener.access.abuse.device_key), for the limit on people asked about per browser.
    `intake_token` is the outreach form's one-time token: the same token returns the same lookup.
    `send_code` queues a one-time code to the lookup's contact, for a new and a repeated
    submission alike; a new lookup's is written in the lookup's own transaction (one commit,
    and one wait for the disk, fewer on every submission of a surge).
    """

    scope = f"event:{event.pk}" if channel == Lookup.Channel.OUTREACH and event else ""
    dedupe_key = lookup_dedupe_key(details, scope)
    existing = _submitted_before(dedupe_key=dedupe_key, intake_token=intake_token)
    if existing is not None:
        return _code_sent(existing, send_code), False
    try:
        with transaction.atomic():
            lookup = Lookup(
                reference=_unused_reference(),
                channel=channel,
                submitted_by=submitted_by,
                event=event,
                first_name=details.first_name.strip(),
                middle_name=details.middle_name.strip(),
                last_name=details.last_name.strip(),
                other_names=[name.strip() for name in details.other_names if name.strip()],
                date_of_birth=details.date_of_birth,
                case_number=details.case_number.strip(),
                email=details.email.strip().lower(),
                phone=details.phone.strip(),
                language=details.language,
                is_self=details.is_self,
                consent_to_contact=details.consent_to_contact,
                dedupe_key=dedupe_key,
                person_key=person_key(
                    first_name=details.first_name,
                    last_name=details.last_name,
                    date_of_birth=details.date_of_birth,
                ),
                device_key=device_key,
                intake_token=intake_token,
            )
            # The fields are checked here; the unique and check constraints by the INSERT
            # itself. full_clean's own constraint checks cost six more round trips per
            # submission (a SELECT and a savepoint each), a tenth of the web's time under load.
            lookup.full_clean(validate_unique=False, validate_constraints=False)
            lookup.save()
            # Asked before the audit row is written: audit_record holds the chain's lock until
            # commit, and every submission waits for it.
            earlier_ids = asked_elsewhere(lookup) if channel == Lookup.Channel.WEB else []
            _code_sent(lookup, send_code)
            audit_record(
                actor=submitted_by,
                action=Action.LOOKUP_SUBMITTED,
                obj=lookup,
                summary=f"Lookup {lookup.reference} submitted via {channel}",
                ip_address=ip_address,
            )
            if earlier_ids:
                lookup_hold_asked_elsewhere(lookup, earlier_ids)
            transaction.on_commit(lambda: _after_submit(lookup))
    except IntegrityError:
        # Two identical submissions raced; the other one won and is the request.
        existing = _submitted_before(dedupe_key=dedupe_key, intake_token=intake_token)
        if existing is None:
            raise
        return _code_sent(existing, send_code), False
    return lookup, True


def _code_sent(lookup: Lookup, send_code: bool) -> Lookup:
    if send_code:
        contact_code_request(lookup=lookup, channel=code_channel(lookup))
    return lookup


def _submitted_before(*, dedupe_key: str, intake_token: str) -> Lookup | None:
    """The lookup these details, or this outreach form's token, already made."""
    # Most submissions are new: ask for the id alone (half the ORM's work of a whole row, on
    # every submission) and load the row only when there is one.
    found = None
    if intake_token:
        found = (
            Lookup.objects.filter(intake_token=intake_token).values_list("pk", flat=True).first()
        )
    if found is None:
        found = Lookup.objects.filter(dedupe_key=dedupe_key).values_list("pk", flat=True).first()
    return None if found is None else Lookup.objects.get(pk=found)


def _unused_reference() -> str:
    while True:
        reference = reference_new()
        if not Lookup.objects.filter(reference=reference).exists():
            return reference


def _after_submit(lookup: Lookup) -> None:
    # The "we received your request" message is written by the worker when the check starts
    # (lookup_check): rendering it here made every submission in a surge cost the web process
    # a message's templates and queries, and the message waits in the same queue either way.
    # A held lookup is not checked until staff release it, but gets the same message now, so
    # that its contact cannot tell it was held. `lookup` is the row as the submission's
    # transaction committed it: reading it back would cost a surge three round trips each.
    from screener.notifications.outbox import notifications_queue

    if lookup.status == Lookup.Status.HELD:
        with transaction.atomic():
            notifications_queue(lookup=lookup, kind=Notification.Kind.RECEIVED)
        return
    lookup_check_enqueue(lookup.pk)


def lookup_check_enqueue(lookup_id: int) -> bool:
    """Send the lookup to a worker; False when the broker cannot be reached.

    Runs after commit, so the lookup is stored either way: while Redis is down it stays
    RECEIVED and lookups_requeue_stuck enqueues it once Redis is back. The person has already
    been answered by then, and must see the same page as on any other day.
    """
    from screener.tasks import check_lookup

    try:
        check_lookup.delay(lookup_id)
    except BrokerUnavailable:
        logger.warning("lookup id=%s not enqueued: broker unavailable; the sweep will", lookup_id)
        return False
    return True


def lookup_query(lookup: Lookup) -> PersonQuery:
    return PersonQuery(
        first_name=lookup.first_name,
        middle_name=lookup.middle_name,
        last_name=lookup.last_name,
        other_names=tuple(lookup.other_names),
        date_of_birth=lookup.date_of_birth,
        case_number=case_normalize_number(lookup.case_number) if lookup.case_number else "",
    )


def lookup_check(*, lookup_id: int) -> Lookup:
    """Run the matching engine for a lookup and record what it found. Safe to run twice.

    The lookup is CHECKING, committed, while the engine runs, so the status page and staff see
    that the check is under way, and a check cut off by a killed worker stays visible as CHECKING
    until the sweep runs it again. The received message is queued in the same transaction (once:
    the outbox is unique per kind and channel). The result is written under the row lock only if
    the lookup is still CHECKING: a second run that finished first has already written it.
    """
    from screener.notifications.outbox import notifications_queue

    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if lookup.status not in OPEN_STATUSES:
            return lookup
        if lookup.status == Lookup.Status.RECEIVED:
            lookup_status_move(lookup, Lookup.Status.CHECKING)
            lookup.save(update_fields=["status", "updated_at"])
            # The message is rendered before the audit row, not after: audit_record takes the
            # chain's lock until commit, and this worker runs below the web processes, which
            # would wait on that lock for as long as the render kept the worker off the cores.
            notifications_queue(lookup=lookup, kind=Notification.Kind.RECEIVED)
            audit_record(
                actor=None,
                action=Action.LOOKUP_CHECK_STARTED,
                obj=lookup,
                summary=f"Lookup {lookup.reference}: check started",
            )
    result = match_person(lookup_query(lookup))
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if lookup.status != Lookup.Status.CHECKING:
            return lookup
        _record_result(lookup, result)
    return lookup


def lookup_candidates_replace(*, lookup: Lookup, result: MatchResult) -> None:
    """Store what the engine found as the lookup's candidates, replacing any earlier ones.

    Sets the engine's score, explanation and time on `lookup` without saving it: the caller
    decides the status and saves once.
    """
    lookup.candidates.all().delete()
    LookupCandidate.objects.bulk_create(
        LookupCandidate(
            lookup=lookup,
            case_id=candidate.case_id,
            score=candidate.score,
            outcome=candidate.outcome,
            explanation=candidate.explanation,
        )
        for candidate in result.candidates
    )
    lookup.score = result.best_score
    lookup.explanation = {
        "outcome": result.outcome,
        "candidates": [c.explanation.get("summary", "") for c in result.candidates],
    }
    lookup.checked_at = timezone.now()


def _record_result(lookup: Lookup, result: MatchResult) -> None:
    lookup_candidates_replace(lookup=lookup, result=result)
    outcome = Lookup.Outcome(result.outcome)
    lookup.outcome = outcome
    lookup_status_move(lookup, STATUS_BY_OUTCOME[outcome])
    lookup.attempts += 1
    lookup.last_error = ""
    lookup.save()
    audit_record(
        actor=None,
        action=Action.LOOKUP_CHECKED,
        obj=lookup,
        summary=f"Lookup {lookup.reference}: {outcome.label} ({len(result.candidates)} candidates)",
        detail={
            "outcome": result.outcome,
            "candidate_case_refs": case_refs(c.case_id for c in result.candidates),
        },
    )
    kind = RESULT_KIND_BY_OUTCOME[outcome]
    transaction.on_commit(lambda: _queue_notification(lookup.pk, kind))


def _queue_notification(lookup_id: int, kind: str) -> None:
    from screener.notifications.outbox import notifications_queue

    with transaction.atomic():
        notifications_queue(lookup=Lookup.objects.get(pk=lookup_id), kind=kind)


def lookup_mark_failed(*, lookup_id: int, error: str) -> Lookup:
    """The check gave up after its retries: staff see the lookup as failed, with the error class."""
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if lookup.status not in OPEN_STATUSES:
            return lookup
        lookup_status_move(lookup, Lookup.Status.FAILED)
        lookup.last_error = error[:300]
        lookup.save(update_fields=["status", "last_error", "updated_at"])
        audit_record(
            actor=None,
            action=Action.LOOKUP_FAILED,
            obj=lookup,
            summary=f"Lookup {lookup.reference} could not be checked",
            detail={"error": error[:300]},
        )
    return lookup


def lookup_retry(*, lookup_id: int, actor, ip_address: str | None = None) -> Lookup:
    """Staff send a failed lookup back to the engine: RECEIVED again, checked after commit."""
    if not actor.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied(_("You do not have permission to check lookups again."))
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        if lookup.status != Lookup.Status.FAILED:
            raise ValidationError(
                _("Only a lookup that could not be checked can be checked again."),
                code="not_failed",
            )
        if lookup.anonymized_at is not None:
            raise ValidationError(
                _("Lookup %(reference)s can no longer be checked: its details were erased.")
                % {"reference": lookup.reference},
                code="anonymized",
            )
        previous_error = lookup.last_error
        lookup_status_move(lookup, Lookup.Status.RECEIVED)
        lookup.last_error = ""
        lookup.save(update_fields=["status", "last_error", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.LOOKUP_RETRIED,
            obj=lookup,
            summary=f"Lookup {lookup.reference} sent to be checked again",
            detail={"previous_error": previous_error, "attempts": lookup.attempts},
            ip_address=ip_address,
        )
        transaction.on_commit(lambda: lookup_check_enqueue(lookup_id))
    return lookup


# A lookup the sweep has re-enqueued is not enqueued again for this long: in a backlog (a surge,
# a slow worker) its message is still in the queue, and sending one more per sweep would only
# lengthen the queue.
REQUEUE_AGAIN_AFTER = timedelta(minutes=10)


def lookups_requeue_stuck(
    *,
    received_after: timedelta | None = None,
    checking_after: timedelta | None = None,
    limit: int = 1000,
) -> list[int]:
    """Re-enqueue lookups whose check was lost; return their ids.

    Stuck means still RECEIVED `received_after` after the last change (the enqueue failed while
    the broker was down, or the message was lost) or still CHECKING `checking_after` after the
    check started (longer than the check may run: its worker was killed). Running the check
    twice is harmless: lookup_check re-reads the state under a row lock and writes one result.
    """
    if received_after is None:
        received_after = timedelta(seconds=settings.LOOKUP_STUCK_SECONDS)
    if checking_after is None:
        checking_after = timedelta(seconds=settings.LOOKUP_CHECKING_STUCK_SECONDS)
    now = timezone.now()
    stuck = Lookup.objects.filter(
        Q(status=Lookup.Status.RECEIVED, updated_at__lt=now - received_after)
        | Q(status=Lookup.Status.CHECKING, updated_at__lt=now - checking_after)
    ).order_by("updated_at")
    requeued: list[int] = []
    for lookup_id in stuck.values_list("pk", flat=True)[:limit]:
        marker = f"lookup-requeued:{lookup_id}"
        if not cache.add(marker, 1, timeout=REQUEUE_AGAIN_AFTER.total_seconds()):
            continue
        if not lookup_check_enqueue(lookup_id):
            cache.delete(marker)
            break  # the broker is down again: the next sweep tries
        requeued.append(lookup_id)
    if requeued:
        logger.info("re-enqueued %d stuck lookups", len(requeued))
    return requeued


FINAL_STATUSES = (
    Lookup.Status.MATCHED,
    Lookup.Status.NOT_FOUND,
    Lookup.Status.FAILED,
    Lookup.Status.MORE_INFO,
    Lookup.Status.DECLINED,
)
# Never answered: erased after OPEN_LOOKUP_RETENTION_DAYS, and closed.
UNANSWERED_STATUSES = (
    Lookup.Status.RECEIVED,
    Lookup.Status.CHECKING,
    Lookup.Status.NEEDS_REVIEW,
)


def lookups_anonymize_expired(*, now=None) -> int:
    """Erase the personal details of lookups past their retention period.

    A lookup with a result goes LOOKUP_RETENTION_DAYS after its last change; one never answered
    (received, checking, in review) OPEN_LOOKUP_RETENTION_DAYS after, and is CLOSED. Erased:
    names, date of birth, contacts, case number, the engine's explanation, the candidate cases
    (which would name the person), the reviewers' reasons and messages to the person, and the
    messages sent. The row, its status, outcome and audit trail remain for counts and
    accountability.
    """
    now = now or timezone.now()
    answered_cutoff = now - timedelta(days=settings.LOOKUP_RETENTION_DAYS)
    open_cutoff = now - timedelta(days=settings.OPEN_LOOKUP_RETENTION_DAYS)
    expired = Lookup.objects.filter(anonymized_at__isnull=True).filter(
        Q(status__in=FINAL_STATUSES, updated_at__lt=answered_cutoff)
        | Q(status__in=UNANSWERED_STATUSES, updated_at__lt=open_cutoff)
    )
    with transaction.atomic():
        lookups = list(for_change(expired).only("pk", "status"))
        if not lookups:
            return 0
        ids = [lookup.pk for lookup in lookups]
        closed = []
        for lookup in lookups:
            if lookup.status in UNANSWERED_STATUSES:
                lookup_status_move(lookup, Lookup.Status.CLOSED)
                lookup.save(update_fields=["status"])
                closed.append(lookup.pk)
        Notification.objects.filter(lookup_id__in=ids).update(
            recipient="", body_text="", body_html="", subject="", last_error=""
        )
        decisions = ReviewDecision.objects.filter(lookup_id__in=ids)
        ReviewDecision.confirmed_cases.through.objects.filter(
            reviewdecision_id__in=decisions.values("pk")
        ).delete()
        decisions.update(reason="", message_to_person="")
        candidates, _by_model = LookupCandidate.objects.filter(lookup_id__in=ids).delete()
        Lookup.objects.filter(pk__in=ids).update(
            first_name="",
            middle_name="",
            last_name="",
            other_names=[],
            date_of_birth=None,
            case_number="",
            email="",
            phone="",
            dedupe_key="",
            explanation={},
            score=None,
            last_error="",
            claimed_by=None,
            claimed_at=None,
            anonymized_at=now,
        )
        audit_record(
            actor=None,
            action=Action.LOOKUP_ANONYMIZED,
            summary=(
                f"{len(ids)} lookups anonymized ({len(closed)} closed unanswered after "
                f"{settings.OPEN_LOOKUP_RETENTION_DAYS} days)"
            ),
            detail={"lookup_ids": ids, "closed_ids": closed, "candidates_removed": candidates},
        )
    return len(ids)
