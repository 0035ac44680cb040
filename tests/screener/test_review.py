"""Review services: claims, the three decisions and their effects, and the double-decision guard."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.actions import Action
from audit.hashing import case_refs
from audit.models import AuditLog
from cases.models import Case
from screener.models import Lookup, Notification, ReviewDecision
from screener.review import (
    AlreadyDecided,
    ClaimedByOther,
    review_claim,
    review_claim_next,
    review_decide,
    review_release,
)
from tests.screener.reviewing import flagged

pytestmark = pytest.mark.django_db


def case_ids(*numbers: str) -> list[int]:
    return list(Case.objects.filter(case_number__in=numbers).values_list("pk", flat=True))


def test_a_possible_match_waits_for_review_with_every_case_of_the_person(jesus_cases):
    lookup = flagged()
    assert lookup.outcome == Lookup.Outcome.POSSIBLE
    numbers = set(lookup.candidates.values_list("case__case_number", flat=True))
    assert numbers == {"BA123456", "KA057009", "VA111222"}


def test_confirm_marks_the_chosen_cases_and_the_result_goes_out(jesus_cases, reviewer):
    lookup = flagged()
    chosen = case_ids("BA123456", "KA057009")

    decision = review_decide(
        lookup_id=lookup.pk,
        reviewer=reviewer,
        decision="confirm",
        reason="CII number and name agree; the date was typed day-first.",
        confirmed_case_ids=chosen,
        ip_address="10.0.0.7",
    )

    lookup.refresh_from_db()
    assert (lookup.status, lookup.outcome) == (Lookup.Status.MATCHED, Lookup.Outcome.MATCH)
    assert lookup.decided_at is not None and lookup.claimed_by is None
    confirmed = dict(lookup.candidates.values_list("case__case_number", "confirmed"))
    assert confirmed == {"BA123456": True, "KA057009": True, "VA111222": False}
    assert set(decision.confirmed_cases.values_list("pk", flat=True)) == set(chosen)
    assert lookup.notifications.filter(
        kind=Notification.Kind.REVIEW_DECIDED, channel=Notification.Channel.EMAIL
    ).exists()
    audit = AuditLog.objects.get(action=Action.REVIEW_CONFIRMED, object_id=str(lookup.pk))
    assert audit.actor == reviewer and audit.ip_address == "10.0.0.7"
    # Keyed refs, not ids: after retention the row must not tie the person to their cases.
    assert audit.detail["confirmed_case_refs"] == case_refs(chosen)
    # The reviewer's reason stays with the decision, out of the audit row.
    assert "CII" not in str(audit.detail) and "CII" not in audit.summary


def test_reject_marks_every_candidate_not_the_person(jesus_cases, reviewer):
    lookup = flagged()

    review_decide(
        lookup_id=lookup.pk,
        reviewer=reviewer,
        decision="reject",
        reason="Different middle name on the court file.",
    )

    lookup.refresh_from_db()
    assert (lookup.status, lookup.outcome) == (Lookup.Status.NOT_FOUND, Lookup.Outcome.NO_MATCH)
    assert set(lookup.candidates.values_list("confirmed", flat=True)) == {False}
    assert lookup.notifications.filter(kind=Notification.Kind.REVIEW_DECIDED).exists()
    assert AuditLog.objects.filter(action=Action.REVIEW_REJECTED, object_id=str(lookup.pk)).exists()


def test_asking_for_more_information_keeps_the_question_out_of_the_message(
    jesus_cases, reviewer, django_capture_on_commit_callbacks
):
    lookup = flagged()
    question = "Please reply with the case number on your court papers."

    with django_capture_on_commit_callbacks(execute=True):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            decision="more_info",
            reason="Three cases, date of birth does not agree.",
            message_to_person=question,
        )

    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.MORE_INFO
    assert lookup.outcome == Lookup.Outcome.POSSIBLE
    assert set(lookup.candidates.values_list("confirmed", flat=True)) == {None}
    # The message says there is an update, as for any decision; the question waits on the
    # person's page behind the date of birth and a code (tests/screener/test_access_views.py).
    email = lookup.notifications.get(kind=Notification.Kind.MORE_INFO, channel="email")
    assert "There is an update on your request" in email.body_text
    assert question not in email.body_text + email.body_html
    assert not any(question in message.body for message in mail.outbox)
    assert ReviewDecision.objects.get(lookup=lookup).message_to_person == question


@pytest.mark.parametrize(
    ("decision", "extra", "field"),
    [
        ("confirm", {"reason": " "}, "reason"),
        ("confirm", {"reason": "ok"}, "confirmed_case_ids"),
        ("reject", {"reason": "ok", "confirmed_case_ids": [1]}, "confirmed_case_ids"),
        ("more_info", {"reason": "ok"}, "message_to_person"),
        ("approve", {"reason": "ok"}, "decision"),
    ],
)
def test_an_incomplete_decision_is_refused_and_changes_nothing(
    jesus_cases, reviewer, decision, extra, field
):
    lookup = flagged()
    with pytest.raises(ValidationError) as excinfo:
        review_decide(lookup_id=lookup.pk, reviewer=reviewer, decision=decision, **extra)
    assert field in excinfo.value.message_dict
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW
    assert not ReviewDecision.objects.exists()


def test_only_the_lookups_own_candidates_can_be_confirmed(jesus_cases, reviewer):
    lookup = flagged()
    namesake = case_ids("LA999001")
    with pytest.raises(ValidationError) as excinfo:
        review_decide(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            decision="confirm",
            reason="ok",
            confirmed_case_ids=namesake,
        )
    assert "confirmed_case_ids" in excinfo.value.message_dict
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW
    assert set(lookup.candidates.values_list("confirmed", flat=True)) == {None}


def test_a_decided_lookup_cannot_be_decided_again(jesus_cases, reviewer, second_reviewer):
    lookup = flagged()
    review_decide(lookup_id=lookup.pk, reviewer=reviewer, decision="reject", reason="not him")

    with pytest.raises(AlreadyDecided):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=second_reviewer,
            decision="confirm",
            reason="him",
            confirmed_case_ids=case_ids("BA123456"),
        )
    with pytest.raises(AlreadyDecided):
        review_claim(lookup_id=lookup.pk, reviewer=second_reviewer)
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NOT_FOUND
    assert ReviewDecision.objects.filter(lookup=lookup).count() == 1
    decided = lookup.notifications.filter(kind=Notification.Kind.REVIEW_DECIDED)
    assert sorted(decided.values_list("channel", flat=True)) == ["email", "sms"]


def test_an_item_claimed_by_one_reviewer_cannot_be_decided_by_another(
    jesus_cases, reviewer, second_reviewer
):
    lookup = flagged()
    review_claim(lookup_id=lookup.pk, reviewer=reviewer)

    with pytest.raises(ClaimedByOther, match=r"rita\.reviewer"):
        review_claim(lookup_id=lookup.pk, reviewer=second_reviewer)
    with pytest.raises(ClaimedByOther):
        review_decide(lookup_id=lookup.pk, reviewer=second_reviewer, decision="reject", reason="x")

    review_decide(lookup_id=lookup.pk, reviewer=reviewer, decision="reject", reason="not him")
    assert ReviewDecision.objects.get(lookup=lookup).reviewer == reviewer


def test_an_abandoned_claim_expires_and_the_item_can_be_taken(
    jesus_cases, reviewer, second_reviewer
):
    lookup = flagged()
    review_claim(lookup_id=lookup.pk, reviewer=reviewer)
    Lookup.objects.filter(pk=lookup.pk).update(claimed_at=timezone.now() - timedelta(minutes=31))

    taken = review_claim(lookup_id=lookup.pk, reviewer=second_reviewer)
    assert taken.claimed_by == second_reviewer


def test_releasing_returns_the_item_and_only_the_holder_can_release(
    jesus_cases, reviewer, second_reviewer
):
    lookup = flagged()
    review_claim(lookup_id=lookup.pk, reviewer=reviewer)

    review_release(lookup_id=lookup.pk, reviewer=second_reviewer)
    lookup.refresh_from_db()
    assert lookup.claimed_by == reviewer

    review_release(lookup_id=lookup.pk, reviewer=reviewer)
    lookup.refresh_from_db()
    assert lookup.claimed_by is None and lookup.claimed_at is None


def test_claim_next_takes_the_oldest_item_nobody_else_holds(jesus_cases, reviewer, second_reviewer):
    oldest = flagged()
    middle = flagged(email="second@example.org")
    newest = flagged(email="third@example.org")
    Lookup.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - timedelta(days=3))
    Lookup.objects.filter(pk=middle.pk).update(created_at=timezone.now() - timedelta(days=2))
    review_claim(lookup_id=oldest.pk, reviewer=second_reviewer)

    assert review_claim_next(reviewer=reviewer).pk == middle.pk
    # Asking again keeps the item already held rather than taking another.
    assert review_claim_next(reviewer=reviewer).pk == middle.pk
    review_decide(lookup_id=middle.pk, reviewer=reviewer, decision="reject", reason="no")
    assert review_claim_next(reviewer=reviewer).pk == newest.pk


def test_staff_without_the_decide_permission_cannot_claim_or_decide(jesus_cases, outreach_worker):
    lookup = flagged()
    with pytest.raises(PermissionDenied):
        review_claim(lookup_id=lookup.pk, reviewer=outreach_worker)
    with pytest.raises(PermissionDenied):
        review_decide(lookup_id=lookup.pk, reviewer=outreach_worker, decision="reject", reason="x")
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW


def test_the_database_refuses_a_second_final_decision(jesus_cases, reviewer):
    lookup = flagged()
    ReviewDecision.objects.create(lookup=lookup, reviewer=reviewer, decision="reject", reason="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewDecision.objects.create(
            lookup=lookup, reviewer=reviewer, decision="confirm", reason="b"
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_the_same_moment_make_one_decision(
    jesus_cases, reviewer, second_reviewer
):
    lookup = flagged()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(user, decision):
        start.wait()
        try:
            review_decide(lookup_id=lookup.pk, reviewer=user, decision=decision, reason="race")
            outcomes.append("decided")
        except (AlreadyDecided, ClaimedByOther):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(reviewer, "reject")),
        threading.Thread(target=decide, args=(second_reviewer, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["decided", "refused"]
    assert ReviewDecision.objects.filter(lookup=lookup).count() == 1
