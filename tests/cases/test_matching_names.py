"""Given-name equivalence: English nicknames and Spanish hypocorisms; the frozen name lists."""

import pytest

from cases.matching.names import (
    GIVEN_NAMES_FILE,
    NAME_LISTS_VERSION,
    SURNAMES_FILE,
    are_nicknames,
    is_known_given_name,
    is_known_surname,
    name_roots,
    name_words,
    read_name_list,
)


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


@pytest.mark.parametrize("name", ["FERNANDEZ", "HERNANDEZ", "KERR", "CARR", "GARCIA"])
def test_real_surnames_are_known(name):
    assert is_known_surname(name)


@pytest.mark.parametrize("slip", ["FERNANDES", "GARCIAA", "LOPZE"])
def test_typing_slips_are_not_known_surnames(slip):
    assert not is_known_surname(slip)


@pytest.mark.parametrize("path", [GIVEN_NAMES_FILE, SURNAMES_FILE])
def test_the_name_lists_are_sorted_folded_words_of_the_current_version(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    words = [line for line in lines if not line.startswith("#")]
    assert f"# NAME_LISTS_VERSION {NAME_LISTS_VERSION}" in header
    assert any(line.startswith("# Source: Faker ") for line in header)
    assert words == sorted(set(words))
    assert name_words(words) == frozenset(words) == read_name_list(path)


def test_a_name_list_of_another_version_is_refused(tmp_path):
    stale = tmp_path / "surnames.txt"
    stale.write_text(f"# NAME_LISTS_VERSION {NAME_LISTS_VERSION + 1}\nGARCIA\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"run scripts/name_lists\.py"):
        read_name_list(stale)
