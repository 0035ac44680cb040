import pytest
from django.core.exceptions import ValidationError

from screener.contact import contact_mask, phone_display, phone_normalize


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("(213) 555-0123", "+12135550123"),
        ("213.555.0123", "+12135550123"),
        ("1 213 555 0123", "+12135550123"),
        ("+1 (323) 760-6763", "+13237606763"),
        ("  2135550123  ", "+12135550123"),
        ("+52 55 1234 5678", "+525512345678"),
        ("+44 7911 123456", "+447911123456"),
    ],
)
def test_phone_normalize_returns_e164_for_what_people_type(typed, expected):
    assert phone_normalize(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("call me", "unreadable"),
        ("213 555 01", "wrong_length"),
        ("213 555 01234567", "wrong_length"),
        ("(800) 555-1234", "not_mobile"),
        ("+44 20 7946 0958", "not_mobile"),
        ("1" * 41, "too_long"),
    ],
)
def test_phone_normalize_rejects_with_a_specific_reason(typed, code):
    with pytest.raises(ValidationError) as info:
        phone_normalize(typed)
    assert info.value.code == code
    assert str(info.value.messages[0])


def test_phone_normalize_reads_numbers_without_country_code_in_the_given_region():
    assert phone_normalize("55 1234 5678", region="MX") == "+525512345678"


def test_phone_display_formats_us_numbers_nationally_and_others_internationally():
    assert phone_display("+12135550123") == "(213) 555-0123"
    assert phone_display("+447911123456") == "+44 7911 123456"
    assert phone_display("") == ""


def test_contact_mask_hides_most_of_an_email_but_keeps_the_domain():
    assert contact_mask("maria.lopez@example.com") == "m••••••••••@example.com"
    assert "maria" not in contact_mask("maria@example.com")


def test_contact_mask_keeps_only_the_last_four_digits_of_a_phone():
    assert contact_mask("+12135550123") == "•••-•••-0123"
    assert "555" not in contact_mask("+12135550123")


def test_contact_mask_of_empty_is_empty():
    assert contact_mask("") == ""
