"""The review screen's field-by-field comparison: the engine's own verdict on each field (no
database)."""

import datetime

from django.utils import translation

from cases.matching.explain import Agreement, comparison_rows
from cases.matching.readings import prepare_query
from cases.matching.types import PersonQuery
from cases.matching.weights import score_candidate
from tests.cases.scoring import FREQUENCIES, record

A, E, S, D, M = (
    Agreement.SAME,
    Agreement.EQUIVALENT,
    Agreement.SIMILAR,
    Agreement.DIFFERENT,
    Agreement.MISSING,
)


def rows_for(typed: PersonQuery, *records):
    prepared = prepare_query(typed)
    scored = [score_candidate(prepared, r, FREQUENCIES) for r in records]
    return {row.field: row for row in comparison_rows(typed, scored)}, scored


def test_each_cell_is_the_level_the_engine_weighed_with_its_meaning_and_weight():
    typed = PersonQuery(
        first_name="Pepe",
        middle_name="Luis",
        last_name="Garsia",
        date_of_birth=datetime.date(1980, 2, 3),
        case_number="",
    )
    rows, scored = rows_for(
        typed, record(first="JOSE", middle="LUIS", dob=datetime.date(1980, 3, 2))
    )

    weights = {f.field: round(f.weight, 2) for f in scored[0].fields}
    first = rows["first_name"].cells[0]
    assert (first.value, first.agreement, first.level, first.label) == (
        "JOSE",
        E,
        "nickname",
        "nickname",
    )
    assert first.note == "The first name typed is a nickname of the recorded one (or the reverse)."
    assert first.weight == weights["first_name"]
    last = rows["last_name"].cells[0]
    assert (last.agreement, last.level, last.weight) == (S, "sounds_alike", weights["last_name"])
    middle = rows["middle_name"].cells[0]
    assert (middle.agreement, middle.level, middle.note) == (
        A,
        "exact",
        "The middle name is the same.",
    )
    dob = rows["date_of_birth"].cells[0]
    assert (dob.value, dob.agreement, dob.label) == ("1980-03-02", S, "day and month swapped")
    number = rows["case_number"].cells[0]
    assert (number.agreement, number.label, number.weight) == (M, "not given", None)


def test_rows_give_one_cell_per_candidate_in_order_and_say_when_names_were_read_swapped():
    typed = PersonQuery(
        first_name="Gutierrez",
        last_name="Jesus",
        date_of_birth=datetime.date(1975, 4, 12),
        case_number="BA-123456",
    )
    first = record(
        1, first="JESUS", last="GUTIERREZ", dob=datetime.date(1975, 4, 12), number="BA123456"
    )
    second = record(
        2, first="MARIA", last="LOPEZ", dob=datetime.date(1980, 1, 1), number="VA000001"
    )

    rows, _ = rows_for(typed, first, second)

    assert list(rows) == [
        "last_name",
        "first_name",
        "middle_name",
        "name_reading",
        "date_of_birth",
        "other_names",
        "case_number",
    ]
    # The engine compared the typed first name with the recorded surname: they agree.
    assert [c.agreement for c in rows["last_name"].cells] == [A, D]
    reading = rows["name_reading"].cells[0]
    assert (reading.agreement, reading.label) == (S, "first and last name swapped")
    assert reading.weight < 0
    assert [c.agreement for c in rows["case_number"].cells] == [A, D]
    assert [c.value for c in rows["date_of_birth"].cells] == ["1975-04-12", "1980-01-01"]
    assert [c.agreement for c in rows["middle_name"].cells] == [M, M]


def test_names_read_as_typed_need_no_reading_row():
    typed = PersonQuery(first_name="Jose", last_name="Garcia", date_of_birth=record().date_of_birth)
    rows, _ = rows_for(typed, record())
    assert "name_reading" not in rows
    assert [c.agreement for c in rows["last_name"].cells] == [A]
    # No middle name on either side: nothing to say.
    assert (rows["middle_name"].cells[0].agreement, rows["middle_name"].cells[0].label) == (M, "")


def test_a_middle_name_the_engine_did_not_weigh_says_so():
    typed = PersonQuery(
        first_name="Jose",
        middle_name="Luis",
        last_name="Garcia",
        date_of_birth=record().date_of_birth,
    )
    rows, _ = rows_for(typed, record())
    cell = rows["middle_name"].cells[0]
    assert (cell.agreement, cell.label, cell.weight) == (M, "not compared", None)


def test_an_alias_the_engine_used_is_shown_as_such():
    typed = PersonQuery(
        first_name="Debra", last_name="Sanchez", date_of_birth=record().date_of_birth
    )
    rows, _ = rows_for(
        typed,
        record(1, first="DEBRA", last="NIXON", aliases=[("", "SANCHEZ")]),
        record(2, first="DEBRA", last="SANCHEZ", aliases=[("CHUY", "GUTIERREZ")]),
        record(3, first="DEBRA", last="SANCHEZ"),
    )
    cells = rows["other_names"].cells
    assert [c.value for c in cells] == ["SANCHEZ", "CHUY GUTIERREZ", ""]
    assert [(c.agreement, c.label) for c in cells] == [(E, "alias"), (M, "not used"), (M, "")]
    assert rows["last_name"].cells[0].agreement == A


def test_the_review_screen_and_the_engine_give_the_same_verdict_where_the_old_screen_did_not():
    # Two real surnames a letter apart: the review screen shows the engine's own verdict (one or
    # two letters off: for staff, never a match on its own), not a similarity of its own.
    typed = PersonQuery(
        first_name="Maria", last_name="Hernandez", date_of_birth=record().date_of_birth
    )
    rows, scored = rows_for(typed, record(first="MARIA", last="FERNANDEZ"))
    cell = rows["last_name"].cells[0]
    assert (
        (cell.agreement, cell.level)
        == (S, str(scored[0].surname_level))
        == (S, "one_or_two_letters_off")
    )


def test_the_engines_words_are_shown_in_the_reviewers_language():
    typed = PersonQuery(
        first_name="Jose", last_name="Garcia", date_of_birth=datetime.date(1980, 2, 3)
    )
    with translation.override("es"):
        rows, _ = rows_for(typed, record(dob=datetime.date(1980, 3, 2)))
    cell = rows["date_of_birth"].cells[0]
    assert (cell.label, cell.note) == (
        "día y mes intercambiados",
        "La fecha de nacimiento tiene el día y el mes intercambiados.",
    )
    assert rows["last_name"].label == "Apellido"


def test_a_name_letters_off_reads_in_spanish_on_the_review_screen():
    typed = PersonQuery(first_name="Saraa", last_name="Stubx", date_of_birth=record().date_of_birth)
    with translation.override("es"):
        rows, _ = rows_for(typed, record(first="SARA", last="STUBBS"))
    cell = rows["last_name"].cells[0]
    assert (cell.label, cell.note) == (
        "una o dos letras de diferencia",
        "El apellido difiere en una o dos letras.",
    )
