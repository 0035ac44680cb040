"""The follow-up list: "more information" requests wait there with a due date; for people who
gave only a phone number reviewers see the number and record their calls (audited); the
messages invite a reply only when replies reach a mailbox staff read."""

import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from screener.follow_up import business_days_after, follow_up_call_record, follow_up_due
from screener.models import FollowUpCall, Lookup
from screener.review import review_decide, review_reopen
from tests.screener.reviewing import flagged, staff

pytestmark = pytest.mark.django_db

LIST = "admin:screener_followupitem_changelist"
PHONE = "+12135550123"


def asked(reviewer, **person) -> Lookup:
    lookup = flagged(**person)
    with TestCase.captureOnCommitCallbacks(execute=True):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            decision="more_info",
            reason="Two cases, the birth date differs.",
            message_to_person="Have the case number from your court papers ready.",
        )
    lookup.refresh_from_db()
    return lookup


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (datetime.date(2026, 3, 2), 3, datetime.date(2026, 3, 5)),  # Monday → Thursday
        (datetime.date(2026, 3, 5), 3, datetime.date(2026, 3, 10)),  # Thursday → Tuesday
        (datetime.date(2026, 3, 7), 1, datetime.date(2026, 3, 9)),  # Saturday → Monday
    ],
)
def test_the_due_date_counts_business_days(start, days, due):
    assert business_days_after(start, days) == due


def test_a_call_moves_the_due_date_on():
    asked_at = datetime.datetime(2026, 3, 2, 17, tzinfo=datetime.UTC)
    called = datetime.datetime(2026, 3, 6, 17, tzinfo=datetime.UTC)
    assert follow_up_due(asked_at=asked_at, last_call_at=None, days=3) == datetime.date(2026, 3, 5)
    assert follow_up_due(asked_at=asked_at, last_call_at=called, days=3) == datetime.date(
        2026, 3, 11
    )


def test_requests_wait_in_the_follow_up_list_with_a_due_date(client, jesus_cases, reviewer):
    by_phone = asked(reviewer, email="", phone=PHONE)
    # From the same phone: another contact asking about the same person would be held for
    # staff instead (screener.access.abuse).
    by_email = asked(reviewer, first_name="Jesús", email="jesus.g@example.org", phone=PHONE)
    client.force_login(reviewer)
    page = client.get(reverse(LIST))
    text = page.content.decode()
    assert page.status_code == 200
    assert [item.reference for item in page.context["cl"].result_list] == [
        by_phone.reference,
        by_email.reference,
    ]
    due = business_days_after(timezone.localdate(), 3)
    assert f"{due:%Y-%m-%d}" in text
    # The phone-only person is told staff will call: the number is shown to call.
    assert "(213) 555-0123" in text
    assert reverse("admin:screener_followupitem_call", args=[by_phone.pk]) in text
    assert "jesus.g@example.org" not in text
    assert AuditLog.objects.filter(action=Action.FOLLOW_UP_LISTED, actor=reviewer).exists()


def test_an_overdue_request_says_so(client, jesus_cases, reviewer):
    lookup = asked(reviewer, email="", phone=PHONE)
    lookup.decisions.update(created_at=timezone.now() - timedelta(days=10))
    client.force_login(reviewer)
    assert "overdue" in client.get(reverse(LIST)).content.decode()


def test_recording_a_call_is_audited_and_reached_leads_to_reopening(client, jesus_cases, reviewer):
    lookup = asked(reviewer, email="", phone=PHONE)
    client.force_login(reviewer)
    url = reverse("admin:screener_followupitem_call", args=[lookup.pk])
    page = client.get(url)
    assert "(213) 555-0123" in page.content.decode()

    assert client.post(url, {"outcome": "no_answer"})["Location"] == reverse(LIST)
    reached = client.post(url, {"outcome": "reached"})
    assert reached["Location"] == reverse("admin:screener_lookup_reopen", args=[lookup.pk])

    assert list(lookup.follow_up_calls.values_list("outcome", flat=True)) == [
        "reached",
        "no_answer",
    ]
    rows = AuditLog.objects.filter(action=Action.FOLLOW_UP_CALL_RECORDED)
    assert rows.count() == 2 and "555" not in str(list(rows.values("summary", "detail")))

    review_reopen(lookup_id=lookup.pk, reviewer=reviewer, reason="Called; gave the number.")
    assert not client.get(reverse(LIST)).context["cl"].result_list


def test_a_call_with_no_outcome_gets_a_message(client, jesus_cases, reviewer):
    lookup = asked(reviewer, email="", phone=PHONE)
    client.force_login(reviewer)
    page = client.post(reverse("admin:screener_followupitem_call", args=[lookup.pk]), {})
    assert "Choose how the call went." in page.content.decode()
    assert not FollowUpCall.objects.exists()


def test_only_reviewers_see_the_list_and_record_calls(client, jesus_cases, reviewer):
    lookup = asked(reviewer, email="", phone=PHONE)
    outsider = staff("olga.outsider")
    client.force_login(outsider)
    assert client.get(reverse(LIST)).status_code == 403
    with pytest.raises(PermissionDenied):
        follow_up_call_record(lookup_id=lookup.pk, caller=outsider, outcome="reached")


def ask_with_the_suggested_message(client, lookup, reviewer) -> tuple[str, mail.EmailMessage]:
    """The reviewer sends the message the review screen suggests; the email that went out."""
    client.force_login(reviewer)
    review = client.get(reverse("admin:screener_reviewqueueitem_review", args=[lookup.pk]))
    suggested = review.context["form"].initial["message_to_person"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            decision="more_info",
            reason="x",
            message_to_person=suggested,
        )
    # The message reads like every update (screener/disclosure.py); the question is on the
    # person's result page.
    [message] = [m for m in mail.outbox if "update" in m.subject and lookup.reference in m.subject]
    return suggested, message


def test_without_a_monitored_mailbox_nothing_asks_for_a_reply(
    client, jesus_cases, reviewer, settings
):
    settings.MORE_INFO_REPLY_TO = ""
    suggested, message = ask_with_the_suggested_message(client, flagged(), reviewer)
    assert "reply" not in suggested.lower()
    bodies = [message.subject, message.body, *(c for c, _t in message.alternatives)]
    assert all("reply" not in body.lower() for body in bodies)
    assert message.reply_to == []


def test_with_a_monitored_mailbox_the_email_carries_it_as_reply_to(
    client, jesus_cases, reviewer, settings
):
    settings.MORE_INFO_REPLY_TO = "review-team@da.example"
    suggested, message = ask_with_the_suggested_message(client, flagged(), reviewer)
    assert "reply" in suggested.lower()
    assert message.reply_to == ["review-team@da.example"]
