"""Dates take ASCII digits only and names need a letter and no hidden characters: on the lookup,
status and letter forms, each mistake with a clear message and never a server error."""

import pytest
from django.test import TestCase

from screener.forms import LetterAccessForm, LookupForm, StatusForm
from screener.models import Lookup
from tests.screener.public_flow import lookup_form_data, status_form_data

pytestmark = pytest.mark.django_db

SUPERSCRIPTS = [
    ("date_of_birth_day", "1²"),
    ("date_of_birth_day", "¹"),
    ("date_of_birth_month", "⁴"),
    ("date_of_birth_year", "¹⁹⁷⁵"),
    ("date_of_birth_year", "١٩٧٥"),  # Arabic-Indic digits
    ("date_of_birth_day", "１２"),  # full-width
]


@pytest.mark.parametrize(("field", "value"), SUPERSCRIPTS)
def test_a_date_typed_with_other_digits_is_an_error_on_every_form(field, value):
    lookup = LookupForm(lookup_form_data(**{field: value}))
    status = StatusForm(status_form_data("RC-ACD-EFG") | {field: value})
    letter = LetterAccessForm(status_form_data("RC-ACD-EFG") | {field: value})
    for form in (lookup, status, letter):
        assert not form.is_valid()
        assert "date_of_birth" in form.errors


@pytest.mark.parametrize(("field", "value"), SUPERSCRIPTS[:3])
def test_a_superscript_digit_gets_a_message_not_a_server_error(client, field, value):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/check/", lookup_form_data(**{field: value}))
    # The form again with its message (a 400, as for any mistake), not a 500.
    assert response.status_code == 400
    assert "date of birth" in response.content.decode().lower()
    assert not Lookup.objects.exists()
    status = client.post("/status/", status_form_data("RC-ACD-EFG") | {field: value})
    assert status.status_code == 400
    assert "date of birth" in status.content.decode().lower()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("😀😀", "A name must have at least one letter."),
        ("!!! ...", "A name must have at least one letter."),
        ("12345", "A name must have at least one letter."),
        ("Mar\u202eía", "invisible character"),  # right-to-left override
        ("Ma\u200bría", "invisible character"),  # zero-width space
        ("Mar\x07ía", "hidden character"),
        ("Mar\ue000ía", "character we cannot read"),  # private use
        ("=HYPERLINK(1)", "cannot start with =, +, - or @"),
    ],
)
def test_names_need_a_letter_and_no_hidden_characters(value, message):
    for field in ("first_name", "middle_name", "last_name"):
        form = LookupForm(lookup_form_data(**{field: value}))
        assert not form.is_valid()
        assert message in " ".join(form.errors[field])
    other = LookupForm(lookup_form_data(other_names=f"Maria Lopez\n{value}"))
    assert not other.is_valid() and message in " ".join(other.errors["other_names"])


@pytest.mark.parametrize(
    "value", ["José", "O'Brien", "Nguyễn", "De la Cruz", "Zoë-Ann", "李", "Ørsted", "D'Angelo Jr."]
)
def test_real_names_in_any_script_are_accepted(value):
    form = LookupForm(lookup_form_data(first_name=value))
    assert form.is_valid(), form.errors


def test_two_emoji_names_no_longer_make_one_request(client):
    for name in ("😀", "🌵"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post("/check/", lookup_form_data(first_name=name, last_name=name))
    assert not Lookup.objects.exists()
