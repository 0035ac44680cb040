"""Given-name equivalence: English nicknames and Spanish hypocorisms."""

import pytest

from cases.matching.names import are_nicknames, is_known_given_name, name_roots


@pytest.mark.parametrize(
    ("nickname", "formal"),
    [
        ("Chuy", "Jesus"),
        ("Lupe", "Guadalupe"),
        ("Pepe", "José"),
        ("Paco", "Francisco"),
        ("Pancho", "Francisco"),
        ("Nacho", "Ignacio"),
        ("Memo", "Guillermo"),
        ("Beto", "Alberto"),
        ("Beto", "Roberto"),
        ("Lalo", "Eduardo"),
        ("Chava", "Salvador"),
        ("Chayo", "Rosario"),
        ("Cuco", "Refugio"),
        ("Bill", "William"),
        ("Bob", "Robert"),
        ("Peggy", "Margaret"),
        ("Tony", "Anthony"),
        ("Tony", "Antonio"),
    ],
)
def test_nicknames_are_equivalent_both_ways(nickname, formal):
    assert are_nicknames(nickname.upper(), formal.upper())
    assert are_nicknames(formal.upper(), nickname.upper())


@pytest.mark.parametrize(
    ("a", "b"),
    [("ALBERTO", "ROBERTO"), ("JOSE", "JESUS"), ("MARIA", "MARIO"), ("JUAN", "JUAN")],
)
def test_different_names_or_the_same_name_are_not_nicknames(a, b):
    assert not are_nicknames(a, b)


def test_roots_of_a_formal_name_include_itself():
    assert "GUADALUPE" in name_roots("Guadalupe")
    assert name_roots("") == frozenset()


@pytest.mark.parametrize("name", ["MARTIN", "MARVIN", "JOSUE", "GUADALUPE", "CHUY", "WILLIAM"])
def test_real_given_names_are_known(name):
    assert is_known_given_name(name)


@pytest.mark.parametrize("slip", ["JNSE", "MARYA", "FRANICSCO", "JESSU"])
def test_typing_slips_are_not_known_given_names(slip):
    assert not is_known_given_name(slip)


def test_two_formal_names_that_share_a_nickname_are_not_nicknames_of_each_other():
    # The nickname list ties both ROBERT and WILLIAM to BILL.
    assert not are_nicknames("ROBERT", "WILLIAM")
    assert are_nicknames("BILL", "WILLIAM")
    assert are_nicknames("BETO", "ROBERTO")
    assert not are_nicknames("ALBERTO", "ROBERTO")
