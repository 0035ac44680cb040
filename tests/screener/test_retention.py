"""Retention: once a lookup's time is up nothing of the person is left: not in the lookup, its
messages, the reviewers' reasons, the candidate links, the opt-out list, the audit log or any
other table. Lookups never answered are closed and erased after a longer bound."""

import datetime
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import models
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from cases.matching.normalize import fold
from cases.models import Case, CaseAlias, CaseSearchKey
from screener import services
from screener.follow_up import follow_up_call_record
from screener.models import Lookup, LookupCandidate, ReviewDecision, ReviewQueueItem
from screener.notifications.suppressions import is_suppressed, suppression_add
from screener.review import review_decide, review_reopen
from tests.screener.reviewing import flagged

pytestmark = pytest.mark.django_db

PERSON = {
    "first_name": "Jesus",
    "last_name": "Gutiérrez",
    "date_of_birth": datetime.date(1975, 12, 4),
    "email": "jesus@example.org",
    "phone": "+12135550123",
}
# Every way the person's details may have been written down.
NEEDLES = [
    "jesus",
    "gutierrez",
    "gutiérrez",
    "jesus@example.org",
    "2135550123",
    "213) 555-0123",
    "555-0123",
    "1975-12-04",
    "12/04/1975",
    "04/12/1975",
    "december 4, 1975",
]
# The case database is the District Attorney's record of the cases, not what the person told
# us: it holds their names by design and is not erased with the lookup.
CASE_DATABASE = {Case, CaseAlias, CaseSearchKey}


def text_values(model) -> list[str]:
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]
    if not fields:
        return []
    values = []
    for row in model._default_manager.values_list(*fields):
        values.extend(str(value) for value in row if value not in (None, ""))
    if model is Session:
        # Session data is signed and encoded: read what it holds.
        decoded = [str(SessionStore().decode(data)) for data in values]
        values.extend(decoded)
    return values


def personal_details_left() -> dict[str, list[str]]:
    found = {}
    for model in apps.get_models():
        if model in CASE_DATABASE or model._meta.proxy:
            continue
        for value in text_values(model):
            folded = fold(value).lower()
            lowered = value.lower()
            hits = [n for n in NEEDLES if n in lowered or fold(n).lower() in folded.split()]
            hits = [n for n in hits if not (n == "jesus" and "jesus" not in folded.split())]
            if hits:
                found.setdefault(model._meta.label, []).append(f"{hits}: {value[:120]}")
    return found


def age(lookup: Lookup, days: int) -> None:
    Lookup.objects.filter(pk=lookup.pk).update(updated_at=timezone.now() - timedelta(days=days))


def a_full_journey(client, reviewer) -> Lookup:
    """A person asks, staff look them up, ask for more, call, decide; messages go out."""
    lookup = flagged(phone=PERSON["phone"])
    client.force_login(reviewer)
    client.get(reverse("admin:screener_lookup_changelist"), {"q": "Gutierrez 12/04/1975"})
    client.get(reverse("admin:screener_lookup_change", args=[lookup.pk]))
    with TestCase.captureOnCommitCallbacks(execute=True):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            decision="more_info",
            reason="Called Jesus Gutiérrez at (213) 555-0123, he confirmed 12/04/1975",
            message_to_person="Jesus, please send the case number to jesus@example.org.",
        )
    follow_up_call_record(lookup_id=lookup.pk, caller=reviewer, outcome="reached")
    with TestCase.captureOnCommitCallbacks(execute=True):
        review_reopen(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            reason="Jesus Gutiérrez called back from 213-555-0123",
            other_names=["Jesus Gutierrez Lopez"],
        )
    lookup.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            decision="confirm",
            reason="Same person as Jesus Gutiérrez born 1975-12-04",
            confirmed_case_ids=[lookup.candidates.first().case_id],
        )
    suppression_add(channel="email", recipient=PERSON["email"], reason="email unsubscribe link")
    suppression_add(channel="sms", recipient="(213) 555-0123", reason="SMS STOP")
    return lookup


def test_after_retention_no_personal_detail_is_left_in_any_table(client, jesus_cases, reviewer):
    lookup = a_full_journey(client, reviewer)
    assert personal_details_left(), "the journey wrote the person's details somewhere"
    age(lookup, 400)

    assert services.lookups_anonymize_expired() == 1

    assert personal_details_left() == {}
    # What remains is enough for counts and accountability, and the opt-out still holds.
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.MATCHED and lookup.anonymized_at is not None
    assert is_suppressed(channel="email", recipient=PERSON["email"])
    assert is_suppressed(channel="sms", recipient=PERSON["phone"])


def test_reasons_messages_and_candidate_links_are_erased(client, jesus_cases, reviewer):
    lookup = a_full_journey(client, reviewer)
    age(lookup, 200)
    services.lookups_anonymize_expired()
    assert not LookupCandidate.objects.filter(lookup=lookup).exists()
    for decision in ReviewDecision.objects.filter(lookup=lookup):
        assert (decision.reason, decision.message_to_person) == ("", "")
        assert not decision.confirmed_cases.exists()
    assert ReviewDecision.objects.filter(lookup=lookup).count() == 3


def test_the_opt_out_list_keeps_no_address():
    suppression, _ = suppression_add(channel="sms", recipient="(213) 555-0123", reason="STOP")
    assert "2135550123" not in str(list(type(suppression).objects.values()))
    assert is_suppressed(channel="sms", recipient="+1 213 555 0123")
    assert not is_suppressed(channel="sms", recipient="+1 213 555 0124")


@pytest.mark.parametrize("status", [Lookup.Status.NEEDS_REVIEW, Lookup.Status.RECEIVED])
def test_a_lookup_never_answered_is_closed_and_erased_after_the_longer_bound(
    jesus_cases, settings, status
):
    settings.LOOKUP_RETENTION_DAYS, settings.OPEN_LOOKUP_RETENTION_DAYS = 30, 90
    if status == Lookup.Status.RECEIVED:
        # The check never ran (a lost task message); the sweep would pick it up again.
        with TestCase.captureOnCommitCallbacks(execute=False):
            lookup, _ = services.lookup_submit(details=services.LookupDetails(**PERSON))
    else:
        lookup = flagged()
    assert lookup.status == status
    age(lookup, 60)
    assert services.lookups_anonymize_expired() == 0

    age(lookup, 91)
    assert services.lookups_anonymize_expired() == 1
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.CLOSED
    assert (lookup.first_name, lookup.email, lookup.date_of_birth) == ("", "", None)
    assert not ReviewQueueItem.objects.filter(status=Lookup.Status.NEEDS_REVIEW).exists()
    assert (
        services.lookups_requeue_stuck(received_after=timedelta(0), checking_after=timedelta(0))
        == []
    )
