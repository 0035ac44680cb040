"""The lookup, status and letter forms: what is accepted, and the message for each mistake."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from screener.forms import LetterAccessForm, LookupForm, MemorableDateField, StatusForm
from tests.screener.public_flow import lookup_form_data


def date_error(month: str, day: str, year: str) -> str:
    field = MemorableDateField()
    try:
        field.clean([month, day, year])
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def test_a_complete_form_gives_the_details_for_lookup_submit():
    form = LookupForm(
        lookup_form_data(
            other_names="Maria Lopez\n\n  Mary Hernandez  ",
            case_number=" ba123456 ",
            phone="(213) 555-0123",
            email="Maria@Example.org ",
            is_self="no",
        )
    )
    assert form.is_valid(), form.errors
    details = form.details()
    assert details.date_of_birth == datetime.date(1975, 4, 12)
    assert details.other_names == ("Maria Lopez", "Mary Hernandez")
    assert details.email == "maria@example.org"
    assert details.phone == "+12135550123"
    assert details.case_number == "ba123456"
    assert details.is_self is False
    assert details.consent_to_contact is True
    assert details.language == "en"


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter your date of birth."),
        (("", "12", "1975"), "Date of birth must include a month."),
        (("4", "", "1975"), "Date of birth must include a day."),
        (("4", "12", ""), "Date of birth must include a year."),
        (("4", "xx", "1975"), "Enter the day as a number from 1 to 31."),
        (("4", "32", "1975"), "Enter the day as a number from 1 to 31."),
        (("4", "12", "75"), "Enter the year with 4 numbers, for example 1985."),
        (("2", "30", "1975"), "Date of birth must be a real date. Check the day and the month."),
        (("13", "1", "1975"), "Date of birth must be a real date. Check the day and the month."),
        (("1", "1", "2999"), "Date of birth must be in the past."),
        (("1", "1", "1850"), "Date of birth must be after 1900."),
    ],
)
def test_each_date_of_birth_mistake_has_its_own_message(parts, message):
    assert date_error(*parts) == message


def test_names_and_date_of_birth_are_required_with_specific_messages():
    form = LookupForm(
        lookup_form_data(
            first_name="",
            last_name="",
            date_of_birth_month="",
            date_of_birth_day="",
            date_of_birth_year="",
        )
    )
    assert not form.is_valid()
    assert form.errors["first_name"] == ["Enter your first name."]
    assert form.errors["last_name"] == ["Enter your last name."]
    assert form.errors["date_of_birth"] == ["Enter your date of birth."]


def test_an_email_or_a_phone_is_required():
    form = LookupForm(lookup_form_data(email="", phone=""))
    assert not form.is_valid()
    assert form.errors["email"] == ["Enter an email address or a mobile phone number, or both."]


def test_a_phone_alone_is_enough():
    form = LookupForm(lookup_form_data(email="", phone="213-555-0123"))
    assert form.is_valid(), form.errors


def test_a_wrong_phone_number_gets_the_contact_modules_message_not_the_missing_contact_one():
    form = LookupForm(lookup_form_data(email="", phone="555"))
    assert not form.is_valid()
    assert "email" not in form.errors
    assert form.errors["phone"]


def test_a_malformed_email_says_what_an_email_looks_like():
    form = LookupForm(lookup_form_data(email="maria at example"))
    assert form.errors["email"] == ["Enter an email address like name@example.com."]


def test_the_permission_statement_and_consent_are_required():
    data = lookup_form_data()
    del data["is_self"]
    del data["consent_to_contact"]
    form = LookupForm(data)
    assert form.errors["is_self"] == [
        "Tell us if you are the person or are helping them with permission."
    ]
    assert form.errors["consent_to_contact"] == [
        "You must agree to be contacted, so that we can send you the answer."
    ]


def test_at_most_ten_other_names():
    form = LookupForm(lookup_form_data(other_names="\n".join(f"Name {n}" for n in range(11))))
    assert form.errors["other_names"] == ["Write at most 10 other names."]


def test_errors_are_in_the_active_language():
    with translation.override("es"):
        form = LookupForm(lookup_form_data(first_name=""))
        assert form.errors["first_name"] == ["Escriba su nombre."]


def test_the_preferred_language_defaults_to_the_page_language():
    assert LookupForm(language="es")["language"].value() == "es"


def test_the_honeypot_is_noticed():
    assert LookupForm(lookup_form_data(website="http://spam.example")).honeypot_tripped()
    assert not LookupForm(lookup_form_data()).honeypot_tripped()


@pytest.mark.parametrize("typed", ["rc-7kq-93m", "RC 7KQ 93M", "7kq93m"])
def test_the_status_form_accepts_the_reference_code_as_people_type_it(typed):
    form = StatusForm(
        {
            "reference": typed,
            "date_of_birth_month": "4",
            "date_of_birth_day": "12",
            "date_of_birth_year": "1975",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reference"] == "RC-7KQ-93M"


def test_the_status_form_explains_a_malformed_reference_code():
    form = StatusForm(
        {
            "reference": "RC-7KQ",
            "date_of_birth_month": "4",
            "date_of_birth_day": "12",
            "date_of_birth_year": "1975",
        }
    )
    assert form.errors["reference"] == [
        "Enter the reference code as it is written in your message, like RC-7KQ-93M."
    ]


def test_the_letter_form_needs_the_date_of_birth():
    form = LetterAccessForm({})
    assert form.errors["date_of_birth"] == ["Enter your date of birth."]
