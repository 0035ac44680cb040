"""Whether two recorded cases are one person's: the rule behind tie-ins and the review screen's
"other cases" (no database)."""

from datetime import date

import pytest

from cases.matching.same_person import same_given_name_and_birth, same_person
from tests.cases.scoring import record

OTHER_DOB = date(1981, 3, 14)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # The same CII number, whatever the names and dates.
        ({"cii_number": "A1"}, {"first": "ROSABLA", "dob": OTHER_DOB, "cii_number": "A1"}, True),
        # A different CII number is a different person, whatever the names and dates.
        ({"cii_number": "A1"}, {"cii_number": "A2"}, False),
        # Without a CII number on both: the date of birth, then names agreeing.
        ({"cii_number": "A1"}, {}, True),
        ({}, {"dob": OTHER_DOB}, False),
        ({}, {"first": "PEPE"}, True),
        ({}, {"last": "GARCIA LOPEZ"}, True),
        ({}, {"first": "JOZE"}, True),
        ({}, {"first": "GARCIA", "last": "JOSE"}, True),
        ({}, {"first": "JUAN"}, False),
        ({}, {"last": "LOPEZ"}, False),
        # Two real names a letter apart are two people (MARIO, MARIA).
        ({"first": "MARIO"}, {"first": "MARIA"}, False),
        # Second given names that differ are two people, wherever each is recorded
        # (second_given_names_differ); an initial or the middle name missing is no difference.
        ({"first": "JOSE EMILIO", "last": "GUTIERREZ MORALES"}, {"middle": "MANUEL"}, False),
        ({"middle": "EMILIO"}, {"middle": "MANUEL"}, False),
        ({"middle": "EMILIO"}, {"middle": "E"}, True),
        ({"first": "JOSE EMILIO"}, {"middle": "EMILIO"}, True),
        ({"middle": "EMILIO"}, {}, True),
        # The same CII number still decides.
        ({"middle": "EMILIO", "cii_number": "A1"}, {"middle": "MANUEL", "cii_number": "A1"}, True),
    ],
)
def test_same_person(a, b, expected):
    assert same_person(record(1, **a), record(2, **b)) is expected
    assert same_person(record(2, **b), record(1, **a)) is expected


def test_a_very_common_name_needs_the_same_full_middle_name_too():
    plain = record(1), record(2)
    assert same_person(*plain)
    assert not same_person(*plain, common_name=True)
    assert same_person(record(1, middle="LUIS"), record(2, middle="LUIS"), common_name=True)
    assert not same_person(record(1, middle="L"), record(2, middle="L"), common_name=True)
    # The CII number still decides.
    assert same_person(record(1, cii_number="A1"), record(2, cii_number="A1"), common_name=True)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({}, {"last": "NAVARRO"}, True),
        ({}, {"first": "PEPE", "last": "NAVARRO"}, True),
        ({"middle": "LUIS"}, {"middle": "ANTONIO", "last": "NAVARRO"}, False),
        ({}, {"dob": OTHER_DOB, "last": "NAVARRO"}, False),
        ({"first": "MARTIN"}, {"first": "MARVIN", "last": "NAVARRO"}, False),
    ],
)
def test_same_given_name_and_birth_under_any_surname(a, b, expected):
    assert same_given_name_and_birth(record(1, **a), record(2, **b)) is expected
