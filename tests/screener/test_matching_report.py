"""manage.py matching_report on a database of decided reviews (set up through the real flow)."""

import io

import pytest
from django.core.management import call_command

from screener.models import LookupCandidate
from screener.review import review_decide
from tests.screener.reviewing import flagged, jesus_cases, reviewer  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("matching_report", *args, stdout=out)
    return out.getvalue()


def decide(lookup, reviewer, decision, numbers=()):  # noqa: F811
    ids = [c.case_id for c in lookup.candidates.all() if c.case.case_number in numbers]
    review_decide(
        lookup_id=lookup.pk,
        reviewer=reviewer,
        decision=decision,
        reason="Checked against the court file.",
        confirmed_case_ids=ids,
    )


def test_the_report_counts_staffs_verdicts_per_band_and_rule(jesus_cases, reviewer):  # noqa: F811
    confirmed = flagged(email="one@example.org")
    rejected = flagged(email="two@example.org")
    undecided = flagged(email="three@example.org")
    rules = {c.explanation["rule"] for c in confirmed.candidates.all()}
    assert rules and "" not in rules
    decide(confirmed, reviewer, "confirm", numbers=("BA123456", "KA057009"))
    decide(rejected, reviewer, "reject")
    del undecided  # still waiting: not a label

    text = report()

    candidates = confirmed.candidates.count()
    assert "2 decided reviews" in text
    assert f"{2 * candidates} candidates with staff's verdict" in text
    for rule in rules:
        line = next(line for line in text.splitlines() if line.startswith(rule))
        labelled = LookupCandidate.objects.filter(
            lookup__in=[confirmed, rejected], explanation__rule=rule
        )
        expected = (labelled.count(), labelled.filter(confirmed=True).count())
        assert tuple(int(x) for x in line.split()[1:3]) == expected
    assert "possible" in text
    assert "Suggestions (never applied" in text
    assert "- none: the verdicts support no change." in text


def test_candidates_decided_before_rules_were_recorded_are_counted_apart(jesus_cases, reviewer):  # noqa: F811
    lookup = flagged()
    lookup.candidates.update(explanation={"summary": "older engine", "fields": [], "score": 1})
    decide(lookup, reviewer, "reject")
    assert "(not recorded)" in report()


def test_a_bad_date_is_refused_with_a_message():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        report("--since", "yesterday")
