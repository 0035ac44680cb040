"""The person's pages after the form: the code, the answer at each level and policy, closing it,
About and Privacy. Bad input says what is wrong and keeps what was typed."""

import time

import pytest
from django.test import Client, TestCase

from screener.access.session import SESSION_KEY
from screener.models import ContactCode, Lookup
from screener.review import review_decide
from tests.screener.public_flow import (
    cases_load,
    latest_code,
    lookup_form_data,
    nobody_form_data,
    post_lookup,
    type_code,
    verified_client,
)
from tests.screener.reviewing import staff

pytestmark = pytest.mark.django_db

RESULT_URL = "/my-request/"
CASE_DETAILS = (
    "BA123456",
    "6CJ00651",
    "HS 1135",
    "Superior Court",
    "1999",
    "2020-02-13",
    "Feb. 13",
)


@pytest.fixture
def cases():
    cases_load()


def answer_page(client: Client) -> str:
    response = client.get(RESULT_URL)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- The code page --------------------------------------------------------------------------------


def test_an_expired_code_says_so_and_offers_a_new_one(cases):
    client = Client()
    post_lookup(client, lookup_form_data(phone="213 555 0123"))
    ContactCode.objects.update(expires_at=ContactCode.objects.get().created_at)
    response = type_code(client, latest_code("maria@example.org"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This code has expired: codes work for 10 minutes. Send yourself a new code." in page
    assert "Get a new code" in page
    assert 'name="send" value="email"' in page and 'name="send" value="sms"' in page


def test_a_new_code_can_be_sent_by_text_message_and_the_old_one_stops_working(cases):
    client = Client()
    post_lookup(client, lookup_form_data(phone="213 555 0123"))
    old = latest_code("maria@example.org")
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = client.post("/code/", {"send": "sms"})
    assert sent.status_code == 303
    assert "We sent you a new code." in client.get("/code/").content.decode()
    new = latest_code("+12135550123")
    if new != old:
        replaced = type_code(client, old)
        assert "replaced by a newer one" in replaced.content.decode()
    assert type_code(client, new).status_code == 303


def test_sending_codes_is_limited_per_request_with_a_translated_429(cases, settings):
    settings.CODE_SENDS_PER_LOOKUP = "1/h"
    client = Client()
    client.cookies["django_language"] = "es"
    post_lookup(client, lookup_form_data())
    assert client.post("/code/", {"send": "email"}).status_code == 303
    limited = client.post("/code/", {"send": "email"})
    assert limited.status_code == 429
    page = limited.content.decode()
    assert "Demasiados intentos" in page and "Inténtelo de nuevo en alrededor de" in page
    assert "minutos" in page


def test_typing_codes_is_limited_per_address_and_keeps_what_was_typed(cases, settings):
    settings.CODE_CHECKS_PER_IP = "1/h"
    client = Client()
    post_lookup(client, lookup_form_data())
    type_code(client, "000001")
    limited = type_code(client, "000002")
    assert limited.status_code == 429
    assert 'value="000002"' in limited.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from the message we sent you."),
        ("12345", "Enter the code as 6 numbers, like 123456."),
    ],
)
def test_a_code_that_is_not_six_digits_says_what_to_type(cases, typed, message):
    client = Client()
    post_lookup(client, lookup_form_data())
    response = type_code(client, typed)
    assert response.status_code == 400 and message in response.content.decode()


def test_without_a_request_in_this_browser_the_code_page_sends_people_to_the_status_page():
    response = Client().get("/code/")
    assert response.status_code == 302 and response["Location"] == "/status/"
    assert Client().get(RESULT_URL)["Location"] == "/status/"


# --- The answer at level 1 (standard policy) ------------------------------------------------------


def test_found_says_dismissed_and_sealed_and_reduced_in_general_terms_and_offers_the_step_up(cases):
    page = answer_page(verified_client(lookup_form_data()))
    assert "We found your record in the dismissals" in page
    assert "What the court did: dismissed and sealed." in page
    assert "What the court did: reduced" in page
    assert "See your case numbers and your letter" in page and "Check my case number" in page
    assert "Open your result letter" not in page
    for detail in CASE_DETAILS:
        assert detail not in page, detail


def test_not_found_gives_the_next_steps_with_the_configured_public_defender(cases, settings):
    settings.PUBLIC_DEFENDER_PHONE = "(213) 974-2811"
    page = answer_page(verified_client(nobody_form_data()))
    assert "We did not find your record in the dismissals" in page
    assert 'href="tel:+12139742811">(213) 974-2811</a>' in page
    assert "CR-400" in page and "CR-401" in page and "11361.8" in page
    assert 'href="/eligibility/"' in page
    assert "Check my case number" not in page


def test_in_review_says_staff_are_checking_and_shows_their_question(cases):
    data = lookup_form_data(date_of_birth_month="12", date_of_birth_day="4")
    client = verified_client(data)
    assert "Status: Being reviewed by staff" in answer_page(client)
    lookup = Lookup.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=staff("rita.reviewer", "Reviewer"),
            decision="more_info",
            reason="two candidates",
            message_to_person="Please tell us the <b>court</b> where your case was heard.",
        )
    page = answer_page(client)
    assert "Our question for you" in page
    assert "Please tell us the &lt;b&gt;court&lt;/b&gt; where your case was heard." in page


def test_in_spanish_the_answer_reads_in_spanish(cases):
    client = verified_client(lookup_form_data(language="es"))
    client.cookies["django_language"] = "es"
    page = answer_page(client)
    assert "Encontramos su caso en las desestimaciones" in page
    assert "Lo que hizo la corte: la desestimó y la selló." in page
    assert "Revisar mi número de caso" in page


# --- The strict policy ----------------------------------------------------------------------------


@pytest.fixture
def strict(settings):
    settings.DISCLOSURE_POLICY = "strict"


def test_under_the_strict_policy_level_1_says_nothing_of_the_outcome(cases, strict):
    page = answer_page(verified_client(lookup_form_data()))
    assert "Your request is with us. To see where it is and what we found" in page
    assert "See your answer" in page and "Check my case number" in page
    for words in ("We found your record", "dismissed and sealed", "Status:", "Received on"):
        assert words not in page, words


def test_under_the_strict_policy_the_case_number_opens_the_answer_and_the_letter(cases, strict):
    client = verified_client(lookup_form_data())
    client.post("/my-request/case-number/", {"case_number": "BA123456", "website": ""})
    page = answer_page(client)
    assert "We found your record in the dismissals" in page
    assert "Open your result letter" in page
    assert "BA123456" in client.get("/my-request/letter/").content.decode()


# --- Level 2, closing, and the session's end ------------------------------------------------------


def test_at_level_2_the_answer_page_links_to_the_letter(cases):
    client = verified_client(lookup_form_data())
    client.post("/my-request/case-number/", {"case_number": "BA123456", "website": ""})
    page = answer_page(client)
    assert 'href="/my-request/letter/"' in page and "See your case numbers" not in page
    letter = client.get("/my-request/letter/").content.decode()
    assert "Issued by" in letter and "data-print-button hidden" in letter


def test_closing_the_request_forgets_it_on_this_device(cases):
    client = verified_client(lookup_form_data())
    response = client.post("/my-request/close/")
    assert response.status_code == 303 and response["Location"] == "/"
    assert "Your answer is closed on this device." in client.get("/").content.decode()
    assert client.get(RESULT_URL)["Location"] == "/status/"


def test_the_answer_is_forgotten_after_the_session_minutes(cases, settings):
    client = verified_client(lookup_form_data())
    session = client.session
    kept = session[SESSION_KEY]
    kept["since"] = time.time() - settings.ACCESS_SESSION_MINUTES * 60 - 1
    session[SESSION_KEY] = kept
    session.save()
    assert client.get(RESULT_URL)["Location"] == "/status/"


def test_typing_the_code_renews_the_session_key(cases):
    client = Client()
    post_lookup(client, lookup_form_data())
    before = client.session.session_key
    type_code(client, latest_code("maria@example.org"))
    assert client.session.session_key != before


# --- About and Privacy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/about/", "en", ["About Relief Check", "Who runs it", "Relief Check is run by"]),
        ("/about/", "es", ["Acerca de Relief Check", "Quién lo administra"]),
        (
            "/privacy/",
            "en",
            [
                "What we collect",
                "Who sees it",
                "How long we keep it",
                "Ask for a copy or for deletion",
                "180 days after we answer",
                "work for 10 minutes",
                "work for 7 days",
            ],
        ),
        (
            "/privacy/",
            "es",
            [
                "Qué datos recogemos",
                "Quién lo ve",
                "Cuánto tiempo lo guardamos",
                "Pida una copia o que borremos sus datos",
                "180 días después",
            ],
        ),
    ],
)
def test_about_and_privacy_say_who_runs_it_what_is_kept_and_how_to_ask_for_deletion(
    client, settings, path, language, expected
):
    settings.SERVICE_OPERATOR = "Los Angeles County Public Defender"
    client.cookies["django_language"] = language
    page = client.get(path).content.decode()
    for words in expected:
        assert words in page, words
    assert "Los Angeles County Public Defender" in page
    assert 'href="mailto:help@reliefcheck.example"' in page


def test_the_privacy_page_says_when_even_the_outcome_needs_proof(client, settings):
    settings.DISCLOSURE_POLICY = "strict"
    page = client.get("/privacy/").content.decode()
    assert "even the answer in general terms is shown only once you prove who you are" in page
