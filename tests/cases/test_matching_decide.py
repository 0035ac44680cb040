"""Outcomes on constructed near-misses: the score, the safety rules and the tie-ins (no
database)."""

from dataclasses import replace
from datetime import date

import pytest
from django.conf import settings

from cases.matching.compare import Level, compare_given
from cases.matching.decide import decide, expected_namesakes
from cases.matching.normalize import given_names
from cases.matching.readings import prepare_query
from cases.matching.rules import slip_may_match
from cases.matching.weights import Frequencies, given_key, score_candidate, surname_key
from tests.cases.scoring import DOB, FREQUENCIES, outcomes, person, record


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [("Miiguel", "MIGUEL"), ("Jose", "JOZE"), ("Mchael", "MICHAEL")],
)
def test_a_misspelled_common_first_name_still_matches(typed, recorded):
    # The slip is on one side only, so the name says what MIGUEL says, not that two different
    # names sound alike.
    common = Frequencies(
        total_cases=125_000, key_counts={given_key(recorded): 5000, surname_key("GARCIA"): 10}
    )
    query = person(first=typed)
    assert outcomes(query, record(first=recorded), frequencies=common)[0] == "match"


def test_a_pet_name_of_a_common_name_still_matches():
    # Joe for José says which name is on record, even though JOSE is very common.
    common = Frequencies(
        total_cases=125_000, key_counts={given_key("JOSE"): 6000, surname_key("PEREZ"): 300}
    )
    query = person(first="Joe", last="Perez")
    assert outcomes(query, record(first="JOSE", last="PEREZ"), frequencies=common)[0] == "match"


def test_a_common_middle_name_typed_as_the_first_is_for_staff():
    # DAVID BISHOP's twin could be MICHAEL DAVID BISHOP: the name says too little.
    common = Frequencies(
        total_cases=125_000, key_counts={given_key("DAVID"): 4000, given_key("MICHAEL"): 4000}
    )
    found = record(first="MICHAEL", middle="DAVID", last="BISHOP")
    assert outcomes(person(first="David", last="Bishop"), found, frequencies=common)[0] == (
        "possible"
    )


def test_a_middle_name_with_a_spelling_slip_is_not_a_different_middle_name():
    level, middle, _ = compare_given(given_names("Daniel", "Robert"), given_names("DANIEL ROBET"))
    assert (level, middle) == (Level.EXACT, Level.TYPO)
    query = person(first="Daniel", middle_name="Robert")
    assert outcomes(query, record(first="DANIEL", middle="ROBET"))[0] == "match"


def test_exact_details_are_a_match():
    overall, by_case, _ = outcomes(person(), record())
    assert overall == "match"
    assert by_case == {1: "match"}


def test_all_of_a_persons_cases_are_matched():
    overall, by_case, _ = outcomes(
        person(last="Garcia Lopez"),
        record(1, last="GARCIA LOPEZ"),
        record(2, last="GARCIA-LOPEZ"),
        record(3, last="GARCIA"),
    )
    assert overall == "match"
    assert by_case == {1: "match", 2: "match", 3: "match"}


@pytest.mark.parametrize(
    "query",
    [
        person(first="José", last="García"),
        person(first="jose", last="GARCIA"),
        person(first="Pepe"),
        person(first="Garcia", last="Jose"),
        person(last="Garcia Jr."),
        person(last="Garrcia"),
    ],
)
def test_variations_of_the_persons_own_name_match(query):
    assert outcomes(query, record())[0] == "match"


def test_a_middle_name_typed_as_the_first_is_for_staff_as_a_twin_could_be_named_so():
    # JORGE typed, FRANCISCO JORGE recorded: the person, or a twin named JORGE.
    overall, _, decisions = outcomes(
        person(first="Jorge"), record(first="FRANCISCO", middle="JORGE")
    )
    assert overall == "possible"
    assert decisions[0].explanation["rule"] == "first_name_is_recorded_middle"


def test_both_given_names_typed_in_the_other_order_match():
    query = person(first="Jorge", middle_name="Francisco")
    assert outcomes(query, record(first="FRANCISCO", middle="JORGE"))[0] == "match"


def test_the_persons_other_case_with_the_same_cii_vouches_for_a_middle_name_typed_as_first():
    # The person goes by JORGE: one case records JORGE, another FRANCISCO JORGE, one CII number.
    overall, by_case, decisions = outcomes(
        person(first="Jorge"),
        record(1, first="JORGE", cii_number="A1"),
        record(2, first="FRANCISCO", middle="JORGE", cii_number="A1"),
    )
    assert (overall, by_case) == ("match", {1: "match", 2: "match"})
    assert {d.explanation["rule"] for d in decisions} == {"", "same_cii_as_a_match"}


def test_another_cii_does_not_vouch_for_a_middle_name_typed_as_first():
    _, by_case, _ = outcomes(
        person(first="Jorge"),
        record(1, first="JORGE", cii_number="A1"),
        record(2, first="FRANCISCO", middle="JORGE", cii_number="A2"),
    )
    assert by_case[2] == "possible"


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ({"first": "Saraa"}, {"first": "SARA"}),
        ({"first": "Henrya"}, {"first": "HENRY"}),
        ({"first": "Melind"}, {"first": "MELINDA"}),
        ({"last": "Stubx"}, {"last": "STUBBS"}),
        ({"first": "Ada"}, {"first": "ADAM"}),
        ({"last": "Hernandez"}, {"last": "FERNANDEZ"}),
    ],
)
def test_a_name_one_or_two_letters_off_beside_exact_details_is_found(typed, recorded):
    assert outcomes(person(**typed), record(**recorded))[0] in ("match", "possible")


@pytest.mark.parametrize(
    "typed",
    [
        {"first": "Ada", "dob": date(1980, 3, 15)},  # and a slip in the date
        {"first": "Ada", "last": "Garcya"},  # and the surname not exact
    ],
)
def test_a_name_two_letters_off_needs_everything_else_exact(typed):
    assert outcomes(person(**typed), record(first="ADAM"))[0] == "no_match"


def test_a_cross_language_twin_is_not_a_match():
    # ENRIQUE typed, HENRY recorded: the same name in two languages, or twins.
    overall, _, decisions = outcomes(person(first="Enrique"), record(first="HENRY"))
    assert overall == "possible"
    assert decisions[0].explanation["rule"] == "first_names_two_languages"


def test_a_cross_language_name_with_the_middle_name_agreeing_matches():
    query = person(first="Henry", middle_name="Alonso")
    assert outcomes(query, record(first="ENRIQUE", middle="ALONSO"))[0] == "match"


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("Pete", "PEDRO"),
        ("Edward", "LALO"),
        ("Joseph", "JOSE"),
        ("Michael", "MIGUEL"),  # whatever nickname lists say of the pair
        ("Anthony", "ANTONYO"),  # ANTONIO misspelled on record: as near the one as the other
        ("Henry", "ENRYQUE"),
        ("Michael", "MIKE"),  # the nickname of both MICHAEL and MIGUEL
    ],
)
def test_a_name_reached_only_through_the_other_language_is_found_for_staff(typed, recorded):
    # PETE is PETER's, PETER is PEDRO in Spanish: found, but a twin PETER could be typing.
    overall, _, decisions = outcomes(person(first=typed), record(first=recorded))
    assert overall == "possible"
    assert decisions[0].explanation["rule"] == "first_names_two_languages"


@pytest.mark.parametrize(
    ("typed", "recorded", "expected"),
    [
        ("Robert", "ROBRET", "match"),  # ROBERT's letters swapped: nearer it than ROBERTO
        ("Juan", "JUUAN", "match"),  # a letter doubled; sounds as JUAN does, and as JOHN
        ("Robert", "ROBEROT", "possible"),  # one slip from ROBERT and one from ROBERTO
        ("Anthony", "ANTONYO", "possible"),  # nearer ANTONIO than ANTHONY
    ],
)
def test_a_slip_on_record_nearer_the_typed_name_than_its_translation_is_the_typed_name(
    typed, recorded, expected
):
    assert outcomes(person(first=typed), record(first=recorded))[0] == expected


def test_a_record_with_first_and_last_swapped_does_not_hide_the_other_language():
    found = record(first="CASTILLO", last="ANTONIO")
    assert outcomes(person(first="Anthony", last="Castillo"), found)[0] == "possible"


def test_an_alias_does_not_hide_that_the_name_is_in_the_other_language():
    found = record(first="JOSE", aliases=[("JOE", "GARCIA")])
    assert outcomes(person(first="Joseph"), found)[0] == "possible"


def test_jose_and_joseph_born_the_same_day_are_not_taken_for_one_person():
    # Twins, or one person recorded in both languages: staff decide.
    _, by_case, decisions = outcomes(person(), record(1), record(2, first="JOSEPH"))
    assert by_case == {1: "possible", 2: "possible"}
    assert decisions[0].explanation["rule"] == "ambiguous"


def test_a_case_tied_in_by_cii_whose_name_and_birth_date_both_differ_goes_to_staff():
    # The CII number recorded on someone else's case: never told to the person as theirs.
    overall, by_case, decisions = outcomes(
        person(),
        record(1, cii_number="A1"),
        record(2, first="MARCUS", last="WEBB", dob=date(1961, 7, 2), cii_number="A1"),
    )
    assert (overall, by_case) == ("match", {1: "match", 2: "possible"})
    assert decisions[1].explanation["rule"] == "tied_in_disagrees_with_typed"


def test_a_case_tied_in_by_cii_with_the_name_agreeing_keeps_the_match():
    _, by_case, _ = outcomes(
        person(), record(1, cii_number="A1"), record(2, dob=date(1961, 7, 2), cii_number="A1")
    )
    assert by_case == {1: "match", 2: "match"}


def test_same_name_other_birth_date_is_not_a_match():
    overall, by_case, _ = outcomes(person(dob=date(1975, 9, 2)), record())
    assert overall == "no_match"
    assert by_case == {}


def test_twin_with_same_surname_and_birth_date_is_not_a_match():
    # Two letters apart: staff see it (a slip?), but it is never a match.
    assert outcomes(person(first="Roberto"), record(first="ALBERTO"))[0] == "possible"
    assert outcomes(person(first="Luis"), record(first="ALBERTO"))[0] == "no_match"


def test_twin_whose_name_is_a_slip_away_is_at_most_possible():
    assert outcomes(person(first="Marvin"), record(first="MARTIN"))[0] == "possible"


def test_common_name_with_a_nearby_birth_date_is_at_most_possible():
    overall, _, _ = outcomes(person(dob=date(1980, 3, 15)), record())
    assert overall == "possible"


@pytest.mark.parametrize("typed_dob", [date(1980, 3, 15), date(1981, 3, 14), date(1980, 3, 4)])
def test_birth_date_slip_alone_is_possible_not_match(typed_dob):
    assert outcomes(person(dob=typed_dob), record())[0] == "possible"


# What the engine knows of a rare name (XOCHITL ZAMUDIO, one case) and a common one in a
# database of 125,000 cases.
RARE = Frequencies(
    total_cases=125_000, key_counts={given_key("XOCHITL"): 1, surname_key("ZAMUDIO"): 1}
)
COMMON = Frequencies(
    total_cases=125_000, key_counts={given_key("JOSE"): 6000, surname_key("GARCIA"): 4000}
)


def slip_outcomes(query, *records, frequencies, held_elsewhere=False):
    """As the engine decides: candidates whose date slip could match are checked for other
    people recorded under their name (`held_elsewhere` stands for what the database says)."""
    prepared = prepare_query(query)
    scored = []
    for r in records:
        s = score_candidate(prepared, r, frequencies)
        if slip_may_match(
            s, match_threshold=settings.MATCH_THRESHOLD, total_cases=frequencies.total_cases
        ):
            s = replace(s, name_held_elsewhere=held_elsewhere)
        scored.append(s)
    overall, decisions = decide(
        scored,
        match_threshold=settings.MATCH_THRESHOLD,
        possible_threshold=settings.POSSIBLE_THRESHOLD,
    )
    return overall, decisions


XOCHITL = record(first="XOCHITL", last="ZAMUDIO", middle="ANAHI")


@pytest.mark.parametrize(
    ("typed_dob", "recorded_dob"),
    [
        (date(1980, 3, 15), DOB),
        (date(1981, 3, 14), DOB),
        (date(1980, 8, 14), DOB),
        (date(1980, 4, 3), date(1980, 3, 4)),
    ],
    ids=["one digit of the day", "year one off", "one digit of month", "day and month swapped"],
)
def test_birth_date_slip_with_a_rare_name_no_one_else_has_is_a_match(typed_dob, recorded_dob):
    query = person(first="Xóchitl", last="Zamudio", middle_name="Anahí", dob=typed_dob)
    found = replace(XOCHITL, date_of_birth=recorded_dob)
    overall, [decision] = slip_outcomes(query, found, frequencies=RARE)
    assert overall == "match"
    assert decision.scored.dob != "exact"


def test_birth_date_a_day_apart_across_a_months_end_is_a_slip():
    query = person(first="Xóchitl", last="Zamudio", middle_name="Anahí", dob=date(1980, 3, 31))
    found = replace(XOCHITL, date_of_birth=date(1980, 4, 1))
    overall, [decision] = slip_outcomes(query, found, frequencies=RARE)
    assert overall == "match"
    assert decision.scored.dob == "day_apart"
    common = slip_outcomes(
        person(dob=date(1980, 3, 31)), record(dob=date(1980, 4, 1)), frequencies=COMMON
    )
    assert common[0] == "possible"


def test_birth_date_slip_is_for_staff_when_other_people_have_the_name():
    query = person(first="Xochitl", last="Zamudio", dob=date(1980, 3, 15))
    overall, [decision] = slip_outcomes(query, XOCHITL, frequencies=RARE, held_elsewhere=True)
    assert overall == "possible"
    assert "other people are recorded under this name" in decision.explanation["summary"]


def test_birth_date_slip_with_a_common_name_is_for_staff():
    overall, [decision] = slip_outcomes(person(dob=date(1980, 3, 15)), record(), frequencies=COMMON)
    assert overall == "possible"
    assert "not rare enough" in decision.explanation["summary"]


def test_birth_date_slip_beside_a_case_with_the_exact_date_is_for_staff():
    _, decisions = slip_outcomes(
        person(first="Xochitl", last="Zamudio"),
        record(1, first="XOCHITL", last="ZAMUDIO"),
        record(2, first="XOCHITL", last="ZAMUDIO", dob=date(1980, 3, 15)),
        frequencies=RARE,
    )
    by_case = {d.scored.record.case_id: d.outcome for d in decisions}
    assert by_case == {1: "match", 2: "possible"}


def test_birth_date_slip_never_matches_in_a_small_database():
    # Name frequencies from a few thousand cases cannot tell a rare name from JOSE GARCIA.
    small = Frequencies(total_cases=5_000, key_counts={})
    query = person(first="Xochitl", last="Zamudio", dob=date(1980, 3, 15))
    assert slip_outcomes(query, XOCHITL, frequencies=small)[0] == "possible"


def test_birth_date_slip_with_a_different_middle_name_is_for_staff():
    query = person(first="Xochitl", last="Zamudio", middle_name="Beatriz", dob=date(1980, 3, 15))
    assert slip_outcomes(query, XOCHITL, frequencies=RARE)[0] == "possible"


def test_birth_date_transposed_with_the_case_number_is_a_match():
    dob = date(1980, 3, 4)
    query = person(dob=date(1980, 4, 3), case_number="ba-123456")
    assert outcomes(query, record(dob=dob, number="BA123456"))[0] == "match"


def test_new_surname_with_case_number_and_birth_date_is_a_match():
    query = person(first="Maria", last="Smith", case_number="ba 123456")
    overall, by_case, _ = outcomes(
        query,
        record(1, first="MARIA", last="LOPEZ", number="BA123456"),
        record(2, first="MARIA", last="LOPEZ", number="TA654321"),
    )
    assert overall == "match"
    # The other case recorded under the same name and date of birth comes with it.
    assert by_case == {1: "match", 2: "match"}


def test_another_case_under_a_new_surname_comes_with_the_typed_number_for_staff():
    # Typed: her current name and the number of her latest case; an older case is recorded
    # under her maiden name.
    query = person(first="Graciela", last="Lee", case_number="VA441309")
    overall, by_case, decisions = outcomes(
        query,
        record(1, first="GRACIELA", last="LEE", number="VA441309"),
        record(2, first="GRACIELA", last="RODRIGUEZ", number="BA100200"),
    )
    assert overall == "match"
    assert by_case == {1: "match", 2: "possible"}
    assert "another surname" in decisions[1].explanation["summary"]


def test_the_same_first_name_and_birth_date_under_another_surname_come_for_staff():
    # Her cases under her current surname fit; one recorded under another surname (a marriage,
    # or a surname recorded wrongly) comes with them for staff, never as a match of its own.
    query = person(first="Margarita", last="Morales")
    overall, by_case, decisions = outcomes(
        query,
        record(1, first="MARGARITA", last="MORALES"),
        record(2, first="MARGARITA", last="VASQUEZ"),
        record(3, first="ROSA", last="VASQUEZ"),
    )
    assert overall == "match"
    assert by_case == {1: "match", 2: "possible"}
    summary = decisions[1].explanation["summary"]
    assert "which fits the details typed, but under another surname" in summary


def test_another_surname_with_a_different_middle_name_is_not_tied_in():
    query = person(first="Margarita", middle_name="Elena", last="Morales")
    _, by_case, _ = outcomes(
        query,
        record(1, first="MARGARITA", middle="ELENA", last="MORALES"),
        record(2, first="MARGARITA", middle="BEATRIZ", last="VASQUEZ"),
    )
    assert by_case == {1: "match"}


def test_the_second_surname_alone_says_less_than_the_first():
    prepared = prepare_query(person(first="Jorge", last="Gutierrez"))
    second = score_candidate(prepared, record(first="JORGE", last="GIL GUTIERREZ"), FREQUENCIES)
    first = score_candidate(prepared, record(first="JORGE", last="GUTIERREZ GIL"), FREQUENCIES)
    assert (second.surname_level, first.surname_level) == (Level.SECOND_PART, Level.PARTIAL)
    assert second.score < first.score - 2


def test_full_given_names_and_birth_date_under_another_surname_are_for_staff():
    query = person(first="Gloria", middle_name="Rosa", last="Garcia")
    found = record(first="GLORIA", middle="ROSA", last="SERRATO")
    overall, _, [decision] = outcomes(query, found)
    assert overall == "possible"
    assert "marriage" in decision.explanation["summary"]


def test_namesakes_born_the_same_day_with_different_cii_numbers_are_for_staff():
    overall, by_case, decisions = outcomes(
        person(),
        replace(record(1), cii_number="A10000001"),
        replace(record(2), cii_number="A20000002"),
    )
    assert overall == "possible"
    assert set(by_case.values()) == {"possible"}
    assert "more than one person" in decisions[0].explanation["summary"]


def test_a_case_with_the_same_cii_number_comes_with_the_match_whatever_its_surname():
    overall, by_case, decisions = outcomes(
        person(first="Maria", last="Lopez"),
        replace(record(1, first="MARIA", last="LOPEZ"), cii_number="A10000001"),
        replace(record(2, first="MARIA", last="SMITH"), cii_number="A10000001"),
    )
    assert overall == "match"
    assert by_case == {1: "match", 2: "match"}
    assert "BA000001" in decisions[1].explanation["summary"]


def test_two_cases_of_a_very_common_name_and_date_are_one_persons_only_with_proof():
    # Where other people of the typed name are to be expected on that date of birth (a county
    # of a million cases and JOSE GARCIA), the same name and date no longer say "one person".
    query = prepare_query(person())
    alike = [record(1), record(2, number="TA000002")]
    scored = [score_candidate(query, r, FREQUENCIES) for r in alike]
    thresholds = {
        "match_threshold": settings.MATCH_THRESHOLD,
        "possible_threshold": settings.POSSIBLE_THRESHOLD,
    }
    assert decide(scored, **thresholds, namesakes=0.001)[0] == "match"
    overall, decisions = decide(scored, **thresholds, namesakes=0.05)
    assert overall == "possible"
    assert "more than one person" in decisions[0].explanation["summary"]
    # The CII number, or the same full middle name, still tells they are one person's.
    for same in (
        [replace(r, cii_number="A10000001") for r in alike],
        [replace(r, middle_name="ANTONIO") for r in alike],
    ):
        proven = [score_candidate(query, r, FREQUENCIES) for r in same]
        assert decide(proven, **thresholds, namesakes=0.05)[0] == "match"


def test_expected_namesakes_grow_with_the_cases_on_the_date_and_the_names_shares():
    query = prepare_query(person())
    rare = Frequencies(total_cases=125_000, key_counts={}, dob_count=5)
    crowded = Frequencies(
        total_cases=1_000_000,
        key_counts={given_key("JOSE"): 60_000, surname_key("GARCIA"): 40_000},
        dob_count=40,
    )
    assert expected_namesakes(query, rare) < 0.001
    assert expected_namesakes(query, crowded) > 0.05


def test_new_surname_without_case_number_is_not_a_match():
    assert (
        outcomes(person(first="Maria", last="Smith"), record(first="MARIA", last="LOPEZ"))[0]
        == "no_match"
    )


def test_maiden_name_given_as_other_name_matches():
    query = person(first="Maria", last="Smith", other_names=("Maria Lopez",))
    assert outcomes(query, record(first="MARIA", last="LOPEZ"))[0] == "match"


def test_nickname_shared_by_twins_is_for_staff():
    overall, by_case, decisions = outcomes(
        person(first="Beto"), record(1, first="ALBERTO"), record(2, first="ROBERTO")
    )
    assert overall == "possible"
    assert set(by_case.values()) == {"possible"}
    assert "more than one person" in decisions[0].explanation["summary"]


def test_father_with_the_same_name_does_not_block_the_sons_match():
    overall, by_case, _ = outcomes(
        person(), record(1), record(2, dob=date(1955, 7, 1), last="GARCIA SR")
    )
    assert overall == "match"
    assert by_case == {1: "match"}


def test_name_known_only_as_an_alias_given_name_is_for_staff():
    query = person(first="Evelio", last="Norton")
    found = record(first="EMILY", last="NORTON", aliases=[("EVELIO", "NORTON")])
    assert outcomes(query, found)[0] == "possible"


def test_maiden_name_alias_matches():
    found = record(first="DEBRA", last="NIXON", aliases=[("", "SANCHES")])
    assert outcomes(person(first="Debra", last="Sanchez"), found)[0] == "match"


def test_initial_only_is_at_most_possible():
    assert outcomes(person(first="J"), record())[0] == "possible"


def test_explanation_says_which_fields_agreed_and_how():
    _, _, decisions = outcomes(person(first="Pepe"), record())
    explanation = decisions[0].explanation
    assert set(explanation) == {"summary", "fields", "score", "rule"}
    fields = {f["field"]: f for f in explanation["fields"]}
    assert fields["first_name"]["agreement"] == "nickname"
    assert "nickname" in fields["first_name"]["detail"]
    assert fields["date_of_birth"]["agreement"] == "exact"
    assert all(set(f) == {"field", "agreement", "weight", "detail"} for f in explanation["fields"])
    assert explanation["summary"].startswith("Match")
    assert explanation["score"] == round(decisions[0].scored.score, 2)


def test_candidates_below_the_possible_threshold_are_dropped():
    overall, by_case, _ = outcomes(person(first="J", last="Gomez"), record())
    assert overall == "no_match"
    assert by_case == {}


def test_the_docs_list_every_decision_rule():
    import re
    from pathlib import Path

    from cases.matching.decide import DECISION_RULES

    docs = (Path(__file__).resolve().parents[2] / "docs" / "matching.md").read_text()
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| (.+?) \|$", docs, re.M)
    assert rows == [(r.name, r.outcome, r.description) for r in DECISION_RULES]
