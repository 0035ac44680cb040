"""Each way to level 2 (a case number, a staff ID check, an identity provider), and the dates of
birth a request accepts once staff confirmed a slip."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, TestCase

from audit.actions import Action
from audit.models import AuditLog
from screener.access.identity import (
    birth_date_accepted,
    identity_check_record,
    lookup_access_level,
)
from screener.access.providers import VerifiedPerson
from screener.disclosure import Level
from screener.models import IdentityProof, Lookup
from screener.review import review_decide
from tests.screener.identity_double import FakeProvider
from tests.screener.public_flow import (
    MARIA_BIRTH_DATE,
    cases_load,
    latest_code,
    latest_link,
    lookup_form_data,
    open_link,
    post_lookup,
    status_form_data,
    type_code,
    verified_client,
)
from tests.screener.reviewing import staff

pytestmark = pytest.mark.django_db

CASE_NUMBER_URL = "/my-request/case-number/"
LETTER_URL = "/my-request/letter/"
SLIP_BIRTH_DATE = MARIA_BIRTH_DATE.replace(month=12, day=4)


@pytest.fixture
def found():
    """Maria's browser at level 1: it typed the code sent to her email."""
    cases_load()
    client = verified_client(lookup_form_data())
    return Lookup.objects.get(), client


def case_number(client: Client, value: str):
    return client.post(CASE_NUMBER_URL, {"case_number": value, "website": ""})


def letter_page(client: Client) -> str:
    response = client.get(LETTER_URL)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- A case number of one's own cases -------------------------------------------------------------


def test_at_level_1_the_letter_is_out_of_reach(found):
    lookup, client = found
    assert lookup_access_level(lookup, contact_verified=True) == Level.CONTACT
    response = client.get(LETTER_URL)
    assert response.status_code == 302 and response["Location"] == "/my-request/"


def test_a_case_number_of_ones_own_cases_opens_the_letter_and_is_audited(found):
    lookup, client = found
    response = case_number(client, "6cj-00651")
    assert response.status_code == 303 and response["Location"] == f"{LETTER_URL}#main-content"
    page = letter_page(client)
    assert "BA123456" in page and "6CJ00651" in page and "HS 11357(a), HS 11360(a)" in page
    assert "Los Angeles Superior Court" in page and "Feb. 13, 2020" in page
    proof = IdentityProof.objects.get(lookup=lookup)
    assert proof.method == IdentityProof.Method.CASE_NUMBER and proof.id_kind == ""
    row = AuditLog.objects.get(action=Action.LOOKUP_IDENTITY_PROVED)
    assert row.detail == {"proof_id": proof.pk, "method": "case_number"}
    assert "6CJ" not in row.summary + str(row.detail)
    assert lookup_access_level(lookup, contact_verified=True) == Level.IDENTITY


def test_another_case_number_says_so_keeps_what_was_typed_and_proves_nothing(found):
    _lookup, client = found
    response = case_number(client, "KA999999")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This case number is not one of the cases we found for you." in page
    assert 'value="KA999999"' in page
    assert not IdentityProof.objects.exists()


def test_case_number_tries_are_limited_per_lookup(found, settings):
    settings.CASE_NUMBER_TRIES_PER_LOOKUP = "2/d"
    _lookup, client = found
    assert case_number(client, "KA000001").status_code == 400
    assert case_number(client, "KA000002").status_code == 400
    limited = case_number(client, "BA123456")
    assert limited.status_code == 429
    assert "Please try again in about" in limited.content.decode()
    assert 'value="BA123456"' in limited.content.decode()
    assert not IdentityProof.objects.exists()


def test_a_possible_matchs_candidate_case_numbers_prove_nothing():
    cases_load()
    client = verified_client(lookup_form_data(date_of_birth_month="12", date_of_birth_day="4"))
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW
    # Under the standard policy a possible match is not offered the step-up at all.
    assert "Check my case number" not in client.get("/my-request/").content.decode()
    assert case_number(client, "BA123456").status_code == 302
    assert not IdentityProof.objects.exists()


# --- A photo ID checked by staff, or a verified call ----------------------------------------------


def test_the_id_check_records_the_kind_of_id_never_its_number_and_is_audited(found):
    lookup, client = found
    outreach = staff("oscar.outreach", "Outreach worker")
    proof = identity_check_record(
        lookup_id=lookup.pk,
        actor=outreach,
        method="in_person",
        id_kind="consular_id",
        ip_address="198.51.100.4",
    )
    assert (proof.method, proof.id_kind, proof.recorded_by) == (
        "in_person",
        "consular_id",
        outreach,
    )
    assert {f.name for f in IdentityProof._meta.get_fields()} >= {"id_kind"}
    assert not any("number" in f.name for f in IdentityProof._meta.get_fields())
    row = AuditLog.objects.get(action=Action.LOOKUP_IDENTITY_CHECKED)
    assert row.actor == outreach and row.ip_address == "198.51.100.4"
    assert row.detail == {"proof_id": proof.pk, "method": "in_person", "id_kind": "consular_id"}
    # The person, at home with the code sent to their email, now sees the letter.
    assert "BA123456" in letter_page(client)


@pytest.mark.parametrize(
    ("method", "id_kind", "field"),
    [("case_number", "passport", "method"), ("call", "", "id_kind"), ("call", "ssn", "id_kind")],
)
def test_an_incomplete_id_check_is_refused(found, method, id_kind, field):
    lookup, _client = found
    with pytest.raises(ValidationError) as excinfo:
        identity_check_record(
            lookup_id=lookup.pk,
            actor=staff("rita.reviewer", "Reviewer"),
            method=method,
            id_kind=id_kind,
        )
    assert field in excinfo.value.message_dict
    assert not IdentityProof.objects.exists()


def test_only_staff_allowed_to_may_record_an_id_check(found):
    lookup, _client = found
    with pytest.raises(PermissionDenied):
        identity_check_record(
            lookup_id=lookup.pk,
            actor=staff("dana.data", "Data administrator"),
            method="call",
            id_kind="passport",
        )


def test_the_staff_admin_action_records_a_verified_call(found):
    lookup, client = found
    reviewer = staff("rita.reviewer", "Reviewer")
    admin = Client()
    admin.force_login(reviewer)
    change = admin.get(f"/staff/screener/lookup/{lookup.pk}/change/").content.decode()
    url = f"/staff/screener/lookup/{lookup.pk}/identity-check/"
    assert f'href="{url}"' in change
    form = admin.get(url)
    assert form.status_code == 200 and "Never write down the ID" in form.content.decode()
    incomplete = admin.post(url, {"method": "call", "id_kind": "passport"})
    assert incomplete.status_code == 200 and not IdentityProof.objects.exists()
    done = admin.post(url, {"method": "call", "id_kind": "passport", "confirmed": "on"})
    assert done.status_code == 302
    assert IdentityProof.objects.get(lookup=lookup).method == "call"
    assert AuditLog.objects.filter(
        action=Action.LOOKUP_IDENTITY_CHECKED, actor=reviewer, object_id=str(lookup.pk)
    ).exists()
    assert AuditLog.objects.filter(action=Action.LOOKUP_VIEWED, actor=reviewer).exists()
    assert "6CJ00651" in letter_page(client)


def test_an_outreach_worker_records_checks_only_for_the_lookups_they_recorded(found):
    lookup, _client = found
    outreach = staff("oscar.outreach", "Outreach worker")
    admin = Client()
    admin.force_login(outreach)
    response = admin.get(f"/staff/screener/lookup/{lookup.pk}/identity-check/")
    assert response.status_code == 404


# --- An identity provider -------------------------------------------------------------------------


@pytest.fixture
def provider(settings):
    settings.IDENTITY_PROVIDER = "tests.screener.identity_double.FakeProvider"
    FakeProvider.requests.clear()
    FakeProvider.fail = False
    FakeProvider.person = VerifiedPerson(
        given_name="MARIA ELENA", family_name="HERNANDEZ", birthdate=MARIA_BIRTH_DATE, ial2=True
    )
    yield FakeProvider
    FakeProvider.person = None


def round_trip(client: Client, *, code: str = "good-code", state: str | None = None):
    start = client.post("/my-request/identity/")
    assert start.status_code == 303
    query = parse_qs(urlsplit(start["Location"]).query)
    assert start["Location"].startswith("https://idp.example.gov/")
    state = query["state"][0] if state is None else state
    return client.get("/identity/return/", {"code": code, "state": state})


def test_the_provider_is_offered_and_a_verified_identity_opens_the_letter(found, provider):
    lookup, client = found
    assert "Prove who you are with Login.gov" in client.get("/my-request/").content.decode()
    response = round_trip(client)
    assert response.status_code == 303 and response["Location"].startswith(LETTER_URL)
    [sent] = provider.requests
    assert sent["redirect_uri"] == "http://127.0.0.1:8000/identity/return/"
    assert len(sent["challenge"]) == 43
    proof = IdentityProof.objects.get(lookup=lookup)
    assert (proof.method, proof.provider) == ("provider", "Login.gov")
    assert AuditLog.objects.get(action=Action.LOOKUP_IDENTITY_PROVED).detail["provider"] == (
        "Login.gov"
    )
    assert "BA123456" in letter_page(client)


@pytest.mark.parametrize(
    "person",
    [
        VerifiedPerson("MARIA", "HERNANDEZ", MARIA_BIRTH_DATE.replace(year=1976), ial2=True),
        VerifiedPerson("ROSA", "HERNANDEZ", MARIA_BIRTH_DATE, ial2=True),
        VerifiedPerson("MARIA", "LOPEZ", MARIA_BIRTH_DATE, ial2=True),
        VerifiedPerson("MARIA", "HERNANDEZ", MARIA_BIRTH_DATE, ial2=False),
    ],
    ids=["another date of birth", "another first name", "another surname", "not IAL2"],
)
def test_an_identity_that_is_not_the_requests_proves_nothing(found, provider, person):
    _lookup, client = found
    provider.person = person
    response = round_trip(client)
    assert response.status_code == 302 and response["Location"] == "/my-request/"
    assert not IdentityProof.objects.exists()
    page = client.get("/my-request/").content.decode()
    assert "does not match the name and date of birth of this request" in page


def test_a_forged_state_or_a_failing_provider_proves_nothing(found, provider):
    _lookup, client = found
    assert round_trip(client, state="forged").status_code == 302
    assert "We could not finish proving who you are." in client.get("/my-request/").content.decode()
    provider.fail = True
    assert round_trip(client).status_code == 302
    assert "Login.gov did not answer us." in client.get("/my-request/").content.decode()
    assert not IdentityProof.objects.exists()


def test_without_a_configured_provider_none_is_offered(found):
    _lookup, client = found
    assert "Prove who you are with" not in client.get("/my-request/").content.decode()
    assert client.post("/my-request/identity/").status_code == 302


# --- A date-of-birth slip that staff confirmed ----------------------------------------------------


def test_a_person_whose_date_of_birth_slip_staff_confirmed_opens_the_letter_with_the_records():
    cases_load()
    post_lookup(Client(), lookup_form_data(date_of_birth_month="12", date_of_birth_day="4"))
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW
    assert not birth_date_accepted(lookup, MARIA_BIRTH_DATE)
    reviewer = staff("rita.reviewer", "Reviewer")
    with TestCase.captureOnCommitCallbacks(execute=True):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            decision="confirm",
            reason="Day and month swapped; the court record has April 12.",
            confirmed_case_ids=list(lookup.candidates.values_list("case_id", flat=True)),
        )
    lookup.refresh_from_db()
    assert birth_date_accepted(lookup, MARIA_BIRTH_DATE)
    assert birth_date_accepted(lookup, SLIP_BIRTH_DATE)

    # The update's link, the record's date of birth, the code: then the case-number step-up.
    client = Client()
    opened = open_link(client, latest_link("maria@example.org"), MARIA_BIRTH_DATE)
    assert opened.status_code == 303 and opened["Location"] == "/code/"
    assert type_code(client, latest_code("maria@example.org")).status_code == 303
    assert case_number(client, "BA123456").status_code == 303
    page = letter_page(client)
    assert re.search(r"BA123456", page) and "María Elena Hernández" in page

    # The status page accepts it too.
    status = Client().post("/status/", {**status_form_data(lookup.reference), "action": "code"})
    assert status.status_code == 303
