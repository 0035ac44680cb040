"""The safety rules, one row each: what makes each rule the one that caps a candidate (no
database); and docs/matching.md lists them all, in order."""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from cases.matching.compare import Level
from cases.matching.dates import DobAgreement
from cases.matching.readings import prepare_query
from cases.matching.rules import NO_CEILING, SAFETY_RULES, ceiling, slip_namesakes_allowed
from cases.matching.weights import score_candidate
from tests.cases.scoring import FREQUENCIES, person, record

DOCS = Path(__file__).resolve().parents[2] / "docs" / "matching.md"
# Everything agrees exactly: no rule holds it below a match.
CLEAN = score_candidate(prepare_query(person()), record(), FREQUENCIES)

# rule → what differs from a clean candidate, so that it is the first rule to apply.
RULE_CASES = {
    "birth_date_conflicts": {"dob": DobAgreement.DIFFERENT},
    "first_name_conflicts": {"given_level": Level.DIFFERENT},
    "surname_changed_by_marriage": {
        "surname_level": Level.DIFFERENT,
        "middle_level": Level.EXACT,
    },
    "surname_conflicts": {"surname_level": Level.DIFFERENT},
    "name_letters_off_and_more_differs": {
        "given_level": Level.NEAR,
        "dob": DobAgreement.TRANSPOSED,
    },
    "name_letters_off": {"surname_level": Level.NEAR},
    "birth_date_slip": {"dob": DobAgreement.TRANSPOSED, "given_level": Level.NICKNAME},
    "birth_date_slip_name_not_checked": {"dob": DobAgreement.ONE_DIGIT},
    "birth_date_slip_name_held_elsewhere": {
        "dob": DobAgreement.YEAR_OFF,
        "name_held_elsewhere": True,
    },
    "only_the_case_number_agrees": {"dob": DobAgreement.DIFFERENT, "case_number": Level.EXACT},
    "first_name_initial_only": {"given_level": Level.INITIAL},
    "first_names_both_real": {"given_level": Level.TYPO, "given_names_both_real": True},
    "first_names_sound_alike_both_real": {
        "given_level": Level.PHONETIC,
        "given_names_both_real": True,
    },
    "first_name_is_recorded_middle": {"given_level": Level.MIDDLE_AS_FIRST},
    "first_names_two_languages": {"given_level": Level.NICKNAME, "given_two_languages": True},
    "first_name_says_little": {"given_weight": 0.0},
    "middle_names_differ": {"middle_level": Level.DIFFERENT},
    "surnames_both_real": {"surnames_both_real": True},
    "first_name_only_an_alias": {"via_alias_given": True},
    "surname_differs": {"surname_level": Level.DIFFERENT, "case_number": Level.CLOSE},
}


def test_a_clean_candidate_has_no_ceiling():
    assert ceiling(CLEAN) == NO_CEILING
    assert ceiling(CLEAN).outcome == "match"


@pytest.mark.parametrize("rule", SAFETY_RULES, ids=[r.name for r in SAFETY_RULES])
def test_each_rule_caps_the_candidate_it_names(rule):
    candidate = replace(CLEAN, **RULE_CASES[rule.name])

    limit = ceiling(candidate)

    assert not rule.applies(CLEAN)
    assert rule.applies(candidate)
    assert limit.rule is rule
    assert (limit.outcome, limit.reason) == (rule.outcome, rule.reason)
    assert limit.outcome in ("possible", "no_match")


def test_every_rule_has_a_case_a_reason_and_a_unique_name():
    names = [rule.name for rule in SAFETY_RULES]
    assert len(set(names)) == len(names)
    assert set(RULE_CASES) == set(names)
    assert all(rule.reason.endswith(".") for rule in SAFETY_RULES)


@pytest.mark.parametrize(
    ("changes", "outcome"),
    [
        # The typed case number outweighs a date or surname that differs.
        ({"dob": DobAgreement.DIFFERENT, "case_number": Level.CLOSE}, "possible"),
        ({"surname_level": Level.DIFFERENT, "case_number": Level.EXACT}, "match"),
        # A slip in the date with a rare name no one else has is no bar to a match.
        ({"dob": DobAgreement.TRANSPOSED, "name_held_elsewhere": False}, "match"),
        # An earlier rule wins: a date that differs, whatever else.
        ({"dob": DobAgreement.DIFFERENT, "given_level": Level.DIFFERENT}, "no_match"),
        # A name two letters off beside an exact date and other name: found, for staff.
        ({"given_level": Level.NEAR}, "possible"),
        ({"given_level": Level.NEAR, "surname_level": Level.NEAR}, "no_match"),
        # Two languages, but the middle name agrees too.
        ({"given_two_languages": True, "middle_level": Level.EXACT}, "match"),
        # Both given names typed in the other order.
        ({"given_level": Level.OTHER_ORDER, "given_weight": 4.0}, "match"),
    ],
)
def test_rules_apply_in_order(changes, outcome):
    assert ceiling(replace(CLEAN, **changes)).outcome == outcome


@pytest.mark.parametrize(
    ("slip", "allowed"),
    [
        (DobAgreement.TRANSPOSED, 12),
        (DobAgreement.ONE_DIGIT, 1),
        (DobAgreement.YEAR_OFF, 3),
        (DobAgreement.DAY_APART, 3),
    ],
)
def test_a_slip_allows_fewer_namesakes_the_more_dates_it_could_come_from(slip, allowed):
    assert slip_namesakes_allowed(slip) == allowed


def test_the_docs_list_every_rule_in_order_with_its_reason():
    rows = re.findall(r"^\| \d+ \| `(\w+)` \| `(\w+)` \| (.+?) \|$", DOCS.read_text(), re.M)
    assert rows == [(rule.name, rule.outcome, rule.reason) for rule in SAFETY_RULES]
