"""Field-by-field comparison for the review screen (pure: no database)."""

import datetime

import pytest

from cases.matching.types import PersonQuery
from screener.comparison import (
    Agreement,
    compare_case_number,
    compare_date_of_birth,
    compare_given,
    compare_middle,
    compare_surname,
    comparison_rows,
)

A, E, S, D, M = (
    Agreement.SAME,
    Agreement.EQUIVALENT,
    Agreement.SIMILAR,
    Agreement.DIFFERENT,
    Agreement.MISSING,
)


@pytest.mark.parametrize(
    ("typed", "recorded", "agreement"),
    [
        ("Gutiérrez", "GUTIERREZ", A),
        ("De La Cruz", "DELACRUZ", E),
        ("Garcia-Lopez", "GARCIA", E),
        ("Rodrigues", "RODRIGUEZ", S),
        ("Vasquez", "BASQUEZ", S),
        ("Hernandez", "FERNANDEZ", S),
        ("Smith", "NGUYEN", D),
        ("", "NGUYEN", M),
    ],
)
def test_surnames(typed, recorded, agreement):
    assert compare_surname(typed, recorded).agreement == agreement


@pytest.mark.parametrize(
    ("typed", "recorded", "agreement"),
    [
        ("José", "JOSE", A),
        ("Jose Luis", "JOSE", E),
        ("Chuy", "JESUS", E),
        ("Bill", "WILLIAM", E),
        ("Jhon", "JOHN", S),
        ("Maria", "ROBERTO", D),
    ],
)
def test_given_names(typed, recorded, agreement):
    assert compare_given(typed, recorded).agreement == agreement


def test_a_middle_initial_agrees_with_the_full_name():
    cell = compare_middle("E", "ELENA")
    assert (cell.agreement, cell.note) == (E, "initial")
    assert compare_middle("", "ELENA").agreement == M


@pytest.mark.parametrize(
    ("typed", "recorded", "agreement", "note"),
    [
        ((1975, 4, 12), (1975, 4, 12), A, ""),
        ((1975, 12, 4), (1975, 4, 12), S, "day and month swapped"),
        ((1975, 4, 13), (1975, 4, 12), S, "one digit differs"),
        ((1976, 4, 12), (1975, 4, 12), S, "one digit differs"),
        ((1957, 4, 12), (1975, 4, 12), S, "year off by a slip"),
        ((1988, 2, 2), (1975, 4, 12), D, ""),
    ],
)
def test_dates_of_birth_name_the_slip(typed, recorded, agreement, note):
    cell = compare_date_of_birth(datetime.date(*typed), datetime.date(*recorded))
    assert (cell.agreement, cell.note, cell.value) == (
        agreement,
        note,
        datetime.date(*recorded).isoformat(),
    )


def test_case_numbers_agree_whatever_the_separators():
    assert compare_case_number("ka-057 009", "KA057009").agreement == A
    assert compare_case_number("KA057090", "KA057009").agreement == S
    assert compare_case_number("", "KA057009").agreement == M


def test_rows_give_one_cell_per_candidate_in_order_and_spot_swapped_names():
    typed = PersonQuery(
        first_name="Gutierrez",
        last_name="Jesus",
        other_names=("Chuy Gutierrez",),
        date_of_birth=datetime.date(1975, 4, 12),
        case_number="BA-123456",
    )
    first = PersonQuery(
        first_name="JESUS",
        last_name="GUTIERREZ",
        date_of_birth=datetime.date(1975, 4, 12),
        other_names=("CHUY GUTIERREZ",),
        case_number="BA123456",
    )
    second = PersonQuery(
        first_name="MARIA",
        last_name="LOPEZ",
        date_of_birth=datetime.date(1980, 1, 1),
        case_number="VA000001",
    )

    rows = {row.field: row for row in comparison_rows(typed, [first, second])}

    assert list(rows) == [
        "last_name",
        "first_name",
        "middle_name",
        "date_of_birth",
        "other_names",
        "case_number",
    ]
    last = rows["last_name"].cells
    assert (last[0].agreement, last[0].note) == (S, "first and last name swapped")
    assert last[1].agreement == D
    assert [c.agreement for c in rows["other_names"].cells] == [A, M]
    assert [c.agreement for c in rows["case_number"].cells] == [A, D]
    assert [c.value for c in rows["date_of_birth"].cells] == ["1975-04-12", "1980-01-01"]
