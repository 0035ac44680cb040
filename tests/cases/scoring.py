"""Candidates and queries for the matching engine's pure tests (no database)."""

from datetime import date

from django.conf import settings

from cases.matching.decide import decide
from cases.matching.readings import prepare_query
from cases.matching.types import CandidateRecord, PersonQuery
from cases.matching.weights import Frequencies, score_candidate

DOB = date(1980, 3, 14)
# A large database where nothing in particular is known about the names: typical shares.
FREQUENCIES = Frequencies(total_cases=125_000, key_counts={}, dob_count=5)


def record(
    case_id=1,
    first="JOSE",
    last="GARCIA",
    dob=DOB,
    middle="",
    number=None,
    aliases=(),
    cii_number="",
):
    number = number or f"BA{case_id:06d}"
    return CandidateRecord(
        case_id=case_id,
        case_number=number,
        case_number_normalized=number,
        date_of_birth=dob,
        first_name=first,
        middle_name=middle,
        last_name=last,
        aliases=tuple(aliases),
        cii_number=cii_number,
    )


def outcomes(query: PersonQuery, *records: CandidateRecord, frequencies=FREQUENCIES):
    prepared = prepare_query(query)
    scored = [score_candidate(prepared, r, frequencies) for r in records]
    overall, decisions = decide(
        scored,
        match_threshold=settings.MATCH_THRESHOLD,
        possible_threshold=settings.POSSIBLE_THRESHOLD,
    )
    return overall, {d.scored.record.case_id: d.outcome for d in decisions}, decisions


def person(first="Jose", last="Garcia", dob=DOB, **kwargs) -> PersonQuery:
    return PersonQuery(first_name=first, last_name=last, date_of_birth=dob, **kwargs)
