"""Field-by-field comparison of what a person typed with the cases the engine proposed.

For the review screen: one row per field, one cell per candidate case, each cell saying how the
recorded value agrees with the typed one. Both sides are PersonQuery values: the lookup's from
screener.services.lookup_query, a case's built from its recorded fields and aliases.

The normalizers are the matching engine's own, so "equivalent" here means what it means to the
engine (accents, particles, joined surnames, nicknames, the date slips of
cases/matching/dates.py). Pure: plain data in, plain data out.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import jellyfish
from django.utils.translation import gettext_lazy as _

from cases.matching.dates import DobAgreement, compare_dob
from cases.matching.names import are_nicknames
from cases.matching.normalize import fold, given_names, phonetic, surname
from cases.matching.types import PersonQuery
from cases.normalize import case_normalize_number

# Spelling this close (Jaro-Winkler) reads as a typo rather than another name.
TYPO_SIMILARITY = 0.88


class Agreement(enum.StrEnum):
    SAME = "same"  # identical once case and accents are set aside
    EQUIVALENT = "equivalent"  # the same name or number written another way
    SIMILAR = "similar"  # a slip or a sound-alike: plausible, worth a look
    DIFFERENT = "different"
    MISSING = "missing"  # one side has nothing to compare


@dataclass(frozen=True)
class Cell:
    value: str
    agreement: Agreement
    note: str = ""


@dataclass(frozen=True)
class ComparisonRow:
    field: str
    label: str
    submitted: str
    cells: tuple[Cell, ...]


def _similar_spelling(a: str, b: str) -> bool:
    return jellyfish.jaro_winkler_similarity(a, b) >= TYPO_SIMILARITY


def compare_surname(typed: str, recorded: str) -> Cell:
    a, b = surname(typed), surname(recorded)
    if not a or not b:
        return Cell(recorded, Agreement.MISSING)
    if fold(typed) == fold(recorded):
        return Cell(recorded, Agreement.SAME)
    if a.forms & b.forms:
        return Cell(recorded, Agreement.EQUIVALENT, str(_("same surname written differently")))
    if phonetic(a.joined) == phonetic(b.joined) or {phonetic(p) for p in a.parts} & {
        phonetic(p) for p in b.parts
    }:
        return Cell(recorded, Agreement.SIMILAR, str(_("sounds alike")))
    if _similar_spelling(a.joined, b.joined):
        return Cell(recorded, Agreement.SIMILAR, str(_("spelled alike")))
    return Cell(recorded, Agreement.DIFFERENT)


def compare_given(typed: str, recorded: str) -> Cell:
    a, b = given_names(typed), given_names(recorded)
    if not a or not b:
        return Cell(recorded, Agreement.MISSING)
    if a == b:
        return Cell(recorded, Agreement.SAME)
    if set(a) & set(b) or "".join(a) == "".join(b):
        return Cell(recorded, Agreement.EQUIVALENT, str(_("shares a name")))
    if any(are_nicknames(x, y) for x in a for y in b):
        return Cell(recorded, Agreement.EQUIVALENT, str(_("nickname")))
    if any(phonetic(x) == phonetic(y) for x in a for y in b):
        return Cell(recorded, Agreement.SIMILAR, str(_("sounds alike")))
    if any(_similar_spelling(x, y) for x in a for y in b):
        return Cell(recorded, Agreement.SIMILAR, str(_("spelled alike")))
    return Cell(recorded, Agreement.DIFFERENT)


def compare_middle(typed: str, recorded: str) -> Cell:
    a, b = given_names(typed), given_names(recorded)
    initial_only = any(len(w) == 1 for w in (*a, *b))
    if a and b and a != b and initial_only and {w[0] for w in a} & {w[0] for w in b}:
        return Cell(recorded, Agreement.EQUIVALENT, str(_("initial")))
    return compare_given(typed, recorded)


_DOB_NOTES = {
    DobAgreement.TRANSPOSED: _("day and month swapped"),
    DobAgreement.ONE_DIGIT: _("one digit differs"),
    DobAgreement.YEAR_OFF: _("year off by a slip"),
    DobAgreement.DAY_APART: _("a day apart"),
}


def compare_date_of_birth(typed: date | None, recorded: date | None) -> Cell:
    value = recorded.isoformat() if recorded else ""
    agreement = compare_dob(typed, recorded)
    if agreement == DobAgreement.EXACT:
        return Cell(value, Agreement.SAME)
    if agreement == DobAgreement.MISSING:
        return Cell(value, Agreement.MISSING)
    if agreement == DobAgreement.DIFFERENT:
        return Cell(value, Agreement.DIFFERENT)
    return Cell(value, Agreement.SIMILAR, str(_DOB_NOTES[agreement]))


def compare_case_number(typed: str, recorded: str) -> Cell:
    a, b = case_normalize_number(typed), case_normalize_number(recorded)
    if not a or not b:
        return Cell(recorded, Agreement.MISSING)
    if a == b:
        return Cell(recorded, Agreement.SAME)
    if _similar_spelling(a, b):
        return Cell(recorded, Agreement.SIMILAR, str(_("close to the number given")))
    return Cell(recorded, Agreement.DIFFERENT)


def _full_name(person: PersonQuery) -> str:
    return " ".join(p for p in (person.first_name, person.middle_name, person.last_name) if p)


def compare_other_names(typed: PersonQuery, recorded: PersonQuery) -> Cell:
    """Is any name the person gave (their name or another one) among the recorded aliases?"""
    value = "; ".join(recorded.other_names)
    aliases = {fold(n) for n in recorded.other_names} - {""}
    given = {fold(n) for n in (_full_name(typed), *typed.other_names)} - {""}
    if aliases & given:
        return Cell(value, Agreement.SAME, str(_("a name given is a recorded alias")))
    if not aliases or not typed.other_names:
        return Cell(value, Agreement.MISSING)
    return Cell(value, Agreement.DIFFERENT)


def _swapped(typed: PersonQuery, recorded: PersonQuery) -> bool:
    """First and last name typed the other way round."""
    good = {Agreement.SAME, Agreement.EQUIVALENT}
    return (
        compare_surname(typed.first_name, recorded.last_name).agreement in good
        and compare_given(typed.last_name, recorded.first_name).agreement in good
    )


def comparison_rows(
    submitted: PersonQuery, candidates: Sequence[PersonQuery]
) -> list[ComparisonRow]:
    """One row per field: the typed value, then one cell per candidate in the given order."""
    last_cells, first_cells = [], []
    for recorded in candidates:
        last = compare_surname(submitted.last_name, recorded.last_name)
        first = compare_given(submitted.first_name, recorded.first_name)
        if Agreement.DIFFERENT in {last.agreement, first.agreement} and _swapped(
            submitted, recorded
        ):
            note = str(_("first and last name swapped"))
            last = Cell(last.value, Agreement.SIMILAR, note)
            first = Cell(first.value, Agreement.SIMILAR, note)
        last_cells.append(last)
        first_cells.append(first)

    return [
        ComparisonRow("last_name", str(_("Last name")), submitted.last_name, tuple(last_cells)),
        ComparisonRow("first_name", str(_("First name")), submitted.first_name, tuple(first_cells)),
        ComparisonRow(
            "middle_name",
            str(_("Middle name")),
            submitted.middle_name,
            tuple(compare_middle(submitted.middle_name, c.middle_name) for c in candidates),
        ),
        ComparisonRow(
            "date_of_birth",
            str(_("Date of birth")),
            submitted.date_of_birth.isoformat() if submitted.date_of_birth else "",
            tuple(
                compare_date_of_birth(submitted.date_of_birth, c.date_of_birth) for c in candidates
            ),
        ),
        ComparisonRow(
            "other_names",
            str(_("Other names / aliases")),
            "; ".join(submitted.other_names),
            tuple(compare_other_names(submitted, c) for c in candidates),
        ),
        ComparisonRow(
            "case_number",
            str(_("Case number")),
            submitted.case_number,
            tuple(compare_case_number(submitted.case_number, c.case_number) for c in candidates),
        ),
    ]
