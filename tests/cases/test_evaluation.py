"""The evaluation set's variations, and quality floors on a small generated database.

The full figures come from benchmarks/matching_eval.py; these floors only catch a regression.
"""

import random
from datetime import date

import pytest

from benchmarks.matching import evaluation as ev
from cases.demo import DemoPerson, demo_rows, generate_people
from cases.importer.pipeline import cases_import
from cases.matching.engine import match_person


def someone(**fields) -> DemoPerson:
    values = {
        "person_key": "P1",
        "first_name": "María Elena",
        "middle_name": "",
        "last_name": "García López",
        "date_of_birth": date(1975, 3, 9),
        "sex": "F",
        "group": "latino",
        "nickname": "",
        "cases": [{"case_number": "KA057009"}],
    }
    return DemoPerson(**{**values, **fields})


RNG = random.Random(1)


def test_each_positive_kind_changes_the_details_as_named():
    p = someone()
    assert ev.typed_exact(p, RNG).last_name == "García López"
    assert ev.typed_plain(p, RNG).last_name == "garcia lopez"
    assert ev.first_surname_only(p, RNG).last_name == "García"
    assert ev.second_surname_only(p, RNG).last_name == "López"
    assert ev.surname_hyphenated_or_joined(p, RNG).last_name in ("García-López", "GarcíaLópez")
    assert ev.middle_as_first(p, RNG).first_name == "Elena"
    assert ev.first_name_only(p, RNG).first_name == "María"
    swapped = ev.names_swapped(p, RNG)
    assert (swapped.first_name, swapped.last_name) == ("García López", "María Elena")
    assert ev.suffix_added(p, RNG).last_name.startswith("García López ")
    assert ev.dob_day_month_swapped(p, RNG).date_of_birth == date(1975, 9, 3)
    one_digit = ev.dob_one_digit(p, RNG).date_of_birth
    assert sum(a != b for a, b in zip(str(one_digit), "1975-03-09", strict=True)) == 1
    assert ev.dob_year_off(p, RNG).date_of_birth.year in (1974, 1976)
    assert ev.case_number_typed(p, RNG).case_number.replace(" ", "").replace("-", "").upper() == (
        "KA057009"
    )
    married = ev.new_surname_with_case_number(p, RNG, surnames=["Smith"])
    assert (married.last_name, married.date_of_birth) == ("Smith", date(1975, 3, 9))


def test_kinds_that_do_not_apply_say_so():
    p = someone(last_name="Smith", first_name="Ann", nickname="")
    assert ev.first_surname_only(p, RNG) is None
    assert ev.particle_variant(p, RNG) is None
    assert ev.nickname_typed(p, RNG) is None
    assert ev.middle_as_first(p, RNG) is None
    assert ev.particle_variant(someone(last_name="De La Cruz"), RNG).last_name in (
        "DeLaCruz", "DE LA CRUZ", "Cruz")  # fmt: skip


def test_negatives_are_not_anyone_loaded():
    people = list(generate_people(case_count=3000, seed=3))
    strangers = list(generate_people(case_count=300, seed=4))
    population = ev.Population.of(people)
    queries = ev.build_queries(people, count=400, seed=5, strangers=strangers)
    negatives = [q for q in queries if not q.positive]
    assert {q.kind for q in negatives} == set(ev.NEGATIVE_KINDS)
    assert not any(population.is_loaded(q.query) for q in negatives)
    assert all(q.truth for q in queries if q.positive)


def test_a_twins_given_name_is_never_a_form_of_the_others():
    # Drawn from a pool where RICK comes first: a twin of Richard is not named Rick.
    richard = someone(first_name="Richard", sex="M", group="white")
    population = ev.Population.of([richard])
    population.given_by_sex["M"] = ["Rick", "Richard", "Dick", "Thomas"]
    names = {ev.twin_other_given_name(richard, population, random.Random(i)).first_name
             for i in range(20)}  # fmt: skip
    assert names == {"Thomas"}


@pytest.mark.django_db
def test_quality_floors_on_a_small_generated_database():
    people = list(generate_people(case_count=2000, seed=11))
    run = cases_import(rows=demo_rows(people), file_name="evaluation.csv")
    assert run.rejected_count == 0
    strangers = list(generate_people(case_count=400, seed=12))
    figures = ev.Figures()
    for item in ev.build_queries(people, count=300, seed=13, strangers=strangers):
        figures.add(item, match_person(item.query))
    summary = figures.summary()
    report = "\n".join(ev.report_lines(figures))
    assert summary["match_precision"] >= 0.99, report
    assert summary["recall_match"] >= 0.80, report
    assert summary["recall_match_or_possible"] >= 0.95, report
    assert summary["negatives_to_review"] <= 0.08, report
