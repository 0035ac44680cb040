"""Weights: how much each agreement says, by how common the name is (no database)."""

import pytest

from cases.matching.readings import prepare_query
from cases.matching.weights import Frequencies, score_candidate, size_adjustment, surname_key
from tests.cases.scoring import FREQUENCIES, person, record


def test_a_misspelled_surname_weighs_as_the_real_spelling():
    garcia = Frequencies(total_cases=125_000, key_counts={surname_key("GARCIA"): 4000})
    rare = Frequencies(total_cases=125_000, key_counts={surname_key("GARCIA"): 2})
    prepared = prepare_query(person(last="Garsia"))
    common_score = score_candidate(prepared, record(), garcia).score
    rare_score = score_candidate(prepared, record(), rare).score
    assert rare_score > common_score + 5


def test_rare_name_weighs_more_than_a_common_one():
    common = Frequencies(total_cases=125_000, key_counts={"S:KRX": 6000}, dob_count=5)
    prepared = prepare_query(person())
    rare = score_candidate(prepared, record(), FREQUENCIES).score
    assert score_candidate(prepared, record(), common).score < rare


def test_thresholds_rise_with_the_size_of_the_database():
    assert size_adjustment(2_000) == 0
    assert size_adjustment(125_000) == 0
    assert size_adjustment(1_000_000) == pytest.approx(3.0)
