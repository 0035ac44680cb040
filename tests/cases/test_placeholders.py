"""Placeholder names: which recorded names name no one, and that the importer flags them and
the engine never matches them."""

from datetime import date

import pytest

from cases.importer.pipeline import cases_import
from cases.matching.engine import match_person
from cases.matching.types import PersonQuery
from cases.models import Case, ImportRun
from cases.placeholders import is_placeholder_name
from tests.cases.factories import CaseRowFactory


def row(number: str, first: str, last: str, dob: str = "1970-05-06") -> dict[str, str]:
    return CaseRowFactory(case_number=number, first_name=first, last_name=last, date_of_birth=dob)


@pytest.mark.parametrize(
    ("first", "middle", "last", "placeholder"),
    [
        ("EXPUNGED", "", "EXPUNGED", True),
        ("JOHN", "", "DOE", True),
        ("Jane", "", "Doe", True),
        ("NOT ON FILE", "", "NOT ON FILE", True),
        ("UNKNOWN", "", "UNK", True),
        ("FNU", "", "LNU", True),
        ("COLLECTIVE", "", "VALLEY GREEN COLLECTIVE INC", True),
        ("CENTER", "", "SUNSET HEALING CENTER LLC", True),
        ("ACME", "", "TRUCKING CO", True),
        # Real people, whatever their names look like.
        ("JOHN", "", "DOERR", False),
        ("JOHN", "DOE", "SMITH", False),
        ("MARIA", "", "CENTER", False),
        ("JOSE", "", "GARCIA", False),
        ("NO", "", "NGUYEN", False),
    ],
)
def test_placeholder_names(first, middle, last, placeholder):
    assert is_placeholder_name(first_name=first, middle_name=middle, last_name=last) is placeholder


@pytest.mark.django_db
def test_the_importer_flags_placeholder_names_and_the_engine_never_matches_them():
    dob = date(1970, 5, 6)
    run = cases_import(
        rows=[
            row("BA100001", "JOHN", "DOE"),
            row("BA100002", "EXPUNGED", "EXPUNGED"),
            row("BA100003", "JOHN", "DOERR"),
        ],
        file_name="placeholders.csv",
    )

    assert run.status == ImportRun.Status.SUCCEEDED
    assert any("placeholder name" in warning for warning in run.warnings)
    flagged = dict(Case.objects.values_list("case_number", "placeholder_name"))
    assert flagged == {"BA100001": True, "BA100002": True, "BA100003": False}
    # A John Doe born on the placeholder row's date is not told about that case.
    result = match_person(PersonQuery(first_name="John", last_name="Doe", date_of_birth=dob))
    assert "BA100001" not in {c.case_number for c in result.candidates}
    assert not Case.objects.get(case_number="BA100001").search_keys.exists()
