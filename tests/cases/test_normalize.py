"""Normal forms shared by the importer, partner screening and the matching engine."""

import pytest

from cases.normalize import collapse_spaces, strip_accents


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Maria \t del  Carmen ", "Maria del Carmen"),
        ("KA 057\n009", "KA 057 009"),
        ("", ""),
        (None, ""),
        ("   ", ""),
    ],
)
def test_collapse_spaces(value, expected):
    assert collapse_spaces(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("José Muñoz", "Jose Munoz"),
        ("Ñuñez-Gutiérrez", "Nunez-Gutierrez"),
        ("Zoë O’Brien", "Zoe OBrien"),
        ("GARCIA", "GARCIA"),
        ("李", ""),
        (None, ""),
    ],
)
def test_strip_accents(text, expected):
    assert strip_accents(text) == expected
