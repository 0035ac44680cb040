"""The matching report's figures and suggestions, on constructed verdicts (no database)."""

import pytest

from cases.matching.report import (
    MIN_VERDICTS,
    NO_RULE,
    Tally,
    Verdict,
    band_of,
    matching_report,
    report_lines,
)

T, P = 18.0, 13.0


def verdicts(count, *, outcome="possible", rule="below_match_threshold", score=17.0, confirmed):
    return [Verdict(outcome, rule, score, confirmed) for _ in range(count)]


def suggestions(items):
    return matching_report(items, match_threshold=T, possible_threshold=P).suggestions


@pytest.mark.parametrize(
    ("score", "edge"), [(18.0, 18.0), (19.9, 18.0), (17.9, 16.0), (13.2, 12.0), (25.0, 24.0)]
)
def test_bands_are_laid_from_the_match_threshold(score, edge):
    assert band_of(score, T) == edge


@pytest.mark.parametrize(
    ("confirmed", "rejected", "low", "high"),
    [(0, 0, 0.0, 1.0), (50, 0, 0.928, 1.0), (0, 50, 0.0, 0.072), (25, 25, 0.366, 0.634)],
)
def test_wilson_interval(confirmed, rejected, low, high):
    found = Tally(confirmed, rejected).interval()
    assert found == pytest.approx((low, high), abs=0.001)


def test_candidates_staff_always_confirm_suggest_a_lower_match_threshold():
    found = suggestions(verdicts(800, score=17.0, confirmed=True))
    assert any(s.startswith("MATCH_THRESHOLD could come down from 18 to 16") for s in found)


def test_too_few_verdicts_suggest_nothing():
    assert suggestions(verdicts(MIN_VERDICTS - 1, score=17.0, confirmed=True)) == []


def test_one_rejection_in_fifty_is_not_enough_to_lower_the_threshold():
    items = verdicts(49, confirmed=True) + verdicts(1, confirmed=False)
    assert not any(s.startswith("MATCH_THRESHOLD") for s in suggestions(items))


def test_candidates_staff_never_confirm_just_above_the_possible_threshold():
    found = suggestions(verdicts(400, score=13.5, rule="first_names_both_real", confirmed=False))
    assert any(s.startswith("POSSIBLE_THRESHOLD could go up from 13 to 15") for s in found)
    assert any(s.startswith("Rule first_names_both_real") for s in found)


def test_a_rule_whose_cases_staff_always_confirm_is_named():
    found = suggestions(verdicts(800, score=22.0, rule="first_name_is_recorded_middle",
                                 confirmed=True))  # fmt: skip
    assert any("Rule first_name_is_recorded_middle" in s and "enough" in s for s in found)
    assert not any(s.startswith("MATCH_THRESHOLD") for s in found)


def test_the_report_lists_bands_rules_and_says_when_nothing_changes():
    items = verdicts(3, outcome="match", rule="", score=25.0, confirmed=True) + verdicts(
        2, confirmed=False
    )
    lines = report_lines(matching_report(items, match_threshold=T, possible_threshold=P))
    text = "\n".join(lines)
    assert "match 24 to 26" in text and "possible 16 to 18" in text
    assert NO_RULE in text and "below_match_threshold" in text
    assert lines[-1] == "- none: the verdicts support no change."
