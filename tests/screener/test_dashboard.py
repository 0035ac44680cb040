"""The staff dashboard: lookups per day, the queue, time to a result, decisions per reviewer."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from screener.dashboard import dashboard_figures, review_queue_summary
from screener.models import Lookup
from screener.review import review_decide
from tests.screener.reviewing import MARIA_ROW, flagged, import_cases, submit

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(hour=20, minute=0, second=0, microsecond=0)


def set_times(lookup: Lookup, *, created: datetime.datetime, **others) -> None:
    Lookup.objects.filter(pk=lookup.pk).update(created_at=created, **others)


@pytest.fixture
def history(jesus_cases, reviewer, second_reviewer):
    """Two days of lookups: engine answers, reviewer decisions, and two still waiting."""
    import_cases([MARIA_ROW])
    yesterday, today = NOW - timedelta(days=1), NOW
    found = submit(
        first_name="Maria",
        last_name="Hernandez",
        date_of_birth=datetime.date(1980, 3, 5),
        email="found@example.org",
    )
    set_times(found, created=yesterday, checked_at=yesterday + timedelta(hours=1))
    unknown = submit(first_name="Rosa", last_name="Diaz", email="unknown@example.org")
    set_times(unknown, created=today, checked_at=today + timedelta(hours=2))

    confirmed, rejected, asked, waiting, oldest = (
        flagged(email=f"{n}@example.org") for n in ("c", "r", "m", "w", "o")
    )
    review_decide(
        lookup_id=confirmed.pk,
        reviewer=reviewer,
        decision="confirm",
        reason="CII agrees",
        confirmed_case_ids=[confirmed.candidates.first().case_id],
    )
    review_decide(lookup_id=rejected.pk, reviewer=reviewer, decision="reject", reason="no")
    review_decide(
        lookup_id=asked.pk,
        reviewer=second_reviewer,
        decision="more_info",
        reason="unclear",
        message_to_person="Please send your case number.",
    )
    set_times(confirmed, created=yesterday, decided_at=yesterday + timedelta(hours=10))
    set_times(rejected, created=today, decided_at=today + timedelta(hours=30))
    set_times(asked, created=today)
    set_times(waiting, created=today)
    set_times(oldest, created=NOW - timedelta(days=4))


def test_lookups_are_counted_per_day_by_outcome(history):
    figures = dashboard_figures(days=2, now=NOW + timedelta(hours=1))

    by_day = {row.day: row.counts for row in figures.per_day}
    local = timezone.localdate
    assert by_day[local(NOW - timedelta(days=1))] == {
        "match": 2,
        "possible": 0,
        "no_match": 0,
        "pending": 0,
    }
    # A lookup counts under its outcome now: asked for more information is still "possible".
    assert by_day[local(NOW)] == {"match": 0, "possible": 2, "no_match": 2, "pending": 0}
    # The item waiting four days is older than the period.
    assert sum(row.total for row in figures.per_day) == 6


def test_the_queue_counts_whats_waiting_and_since_when(history):
    queue = review_queue_summary()
    assert queue.count == 2
    assert queue.oldest_created_at == NOW - timedelta(days=4)
    assert queue.oldest_age(now=NOW) == timedelta(days=4)


def test_the_median_time_to_a_result_covers_engine_and_reviewer_answers(history):
    figures = dashboard_figures(days=30, now=NOW + timedelta(hours=1))
    # Results: 1 h (engine), 2 h (engine), 10 h (reviewer), 30 h (reviewer): median 6 h.
    assert figures.median_to_result == timedelta(hours=6)
    assert figures.median_to_decision == timedelta(hours=20)


def test_decisions_are_counted_per_reviewer(history):
    figures = dashboard_figures(days=30, now=NOW + timedelta(hours=1))
    rows = {(r.reviewer, r.confirm, r.reject, r.more_info, r.total) for r in figures.decisions}
    assert rows == {("rita.reviewer", 1, 1, 0, 2), ("rob.reviewer", 0, 0, 1, 1)}


def test_an_empty_period_has_no_median():
    figures = dashboard_figures(days=7)
    assert figures.per_day == [] and figures.decisions == []
    assert figures.median_to_result is None and figures.queue.count == 0


def test_the_dashboard_page_shows_the_figures_to_reviewers_and_administrators(
    client, history, reviewer, data_admin, outreach_worker
):
    client.force_login(reviewer)
    page = client.get("/staff/dashboard/", {"days": "7"})
    content = page.content.decode()
    assert page.status_code == 200
    assert '<td id="queue-size">2</td>' in content
    assert "rita.reviewer" in content and "rob.reviewer" in content
    assert "last 7 days" in content
    assert client.get("/staff/dashboard/", {"days": "nonsense"}).status_code == 200

    client.force_login(data_admin)
    assert client.get("/staff/dashboard/").status_code == 200
    client.force_login(outreach_worker)
    assert client.get("/staff/dashboard/").status_code == 403
