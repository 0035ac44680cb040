"""Field agreement levels of surnames, given names and case numbers (no database)."""

import pytest

from cases.matching.compare import (
    Level,
    compare_case_number,
    compare_given,
    compare_surname,
    is_gender_pair,
)
from cases.matching.normalize import given_names, surname


@pytest.mark.parametrize(
    ("typed", "recorded", "level"),
    [
        ("Garcia", "GARCIA", Level.EXACT),
        ("Garcia-Lopez", "GARCIA LOPEZ", Level.EXACT),
        ("Delacruz", "DE LA CRUZ", Level.EXACT),
        ("Cruz", "DE LA CRUZ", Level.SPACING),
        ("Garcia", "GARCIA LOPEZ", Level.PARTIAL),
        ("Lopez", "GARCIA LOPEZ", Level.SECOND_PART),
        ("Garcia Lopez", "LOPEZ", Level.SECOND_PART),
        ("Garcia Lopez", "GARCIA", Level.PARTIAL),
        ("Barajas", "BARAJASPEREZ", Level.PARTIAL),
        ("Lopes", "GARCIA LOPEZ", Level.SECOND_PART),
        ("Garsia", "GARCIA LOPEZ", Level.PARTIAL),
        ("Vladez", "VALDEZ", Level.PHONETIC),
        ("Farrey", "FARRELL", Level.PHONETIC),
        ("Garria", "GARCIA", Level.TYPO),
        ("Hinl", "HILL", Level.TYPO),
        ("Smith", "JONES", Level.DIFFERENT),
        ("Hernandez", "FERNANDEZ", Level.NEAR),  # two real surnames, not a slip: near
        # Neighbouring letters swapped is a slip even when the name lists hold the misspelling.
        ("Garica", "GARCIA", Level.TYPO),
    ],
)
def test_compare_surname(typed, recorded, level):
    assert compare_surname(surname(typed), surname(recorded))[0] == level


@pytest.mark.parametrize(
    ("typed", "recorded", "level"),
    [
        ("Jose", "JOSE", Level.EXACT),
        ("Pepe", "JOSE", Level.NICKNAME),
        ("Bill", "WILLIAM", Level.NICKNAME),
        ("Elena", "MARIA ELENA", Level.MIDDLE_AS_FIRST),
        ("Maria Elena", "ELENA", Level.MIDDLE_AS_FIRST),
        ("Joseluis", "JOSE LUIS", Level.EXACT),
        ("Geoffrey", "JEFFREY", Level.PHONETIC),
        ("William", "WIYIAM", Level.PHONETIC),  # LL written as Y
        ("Elena", "HELENA", Level.PHONETIC),
        ("Mike", "MICAEL", Level.NICKNAME),  # a nickname of the name misspelled on record
        ("Eddie", "EDWARRD", Level.NICKNAME),
        ("Edwarrd", "EDDIE", Level.NICKNAME),
        ("Mike", "MARCUS", Level.DIFFERENT),
        ("Franicsco", "FRANCISCO", Level.TYPO),
        ("J", "JOSE", Level.INITIAL),
        ("Mario", "MARIA", Level.NEAR),
        ("Daniel", "DANIELA", Level.NEAR),
        ("Alberto", "ROBERTO", Level.NEAR),
    ],
)
def test_compare_given(typed, recorded, level):
    assert compare_given(given_names(typed), given_names(recorded))[0] == level


def test_middle_names_compare_when_both_are_given():
    assert compare_given(("JOHN", "ROBERT"), ("JOHN", "R"))[1] == Level.INITIAL
    assert compare_given(("JOHN", "ROBERT"), ("JOHN", "PAUL"))[1] == Level.DIFFERENT
    assert compare_given(("JOHN",), ("JOHN", "PAUL"))[1] is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("MARIO", "MARIA", True), ("JUAN", "JUANA", True), ("JOSE", "JOSUE", False)],
)
def test_gender_pairs(a, b, expected):
    assert is_gender_pair(a, b) is expected


@pytest.mark.parametrize(
    ("typed", "recorded", "level"),
    [
        ("", "BA123456", Level.MISSING),
        ("BA123456", "BA123456", Level.EXACT),
        ("BA123465", "BA123456", Level.CLOSE),
        ("TA999999", "BA123456", Level.DIFFERENT),
    ],
)
def test_compare_case_number(typed, recorded, level):
    assert compare_case_number(typed, recorded) == level
