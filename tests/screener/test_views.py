"""The public pages: the lookup form, the page after it, the status page, limits, language.

The pages after the code (the answer, the step-up, the letter) are tested in
test_access_views.py; what stays the same for every outcome, in test_disclosure_flow.py.
"""

import logging
import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from screener.contact import contact_mask
from screener.models import Lookup, Notification
from screener.selectors import PublicStage
from tests.screener.public_flow import (
    MARIA_BIRTH_DATE,
    cases_load,
    latest_code,
    lookup_form_data,
    nobody_form_data,
    post_committed,
    post_lookup,
    status_form_data,
    type_code,
)

pytestmark = pytest.mark.django_db

LOOKUP_URL = reverse("screener:lookup")
RECEIVED_URL = reverse("screener:lookup_received")
STATUS_URL = reverse("screener:status")
REFERENCE_RE = re.compile(r"RC-[A-Z0-9]{3}-[A-Z0-9]{3}")
# Values that differ on every render whatever the request: the CSRF token.
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def cases():
    cases_load()


def submit(client: Client, data: dict) -> tuple[Lookup, str]:
    """Post the form, follow the redirect; return the lookup and the page after the form."""
    response = post_lookup(client, data)
    assert response.status_code == 303, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    return Lookup.objects.filter(email=data["email"]).latest("pk"), page


# A masked contact (m••••@example.org) shows its first letter and length.
MASKED_CONTACT_RE = re.compile(r"\w•+@")


def masked(html: str) -> str:
    html = MASKED_CONTACT_RE.sub("x•@", html)
    return CSRF_RE.sub("csrf", REFERENCE_RE.sub("RC-XXX-XXX", html))


# --- Pages -------------------------------------------------------------------------------------


def test_home_page_explains_the_dismissals_and_starts_the_check(client):
    page = client.get(reverse("screener:home")).content.decode()
    assert "November 9, 2016" in page
    assert "11357" in page and "11360" in page
    assert "dismissed and sealed" in page
    assert f'href="{LOOKUP_URL}"' in page


def test_the_form_page_has_every_field_with_a_label(client):
    page = client.get(LOOKUP_URL).content.decode()
    for field_id in (
        "id_first_name",
        "id_middle_name",
        "id_last_name",
        "id_other_names",
        "id_date_of_birth_month",
        "id_date_of_birth_day",
        "id_date_of_birth_year",
        "id_case_number",
        "id_email",
        "id_phone",
        "id_language_0",
        "id_is_self_0",
        "id_consent_to_contact",
    ):
        assert f'for="{field_id}"' in page, field_id
        assert f'id="{field_id}"' in page, field_id


# --- Validation --------------------------------------------------------------------------------


def test_errors_are_listed_at_the_top_with_links_and_next_to_each_field(client):
    response = client.post(
        LOOKUP_URL, lookup_form_data(first_name="", date_of_birth_day="31", date_of_birth_month="2")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="form-feedback"' in page and 'tabindex="-1"' in page
    assert '<a class="usa-link" href="#id_first_name">Enter your first name.</a>' in page
    assert 'href="#id_date_of_birth_month">Date of birth must be a real date.' in page
    assert 'id="id_first_name-error"' in page
    assert 'aria-describedby="id_first_name-error"' in page
    assert "<title>Error: Check your record" in page
    assert not Lookup.objects.exists()


def test_what_was_typed_is_kept_after_an_error(client):
    data = lookup_form_data(email="", phone="", other_names="Maria Lopez")
    page = client.post(LOOKUP_URL, data).content.decode()
    assert 'value="María"' in page
    assert 'value="Hernández"' in page
    assert "Maria Lopez</textarea>" in page
    assert '<option value="4" selected>' in page
    assert 'value="1975"' in page
    assert 'value="yes" checked' in page


def test_the_form_posts_to_a_fragment_so_focus_lands_on_the_error_summary(client):
    page = client.get(LOOKUP_URL).content.decode()
    assert f'action="{LOOKUP_URL}#form-feedback"' in page
    assert "novalidate" in page


# --- Submission and confirmation ---------------------------------------------------------------


def test_a_submission_redirects_to_a_page_that_asks_for_the_code_and_names_no_reference(
    client, cases
):
    response = client.post(LOOKUP_URL, lookup_form_data())
    assert response.status_code == 303
    assert response["Location"] == f"{RECEIVED_URL}#main-content"
    lookup, page = submit(Client(), lookup_form_data(email="someone@example.org"))
    assert "We received your request" in page
    assert "We sent a 6-digit code" in page and contact_mask("someone@example.org") in page
    assert lookup.reference not in page and not REFERENCE_RE.search(page)
    assert "Result sent" not in page and "Status:" not in page
    assert 'name="code"' in page and 'autocomplete="one-time-code"' in page


def test_the_lookup_keeps_the_chosen_language_and_contact(client, cases):
    lookup, _ = submit(client, lookup_form_data(language="es", phone="213 555 0123"))
    assert lookup.language == "es"
    assert lookup.phone == "+12135550123"
    assert lookup.is_self is True
    assert lookup.consent_to_contact is True


def test_the_page_after_the_form_needs_a_submission_in_this_session(client):
    response = client.get(RECEIVED_URL)
    assert response.status_code == 302
    assert response["Location"] == LOOKUP_URL


@pytest.mark.django_db(transaction=True)
def test_found_and_not_found_get_the_same_response(cases):
    # Transactional, so the check runs inside the request exactly as in `make run`.
    found_client, missing_client = Client(), Client()
    found_post = found_client.post(LOOKUP_URL, lookup_form_data())
    missing_post = missing_client.post(LOOKUP_URL, nobody_form_data())
    assert found_post.status_code == missing_post.status_code == 303
    assert found_post["Location"] == missing_post["Location"]
    assert found_post.content == missing_post.content

    found_page = found_client.get(found_post["Location"]).content.decode()
    missing_page = missing_client.get(missing_post["Location"]).content.decode()
    # The difference exists, but only behind the code sent to the contact.
    assert Lookup.objects.get(email="maria@example.org").status == Lookup.Status.MATCHED
    assert Lookup.objects.get(email="rosa@example.org").status == Lookup.Status.NOT_FOUND
    assert masked(found_page) == masked(missing_page)


@pytest.mark.django_db(transaction=True)
def test_the_response_never_comes_sooner_than_the_floor_for_found_and_not_found(settings, cases):
    settings.LOOKUP_RESPONSE_MIN_SECONDS = 0.4
    durations = []
    for data in (lookup_form_data(), nobody_form_data()):
        started = time.monotonic()
        response = Client().post(LOOKUP_URL, data)
        durations.append(time.monotonic() - started)
        assert response.status_code == 303
    assert min(durations) >= 0.4


def test_the_same_details_and_contact_again_get_the_same_page_and_a_new_code(client, cases):
    first, first_page = submit(client, lookup_form_data())
    second, page = submit(Client(), lookup_form_data(first_name="MARIA", last_name="Hernandez"))
    assert second.pk == first.pk
    assert Lookup.objects.count() == 1
    # Nothing tells a repeat from a first request: the owner of the mailbox gets a new code.
    assert masked(page) == masked(first_page)
    assert first.reference not in page
    codes = Notification.objects.filter(lookup=first, kind=Notification.Kind.CODE)
    assert codes.count() == 2 and {row.recipient for row in codes} == {"maria@example.org"}


def test_the_same_details_with_another_contact_are_held_and_the_first_contact_told(client, cases):
    first, _ = submit(client, lookup_form_data())
    second, page = submit(Client(), lookup_form_data(email="helper@example.org"))
    assert second.pk != first.pk
    assert second.status == Lookup.Status.HELD
    # The same page as any request; the first contact hears that someone else asked.
    assert "We received your request" in page
    told = [m for m in mail.outbox if m.to == ["maria@example.org"]]
    assert any("Someone else asked" in m.subject for m in told)
    assert not Notification.objects.filter(lookup=second, kind__startswith="result").exists()


# --- Codes ------------------------------------------------------------------------------------


def test_the_right_code_leads_to_the_request_and_a_wrong_one_says_how_many_tries_are_left(
    client, cases
):
    submit(client, lookup_form_data())
    wrong = type_code(
        client, "000000" if latest_code("maria@example.org") != "000000" else "111111"
    )
    assert wrong.status_code == 400
    assert "That code is not right. Check it and try again: you have 4 tries left." in (
        wrong.content.decode()
    )
    assert 'value="000000"' in wrong.content.decode() or 'value="111111"' in wrong.content.decode()
    right = type_code(client, latest_code("maria@example.org"))
    assert right.status_code == 303
    assert right["Location"] == "/my-request/#main-content"


# --- Status page -------------------------------------------------------------------------------


def test_the_status_page_sends_a_code_to_the_contact_on_file_and_shows_nothing(client, cases):
    lookup, _ = submit(Client(), lookup_form_data())
    response = client.post(
        STATUS_URL, {**status_form_data(lookup.reference.lower()), "action": "code"}
    )
    assert response.status_code == 303
    assert response["Location"] == "/code/"
    page = client.get("/code/").content.decode()
    assert "Enter your code" in page and "m••••@example.org" in page
    for detail in ("BA123456", "6CJ00651", "Superior Court", "Hernández", "Result sent"):
        assert detail not in page
    assert type_code(client, latest_code("maria@example.org")).status_code == 303
    result = client.get("/my-request/").content.decode()
    assert f'data-testid="reference">{lookup.reference}</strong>' in result
    assert "Status: Result sent" in result


def test_a_wrong_date_of_birth_and_an_unknown_reference_get_the_same_message(client, cases):
    lookup, _ = submit(client, lookup_form_data())
    wrong_date = MARIA_BIRTH_DATE.replace(day=13)
    wrong_birth = client.post(STATUS_URL, status_form_data(lookup.reference, wrong_date))
    unknown = client.post(STATUS_URL, status_form_data("RC-AAA-AAA", wrong_date))
    assert wrong_birth.status_code == unknown.status_code == 400
    message = "We could not find a request with this reference code and date of birth."
    assert message in wrong_birth.content.decode()
    assert masked(wrong_birth.content.decode()) == masked(unknown.content.decode())


def test_the_answer_again_goes_to_the_contact_on_file_with_a_fresh_link(client, cases):
    lookup, _ = submit(Client(), lookup_form_data())
    before = len(mail.outbox)
    response = post_committed(
        client, STATUS_URL, {**status_form_data(lookup.reference), "action": "again"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "If your answer is ready, we sent you a new link to it:" in page
    assert "m••••@example.org" in page and "BA123456" not in page
    [again] = mail.outbox[before:]
    assert again.to == ["maria@example.org"]
    assert again.subject == f"A new link to your Relief Check answer ({lookup.reference})"
    assert "/r/" in again.body and "BA123456" not in again.body


def test_the_status_page_says_when_staff_are_reviewing(client, cases):
    data = lookup_form_data(date_of_birth_month="12", date_of_birth_day="4")
    lookup, _ = submit(client, data)
    assert lookup.status == Lookup.Status.NEEDS_REVIEW
    type_code(client, latest_code("maria@example.org"))
    page = client.get("/my-request/").content.decode()
    assert "Status: Being reviewed by staff" in page
    assert "within 10" in page


# --- Result messages: one per lookup, the same words for every outcome --------------------------


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


@pytest.mark.parametrize(
    "data",
    [
        lookup_form_data(),
        lookup_form_data(date_of_birth_month="12", date_of_birth_day="4"),
        nobody_form_data(email="maria@example.org"),
    ],
    ids=["match", "possible", "no match"],
)
def test_each_lookup_gets_one_result_message_saying_only_that_it_is_ready(client, cases, data):
    lookup, _ = submit(client, data)
    results = Notification.objects.filter(lookup=lookup, kind__startswith="result_")
    assert results.count() == 1
    [message] = [m for m in sent_to("maria@example.org") if "result is ready" in m.subject]
    assert message.subject == f"Your Relief Check result is ready ({lookup.reference})"
    assert f"Your result for request {lookup.reference} is ready." in message.body
    assert "/r/" in message.body
    for detail in ("BA123456", "6CJ00651", "Superior Court", "sealed", "not find", "staff member"):
        assert detail not in message.body


def test_a_spanish_request_gets_spanish_messages(client, cases):
    submit(client, nobody_form_data(language="es"))
    assert any(
        "Hay novedades" in m.body or "está listo" in m.body for m in sent_to("rosa@example.org")
    )


# --- Abuse -------------------------------------------------------------------------------------


def test_the_form_needs_a_csrf_token(cases):
    response = Client(enforce_csrf_checks=True).post(LOOKUP_URL, lookup_form_data())
    assert response.status_code == 403
    assert not Lookup.objects.exists()


def test_a_filled_honeypot_records_nothing(client, cases):
    response = client.post(LOOKUP_URL, lookup_form_data(website="https://spam.example"))
    assert response.status_code == 400
    assert not Lookup.objects.exists()
    assert not mail.outbox


def test_submissions_are_limited_per_ip(settings, cases):
    settings.SUBMIT_RATE_PER_IP = "2/h"
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(2):
        assert (
            client.post(LOOKUP_URL, nobody_form_data(email=f"r{n}@example.org")).status_code == 303
        )
    response = client.post(LOOKUP_URL, nobody_form_data(email="r9@example.org"))
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert Lookup.objects.count() == 2
    other_ip = Client(REMOTE_ADDR="203.0.113.8")
    assert other_ip.post(LOOKUP_URL, nobody_form_data(email="r9@example.org")).status_code == 303


def test_submissions_are_limited_per_contact_across_ips(settings, cases):
    settings.SUBMIT_RATE_PER_CONTACT = "2/d"
    for n in range(2):
        client = Client(REMOTE_ADDR=f"198.51.100.{n}")
        assert client.post(LOOKUP_URL, nobody_form_data(first_name=f"Ana{n}")).status_code == 303
    response = Client(REMOTE_ADDR="198.51.100.9").post(
        LOOKUP_URL, nobody_form_data(first_name="Beatriz")
    )
    assert response.status_code == 429


def test_status_checks_are_limited_per_ip_and_per_reference(settings, cases):
    settings.STATUS_RATE_PER_IP = "3/h"
    settings.STATUS_RATE_PER_REFERENCE = "2/h"
    lookup, _ = submit(Client(), lookup_form_data())
    client = Client(REMOTE_ADDR="203.0.113.20")
    for reference in ("RC-AAA-AAA", "RC-AAA-AAC", "RC-AAA-AAD"):
        assert client.post(STATUS_URL, status_form_data(reference)).status_code == 400
    assert client.post(STATUS_URL, status_form_data(lookup.reference)).status_code == 429

    for n in range(2):
        guesser = Client(REMOTE_ADDR=f"192.0.2.{n}")
        wrong = status_form_data(lookup.reference, MARIA_BIRTH_DATE.replace(year=1970 + n))
        assert guesser.post(STATUS_URL, wrong).status_code == 400
    right = Client(REMOTE_ADDR="192.0.2.99").post(STATUS_URL, status_form_data(lookup.reference))
    assert right.status_code == 429


def test_limits_can_be_switched_off(settings, cases):
    settings.RATELIMIT_ENABLE = False
    settings.SUBMIT_RATE_PER_IP = "1/h"
    client = Client()
    for n in range(3):
        assert (
            client.post(LOOKUP_URL, nobody_form_data(email=f"x{n}@example.org")).status_code == 303
        )


def test_no_personal_data_reaches_the_logs(client, cases, caplog):
    caplog.set_level(logging.DEBUG)
    lookup, _ = submit(client, lookup_form_data(phone="213 555 0123", case_number="BA123456"))
    type_code(client, "999999")
    type_code(client, latest_code("maria@example.org"))
    client.get("/my-request/")
    client.post("/my-request/case-number/", {"case_number": "BA123456", "website": ""})
    client.get("/my-request/letter/")
    client.post(STATUS_URL, status_form_data("RC-AAA-AAA"))
    client.post(STATUS_URL, {**status_form_data(lookup.reference), "action": "again"})
    client.post(LOOKUP_URL, lookup_form_data(website="spam"))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for personal in (
        "María",
        "Maria",
        "MARIA",
        "Hernández",
        "HERNANDEZ",
        "maria@example.org",
        "5550123",
        "1975-04-12",
        "BA123456",
    ):
        assert personal not in logged, personal


# --- Language ----------------------------------------------------------------------------------


def test_the_language_switcher_works_without_javascript_and_is_remembered(client):
    page = client.get(reverse("screener:home")).content.decode()
    assert 'action="/i18n/setlang/"' in page and 'lang="es">Español</button>' in page
    response = client.post("/i18n/setlang/", {"language": "es", "next": LOOKUP_URL})
    assert response.status_code == 302 and response["Location"] == LOOKUP_URL
    page = client.get(LOOKUP_URL).content.decode()
    assert '<html lang="es">' in page
    assert "Revise su historial" in page
    assert 'value="es" checked' in page
    assert "Revise su historial" not in Client().get(LOOKUP_URL).content.decode()


def test_errors_come_in_the_page_language(client):
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.post(LOOKUP_URL, lookup_form_data(first_name="")).content.decode()
    assert "Escriba su nombre." in page


def test_the_429_and_404_pages_are_translated(client, settings, cases):
    settings.SUBMIT_RATE_PER_IP = "0/h"
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert "Demasiados intentos" in client.post(LOOKUP_URL, nobody_form_data()).content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "No encontramos esta página" in missing.content.decode()


def test_public_stages_for_status_page():
    from screener.selectors import public_stage

    table = [
        ("received", False, False, PublicStage.RECEIVED),
        ("checking", False, False, PublicStage.CHECKING),
        ("failed", False, False, PublicStage.CHECKING),
        ("needs_review", False, False, PublicStage.IN_REVIEW),
        ("more_info", False, True, PublicStage.MORE_INFO),
        ("matched", False, False, PublicStage.CHECKING),
        ("matched", False, True, PublicStage.IN_REVIEW),
        ("matched", True, False, PublicStage.RESULT_SENT),
        ("not_found", True, True, PublicStage.RESULT_SENT),
    ]
    for status, sent, reviewed, expected in table:
        assert public_stage(status=status, result_sent=sent, reviewed=reviewed) == expected, status


def test_a_result_counts_as_sent_only_once_its_message_went_out(client, cases):
    from screener.selectors import lookup_public_status

    lookup, _ = submit(client, lookup_form_data())
    assert lookup_public_status(lookup).stage == PublicStage.RESULT_SENT
    Notification.objects.filter(lookup=lookup).update(status=Notification.Status.QUEUED)
    assert lookup_public_status(lookup).stage == PublicStage.CHECKING
