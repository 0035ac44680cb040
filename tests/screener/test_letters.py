"""Result letters: what the letter lists and who it names as its issuer (level-2 content).

Who may open it is tested in test_access_views.py (the pages) and test_access_identity.py (the
ways to level 2); the links that lead to it in test_access_links.py.
"""

import pytest
from django.test import Client

from screener import letters
from screener.models import Lookup, LookupCandidate
from tests.screener.public_flow import cases_load, lookup_form_data, post_lookup, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched():
    cases_load()
    client = verified_client(lookup_form_data())
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.MATCHED
    return lookup, client


def test_the_letter_lists_every_case_with_its_court_charges_relief_and_batch(matched):
    lookup, _client = matched
    content = letters.letter_content(lookup)
    assert content.reference == lookup.reference
    assert content.person_name == "María Elena Hernández"
    assert [case.case_number for case in content.cases] == ["BA123456", "6CJ00651"]
    first = content.cases[0]
    assert first.court == "Los Angeles Superior Court"
    assert first.charges == ("HS 11357(a)", "HS 11360(a)")
    assert first.batch_name == "2020 dismissals (state Department of Justice records, AB 1793)"
    assert content.has_sealed and content.has_reduced


def test_the_letter_names_who_issues_it(matched, settings):
    settings.SERVICE_OPERATOR = "Los Angeles County Public Defender"
    settings.SERVICE_OPERATOR_EMAIL = "letters@pd.example.gov"
    settings.SERVICE_OPERATOR_PHONE = "(213) 974-2811"
    lookup, client = matched
    content = letters.letter_content(lookup)
    assert (content.issuer, content.issuer_email, content.issuer_phone) == (
        "Los Angeles County Public Defender",
        "letters@pd.example.gov",
        "(213) 974-2811",
    )
    client.post("/my-request/case-number/", {"case_number": "ba-123 456", "website": ""})
    page = client.get("/my-request/letter/").content.decode()
    assert "This letter was issued by Los Angeles County Public Defender" in page
    assert 'href="mailto:letters@pd.example.gov"' in page
    assert "(213) 974-2811" in page


def test_cases_rejected_by_staff_are_left_out(matched):
    lookup, _client = matched
    LookupCandidate.objects.filter(lookup=lookup, case__case_number="6CJ00651").update(
        confirmed=False
    )
    assert [case.case_number for case in letters.letter_cases(lookup)] == ["BA123456"]
    assert letters.letter_reliefs(lookup) == {"dismissed_and_sealed"}


def test_a_possible_match_lists_nothing_until_staff_confirm():
    cases_load()
    post_lookup(Client(), lookup_form_data(date_of_birth_month="12", date_of_birth_day="4"))
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW
    assert letters.letter_cases(lookup) == []
