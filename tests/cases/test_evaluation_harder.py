"""The harder evaluation set (benchmarks/matching/harder.py), its fairness table, and the
hand-built matcher partner screening is timed against (benchmarks/baseline_matcher.py)."""

import random
from datetime import date

import pytest
from rapidfuzz.distance import OSA

from benchmarks.baseline_matcher import BaselineMatcher
from benchmarks.matching import evaluation as ev
from benchmarks.matching import harder
from cases.demo import demo_rows, generate_people
from cases.importer.pipeline import cases_import
from cases.matching.engine import match_person
from cases.matching.types import PersonQuery
from cases.models import Case
from tests.cases.test_evaluation import someone


def test_a_name_letters_off_is_one_or_two_letters_from_the_true_one():
    p = someone(first_name="Melinda", last_name="Stubbs")
    for seed in range(40):
        q = harder.name_letters_off(p, random.Random(seed))
        if q is None:
            continue
        changed = [
            (a, b) for a, b in ((q.first_name, "Melinda"), (q.last_name, "Stubbs")) if a != b
        ]
        assert len(changed) == 1
        typed, true = changed[0]
        assert 1 <= OSA.distance(typed.upper(), true.upper()) <= 2
        assert q.date_of_birth == p.date_of_birth


def test_the_harder_kinds_type_what_they_say():
    rng = random.Random(2)
    carmen = someone(first_name="María del Carmen", last_name="Ruiz", sex="F")
    assert harder.compound_given_in_part(carmen, rng).first_name in (
        "Carmen", "María", "María Carmen")  # fmt: skip
    enrique = someone(first_name="Enrique", sex="M")
    assert harder.other_language_name(enrique, rng).first_name in ("Henry", "Hank")
    assert harder.twin_other_language(enrique, None, rng).first_name == "Henry"
    jorge = someone(first_name="Francisco", middle_name="Jorge", sex="M")
    assert harder.twin_middle_name_as_first(jorge, None, rng).first_name == "Jorge"
    swapped = harder.given_names_in_other_order(jorge, rng)
    assert (swapped.first_name, swapped.middle_name) == ("Jorge", "Francisco")


def test_people_are_grouped_by_compound_hispanic_surname():
    assert harder.person_group(someone(last_name="García López")) == harder.GROUP_COMPOUND
    assert harder.person_group(someone(last_name="de la Cruz")) == harder.GROUP_COMPOUND
    assert harder.person_group(someone(last_name="Smith")) == harder.GROUP_REST


def test_the_harder_cases_carry_placeholders_and_identifier_errors():
    people = list(harder.harder_people(case_count=20_000, seed=3))
    placeholders = [p for p in people if p.confuser_kind == "placeholder"]
    assert placeholders and all(p.cases[0]["case_number"].startswith("ZZ") for p in placeholders)
    owners: dict[str, set[str]] = {}
    for p in people:
        for case in p.cases:
            if case["cii_number"]:
                owners.setdefault(case["cii_number"], set()).add(p.person_key)
    assert any(len(keys) > 1 for keys in owners.values())  # a CII recorded on someone else's case


@pytest.mark.django_db
def test_placeholder_rows_are_flagged_and_placeholder_namesakes_are_not_matched():
    people = list(harder.harder_people(case_count=3000, seed=5))
    assert cases_import(rows=demo_rows(people), file_name="harder.csv").rejected_count == 0
    placeholders = [p for p in people if p.confuser_kind == "placeholder"]
    numbers = [p.cases[0]["case_number"] for p in placeholders]
    assert set(
        Case.objects.filter(placeholder_name=True).values_list("case_number", flat=True)
    ) == (set(numbers))
    for p in placeholders:
        query = PersonQuery(
            first_name=p.first_name, last_name=p.last_name, date_of_birth=p.date_of_birth
        )
        assert match_person(query).outcome == "no_match"


def test_the_fairness_table_reports_each_group():
    people = list(harder.harder_people(case_count=3000, seed=7))
    strangers = list(generate_people(case_count=300, seed=8))
    items = harder.build_queries(people, count=300, seed=9, strangers=strangers)
    figures = ev.Figures()
    for item in items:
        figures.add(item, ev.MatchResult(outcome="no_match"))
    text = "\n".join(ev.report_lines(figures))
    assert "-- fairness" in text
    assert f"{harder.GROUP_COMPOUND} (pos)" in text and f"{harder.GROUP_REST} (neg)" in text
    assert "of the demo generator's negative kinds" in text


def test_the_hand_built_matcher_blocks_by_date_and_compares_names():
    matcher = BaselineMatcher(
        [
            (1, "BA000001", "JOSE", "", "GARCIA LOPEZ", date(1970, 3, 27)),
            (2, "BA000002", "WILLIAM", "", "SMITH", date(1980, 4, 5)),
        ]
    )
    assert matcher.match(
        PersonQuery("Jose", "Garcia", date_of_birth=date(1970, 3, 27))
    ).outcome == ("match")
    assert matcher.match(PersonQuery("Bill", "Smith", date_of_birth=date(1980, 5, 4))).outcome == (
        "match"
    )
    assert matcher.match(PersonQuery("Ana", "Smith", date_of_birth=date(1980, 4, 5))).outcome == (
        "no_match"
    )
