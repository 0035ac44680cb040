"""The review screen's field-by-field comparison: what the engine made of each field.

One row per field, one cell per candidate case, each cell giving the recorded value and the
engine's verdict on it: the agreement level it weighed (compare.py, dates.py), what the level
means and its weight in bits. The cells come from the candidates as `score_candidate` scored
them (engine.score_cases), so staff see the very verdict the engine used, once per field.
`Agreement` only groups the levels for colour. Pure: no database.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .compare import Level
from .dates import DobAgreement
from .readings import Reading
from .types import PersonQuery
from .weights import FieldResult, Scored


class Agreement(enum.StrEnum):
    """How a cell reads at a glance (its colour on the review screen)."""

    SAME = "same"
    EQUIVALENT = "equivalent"  # the same name or number written another way
    SIMILAR = "similar"  # a slip, a sound-alike or a part: plausible, worth a look
    DIFFERENT = "different"
    MISSING = "missing"  # nothing to compare, or not compared


_LEVEL_AGREEMENT = {
    Level.EXACT: Agreement.SAME,
    Level.SPACING: Agreement.EQUIVALENT,
    Level.PARTIAL: Agreement.EQUIVALENT,
    Level.NICKNAME: Agreement.EQUIVALENT,
    Level.MIDDLE_AS_FIRST: Agreement.EQUIVALENT,
    Level.OTHER_ORDER: Agreement.EQUIVALENT,
    Level.NEAR: Agreement.SIMILAR,
    Level.SECOND_PART: Agreement.SIMILAR,
    Level.PHONETIC: Agreement.SIMILAR,
    Level.TYPO: Agreement.SIMILAR,
    Level.INITIAL: Agreement.SIMILAR,
    Level.CLOSE: Agreement.SIMILAR,
    Level.DIFFERENT: Agreement.DIFFERENT,
    Level.MISSING: Agreement.MISSING,
}
_DOB_AGREEMENT = {
    DobAgreement.EXACT: Agreement.SAME,
    DobAgreement.TRANSPOSED: Agreement.SIMILAR,
    DobAgreement.ONE_DIGIT: Agreement.SIMILAR,
    DobAgreement.YEAR_OFF: Agreement.SIMILAR,
    DobAgreement.DAY_APART: Agreement.SIMILAR,
    DobAgreement.DIFFERENT: Agreement.DIFFERENT,
    DobAgreement.MISSING: Agreement.MISSING,
}
LEVEL_LABELS = {
    Level.EXACT: gettext_lazy("same"),
    Level.SPACING: gettext_lazy("same surname written differently"),
    Level.PARTIAL: gettext_lazy("one part of a double surname"),
    Level.SECOND_PART: gettext_lazy("second part of a double surname"),
    Level.NICKNAME: gettext_lazy("nickname"),
    Level.MIDDLE_AS_FIRST: gettext_lazy("middle name used as the first"),
    Level.OTHER_ORDER: gettext_lazy("given names in the other order"),
    Level.NEAR: gettext_lazy("one or two letters off"),
    Level.PHONETIC: gettext_lazy("sounds alike"),
    Level.TYPO: gettext_lazy("typing slip"),
    Level.INITIAL: gettext_lazy("initial"),
    Level.CLOSE: gettext_lazy("one character off"),
    Level.DIFFERENT: gettext_lazy("different"),
    Level.MISSING: gettext_lazy("not given"),
}
DOB_LABELS = {
    DobAgreement.EXACT: gettext_lazy("same"),
    DobAgreement.TRANSPOSED: gettext_lazy("day and month swapped"),
    DobAgreement.ONE_DIGIT: gettext_lazy("one digit differs"),
    DobAgreement.YEAR_OFF: gettext_lazy("year off by a slip"),
    DobAgreement.DAY_APART: gettext_lazy("a day apart"),
    DobAgreement.DIFFERENT: gettext_lazy("different"),
    DobAgreement.MISSING: gettext_lazy("not given"),
}
READING_LABELS = {
    Reading.AS_TYPED: gettext_lazy("as typed"),
    Reading.SWAPPED: gettext_lazy("first and last name swapped"),
    Reading.MIDDLE_AS_SURNAME: gettext_lazy("middle name read as the first surname"),
    Reading.OTHER_NAME: gettext_lazy("other name given"),
}


@dataclass(frozen=True)
class Cell:
    value: str
    agreement: Agreement
    # The engine's level ("nickname", "day_month_swapped"); empty when it compared nothing.
    level: str = ""
    label: str = ""
    note: str = ""
    weight: float | None = None


@dataclass(frozen=True)
class ComparisonRow:
    field: str
    label: str
    submitted: str
    cells: tuple[Cell, ...]


def _cell(
    value: str,
    level: Level | DobAgreement,
    labels: dict,
    agreements: dict,
    found: FieldResult | None,
) -> Cell:
    return Cell(
        value=value,
        agreement=agreements[level],
        level=str(level),
        label=str(labels[level]),
        # The engine's own words for the level, in the reviewer's language.
        note=_(found.detail) if found else "",
        weight=round(found.weight, 2) if found else None,
    )


def _not_compared(value: str, label: str) -> Cell:
    return Cell(value=value, agreement=Agreement.MISSING, label=label)


def _name_cells(submitted: PersonQuery, s: Scored) -> dict[str, Cell]:
    record = s.record
    fields = {f.field: f for f in s.fields}
    cells = {
        "last_name": _cell(
            record.last_name,
            s.surname_level,
            LEVEL_LABELS,
            _LEVEL_AGREEMENT,
            fields.get("last_name"),
        ),
        "first_name": _cell(
            record.first_name,
            s.given_level,
            LEVEL_LABELS,
            _LEVEL_AGREEMENT,
            fields.get("first_name"),
        ),
        "date_of_birth": _cell(
            record.date_of_birth.isoformat() if record.date_of_birth else "",
            s.dob,
            DOB_LABELS,
            _DOB_AGREEMENT,
            fields.get("date_of_birth"),
        ),
        "case_number": _cell(
            record.case_number,
            s.case_number,
            LEVEL_LABELS,
            _LEVEL_AGREEMENT,
            fields.get("case_number"),
        ),
    }
    if s.middle_level is not None:
        cells["middle_name"] = _cell(
            record.middle_name,
            s.middle_level,
            LEVEL_LABELS,
            _LEVEL_AGREEMENT,
            fields.get("middle_name"),
        )
    else:
        # One side has no middle name, or the middle name took part in the first name's level
        # (a middle name used as the first).
        given = submitted.middle_name.strip() or record.middle_name
        cells["middle_name"] = _not_compared(record.middle_name, _("not compared") if given else "")
    cells["other_names"] = _other_names_cell(s, fields.get("name_reading"))
    cells["name_reading"] = _reading_cell(s, fields.get("name_reading"))
    return cells


def _other_names_cell(s: Scored, reading: FieldResult | None) -> Cell:
    """The aliases recorded on the case, and whether the engine's best reading used one (or an
    other name the person gave)."""
    aliases = "; ".join(" ".join(p for p in alias if p) for alias in s.record.aliases)
    if s.against_alias or s.reading is Reading.OTHER_NAME:
        level = "alias" if s.against_alias else "reading"
        label = _("alias") if s.against_alias else str(READING_LABELS[Reading.OTHER_NAME])
        return Cell(
            value=aliases,
            agreement=Agreement.EQUIVALENT,
            level=level,
            label=label,
            weight=round(reading.weight, 2) if reading else None,
        )
    return _not_compared(aliases, _("not used") if aliases else "")


def _reading_cell(s: Scored, reading: FieldResult | None) -> Cell:
    if s.reading is None:
        return _not_compared("", _("not compared"))
    agreement = Agreement.SAME if s.reading is Reading.AS_TYPED else Agreement.SIMILAR
    return Cell(
        value="",
        agreement=agreement,
        level=str(s.reading),
        label=str(READING_LABELS[s.reading]),
        weight=round(reading.weight, 2) if reading else None,
    )


def comparison_rows(submitted: PersonQuery, candidates: Sequence[Scored]) -> list[ComparisonRow]:
    """One row per field: the typed value, then one cell per candidate in the given order. The
    row saying how the names were read (first and last swapped, ...) is there only when the
    engine read some candidate's names otherwise than as typed."""
    cells = [_name_cells(submitted, s) for s in candidates]

    def row(field: str, label: str, value: str) -> ComparisonRow:
        return ComparisonRow(field, label, value, tuple(c[field] for c in cells))

    rows = [
        row("last_name", _("Last name"), submitted.last_name),
        row("first_name", _("First name"), submitted.first_name),
        row("middle_name", _("Middle name"), submitted.middle_name),
    ]
    read_otherwise = (Reading.SWAPPED, Reading.MIDDLE_AS_SURNAME)
    if any(s.reading in read_otherwise for s in candidates):
        rows.append(row("name_reading", _("Names compared"), ""))
    rows += [
        row(
            "date_of_birth",
            _("Date of birth"),
            submitted.date_of_birth.isoformat() if submitted.date_of_birth else "",
        ),
        row("other_names", _("Other names / aliases"), "; ".join(submitted.other_names)),
        row("case_number", _("Case number"), submitted.case_number),
    ]
    return rows
