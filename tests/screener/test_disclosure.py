"""The disclosure policy as a table: what may be shown or sent, for every outcome, surface, level
and policy; and docs/privacy.md shows exactly these rules."""

from itertools import product
from pathlib import Path

import pytest

from screener.disclosure import (
    OUTCOME_BY_STATUS,
    Disclosure,
    Level,
    Policy,
    PublicOutcome,
    Surface,
    disclosure,
    public_outcome,
)
from screener.models import Lookup

ROOT = Path(__file__).resolve().parents[2]
PAGES = (Surface.PAGE, Surface.OUTREACH)
MESSAGES = (Surface.EMAIL, Surface.SMS)
ITEMS = tuple(Disclosure.__dataclass_fields__)


def shown(outcome, surface, level, policy) -> Disclosure:
    return disclosure(outcome=outcome, surface=surface, level=level, policy=policy)


def test_every_lookup_status_has_a_public_outcome():
    assert set(OUTCOME_BY_STATUS) == set(Lookup.Status.values)
    assert public_outcome("held") == public_outcome("needs_review") == PublicOutcome.IN_REVIEW


@pytest.mark.parametrize("policy", list(Policy))
@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("surface", MESSAGES)
def test_a_message_carries_the_reference_only_whatever_the_outcome(surface, level, policy):
    for outcome in PublicOutcome:
        assert shown(outcome, surface, level, policy) == Disclosure(reference=True)


@pytest.mark.parametrize("policy", list(Policy))
@pytest.mark.parametrize("surface", PAGES)
def test_level_0_shows_nothing_at_all(surface, policy):
    for outcome in PublicOutcome:
        assert shown(outcome, surface, Level.SUBMITTED, policy) == Disclosure()


@pytest.mark.parametrize("surface", PAGES)
def test_under_the_strict_policy_level_1_is_the_same_for_every_outcome(surface):
    seen = {shown(outcome, surface, Level.CONTACT, Policy.STRICT) for outcome in PublicOutcome}
    assert seen == {Disclosure(reference=True, step_up=True)}


@pytest.mark.parametrize("policy", list(Policy))
@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("surface", list(Surface))
@pytest.mark.parametrize("outcome", list(PublicOutcome))
def test_case_details_and_the_letter_only_on_a_page_at_level_2_or_in_the_partner_export(
    outcome, surface, level, policy
):
    result = shown(outcome, surface, level, policy)
    found = outcome == PublicOutcome.FOUND
    if surface == Surface.PARTNER_EXPORT:
        assert (result.case_details, result.letter) == (found, False)
    else:
        on_a_page = surface in PAGES
        assert (
            result.case_details
            == result.letter
            == (on_a_page and level == Level.IDENTITY and found)
        )


# (outcome, level, policy) → (outcome shown, next steps, staff question, step-up offered)
PAGE_TABLE = [
    (PublicOutcome.FOUND, Level.CONTACT, Policy.STANDARD, (True, False, False, True)),
    (PublicOutcome.NOT_FOUND, Level.CONTACT, Policy.STANDARD, (True, True, False, False)),
    (PublicOutcome.IN_REVIEW, Level.CONTACT, Policy.STANDARD, (True, False, True, False)),
    (PublicOutcome.PENDING, Level.CONTACT, Policy.STANDARD, (True, False, False, False)),
    (PublicOutcome.NOT_ANSWERED, Level.CONTACT, Policy.STANDARD, (True, False, False, False)),
    (PublicOutcome.NOT_FOUND, Level.CONTACT, Policy.STRICT, (False, False, False, True)),
    (PublicOutcome.FOUND, Level.IDENTITY, Policy.STRICT, (True, False, False, False)),
    (PublicOutcome.NOT_FOUND, Level.IDENTITY, Policy.STRICT, (True, True, False, False)),
    (PublicOutcome.IN_REVIEW, Level.IDENTITY, Policy.STANDARD, (True, False, True, False)),
]


@pytest.mark.parametrize(("outcome", "level", "policy", "expected"), PAGE_TABLE)
def test_what_a_page_says_at_each_level(outcome, level, policy, expected):
    result = shown(outcome, Surface.PAGE, level, policy)
    assert (result.outcome, result.next_steps, result.staff_request, result.step_up) == expected


def test_the_partner_export_says_needs_review_and_a_count_for_a_possible_match():
    result = shown(PublicOutcome.IN_REVIEW, Surface.PARTNER_EXPORT, Level.SUBMITTED, "standard")
    assert result == Disclosure(outcome=True, case_count=True)


# --- docs/privacy.md --------------------------------------------------------------------------

OUTCOME_WORDS = {
    PublicOutcome.PENDING: "pending",
    PublicOutcome.IN_REVIEW: "in review",
    PublicOutcome.FOUND: "found",
    PublicOutcome.NOT_FOUND: "not found",
    PublicOutcome.NOT_ANSWERED: "not answered",
}
# The table's rows: where, level(s), policy(ies), as the document names them.
DOC_ROWS = [
    ("page, outreach screen", "0", "both", PAGES, [Level.SUBMITTED], list(Policy)),
    ("page, outreach screen", "1", "standard", PAGES, [Level.CONTACT], [Policy.STANDARD]),
    ("page, outreach screen", "1", "strict", PAGES, [Level.CONTACT], [Policy.STRICT]),
    ("page, outreach screen", "2", "both", PAGES, [Level.IDENTITY], list(Policy)),
    ("email, SMS", "any", "both", MESSAGES, list(Level), list(Policy)),
    ("partner export", "n/a", "both", (Surface.PARTNER_EXPORT,), list(Level), list(Policy)),
]


def _cell(item: str, surfaces, levels, policies) -> str:
    by_combination = {
        (surface, level, policy): frozenset(
            outcome
            for outcome in PublicOutcome
            if getattr(shown(outcome, surface, level, policy), item)
        )
        for surface, level, policy in product(surfaces, levels, policies)
    }
    [outcomes] = set(by_combination.values())  # the row's combinations all agree
    if not outcomes:
        return "—"
    if outcomes == frozenset(PublicOutcome):
        return "yes"
    return ", ".join(OUTCOME_WORDS[o] for o in PublicOutcome if o in outcomes)


def test_docs_privacy_shows_the_policy_as_the_function_decides_it():
    text = (ROOT / "docs" / "privacy.md").read_text()
    for where, level, policy, surfaces, levels, policies in DOC_ROWS:
        cells = [_cell(item, surfaces, levels, policies) for item in ITEMS]
        row = f"| {where} | {level} | {policy} | " + " | ".join(cells) + " |"
        assert row in text, row
    header = "| where | level | policy | " + " | ".join(ITEMS).replace("_", " ") + " |"
    assert header in text, header
