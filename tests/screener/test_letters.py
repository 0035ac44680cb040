"""Result letters: signed expiring links, the date-of-birth check, and what the letter lists."""

import re
import time
from unittest import mock

import pytest
from django.test import Client

from screener import letters
from screener.models import Lookup, LookupCandidate
from tests.screener.public_flow import (
    MARIA_BIRTH_DATE,
    cases_load,
    lookup_form_data,
    nobody_form_data,
    post_lookup,
)

pytestmark = pytest.mark.django_db


def birth_data(date=MARIA_BIRTH_DATE) -> dict[str, str]:
    return {
        "date_of_birth_month": str(date.month),
        "date_of_birth_day": str(date.day),
        "date_of_birth_year": str(date.year),
    }


def lookup_made(data: dict) -> Lookup:
    response = post_lookup(Client(), data)
    assert response.status_code == 303
    return Lookup.objects.latest("created_at")


@pytest.fixture
def matched():
    cases_load()
    lookup = lookup_made(lookup_form_data())
    assert lookup.status == Lookup.Status.MATCHED
    return lookup


def letter_path(lookup: Lookup) -> str:
    return re.sub(r"^https?://[^/]+", "", letters.result_letter_url(lookup))


def test_the_letter_url_is_absolute_and_carries_only_a_signed_id(matched, settings):
    settings.SITE_URL = "https://reliefcheck.example/"
    url = letters.result_letter_url(matched)
    assert url.startswith("https://reliefcheck.example/letter/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token.split(":")[0] == str(matched.pk)
    assert letters.letter_lookup_id(token) == matched.pk
    assert "maria" not in url.lower() and "1975" not in url


def test_an_altered_link_does_not_work(matched):
    token = letters.letter_token(matched)
    other_id = f"{matched.pk + 1}{token[len(str(matched.pk)) :]}"
    with pytest.raises(letters.LetterLinkInvalid):
        letters.letter_lookup_id(other_id)
    response = Client().get(f"/letter/{other_id}/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_a_link_older_than_the_limit_has_expired(matched, settings):
    settings.RESULT_LINK_MAX_AGE_DAYS = 30
    days_ago = time.time() - 31 * 86400
    with mock.patch("django.core.signing.time.time", return_value=days_ago):
        token = letters.letter_token(matched)
    with pytest.raises(letters.LetterLinkExpired):
        letters.letter_lookup_id(token)
    response = Client().get(f"/letter/{token}/")
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert "30 days" in response.content.decode()


def test_the_letter_asks_for_the_date_of_birth_before_showing_anything(matched):
    page = Client().get(letter_path(matched)).content.decode()
    assert "Open your result letter" in page
    assert "BA123456" not in page and matched.reference not in page


def test_the_right_date_of_birth_opens_the_letter_with_every_case(matched):
    response = Client().post(letter_path(matched), birth_data())
    assert response.status_code == 200
    page = response.content.decode()
    assert "BA123456" in page and "6CJ00651" in page
    assert "Los Angeles Superior Court" in page
    assert "HS 11357(a), HS 11360(a)" in page
    assert "2020 dismissals (state Department of Justice records, AB 1793)" in page
    assert "Dismissed and sealed" in page and "Reduced" in page
    assert "Feb. 13, 2020" in page and "Sept. 29, 2022" in page
    assert "jobs" in page.lower() or "job" in page.lower()
    assert "Background checks" in page
    assert matched.reference in page


def test_a_wrong_date_of_birth_gets_one_generic_message(matched):
    response = Client().post(letter_path(matched), birth_data(MARIA_BIRTH_DATE.replace(day=13)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This date of birth does not match our records for this letter." in page
    assert "BA123456" not in page


def test_a_lookup_without_a_dismissal_has_no_letter():
    cases_load()
    lookup = lookup_made(nobody_form_data())
    response = Client().post(
        letter_path(lookup),
        {"date_of_birth_month": "9", "date_of_birth_day": "3", "date_of_birth_year": "1968"},
    )
    assert response.status_code == 400
    assert "does not match our records" in response.content.decode()


def test_an_anonymized_lookup_has_no_letter(matched):
    Lookup.objects.filter(pk=matched.pk).update(
        date_of_birth=None, anonymized_at=matched.created_at
    )
    response = Client().post(letter_path(matched), birth_data())
    assert response.status_code == 400


def test_cases_rejected_by_staff_are_left_out(matched):
    LookupCandidate.objects.filter(lookup=matched, case__case_number="6CJ00651").update(
        confirmed=False
    )
    assert [case.case_number for case in letters.letter_cases(matched)] == ["BA123456"]
    page = Client().post(letter_path(matched), birth_data()).content.decode()
    assert "6CJ00651" not in page
    assert "Reduced" not in page


def test_date_of_birth_tries_are_limited_per_letter(matched, settings):
    settings.STATUS_RATE_PER_REFERENCE = "2/h"
    wrong = birth_data(MARIA_BIRTH_DATE.replace(year=1980))
    for n in range(2):
        client = Client(REMOTE_ADDR=f"192.0.2.{n}")
        assert client.post(letter_path(matched), wrong).status_code == 400
    right = Client(REMOTE_ADDR="192.0.2.50").post(letter_path(matched), birth_data())
    assert right.status_code == 429


def test_the_letter_opens_in_the_language_of_the_request(settings):
    cases_load()
    lookup = lookup_made(lookup_form_data(language="es"))
    page = Client().get(letter_path(lookup)).content.decode()
    assert '<html lang="es">' in page
    chosen = Client()
    chosen.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in chosen.get(letter_path(lookup)).content.decode()


def test_the_letter_prints_without_the_page_furniture(matched):
    page = Client().post(letter_path(matched), birth_data()).content.decode()
    assert "data-print-button hidden" in page
    assert 'class="rc-no-print"' in page
