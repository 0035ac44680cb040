"""Contact details: phone numbers parsed with `phonenumbers`, stored in E.164; masking.

Pure functions, no ORM: the public form, outreach uploads and the notification outbox share them.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Types that can receive a text message. In the US and Canada the numbering plan does not say
# which numbers are mobile, so phonenumbers reports FIXED_LINE_OR_MOBILE for all of them.
SMS_CAPABLE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
# An email address, or a run of 7+ digits with the separators people put in phone numbers.
EMAIL_PATTERN = re.compile(r"[^\s<>\"'@,;:]+@[^\s<>\"'@,;:]+")
PHONE_PATTERN = re.compile(r"\+?\(?\d[\d ().-]{5,}\d")
MIN_PHONE_DIGITS = 7
# Longest a person could reasonably type, with spaces, dashes, brackets and a country code.
MAX_PHONE_INPUT_LENGTH = 40


def phone_normalize(value: str, region: str = "US") -> str:
    """Return the number in E.164 (+12135550123) or raise ValidationError saying what is wrong.

    A number without a country code is read as a number of `region`.
    """
    raw = (value or "").strip()
    if not raw:
        raise ValidationError(_("Enter a mobile phone number."), code="required")
    if len(raw) > MAX_PHONE_INPUT_LENGTH:
        raise ValidationError(
            _("This phone number is too long. Enter a number such as (213) 555-0123."),
            code="too_long",
        )
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Enter the phone number with its area code, such as (213) 555-0123."),
            code="unreadable",
        ) from exc
    if not phonenumbers.is_valid_number(number):
        if phonenumbers.is_possible_number(number):
            raise ValidationError(
                _("This phone number does not exist. Check the area code and the digits."),
                code="invalid",
            )
        raise ValidationError(
            _("This phone number has too few or too many digits. Check it and try again."),
            code="wrong_length",
        )
    if phonenumbers.number_type(number) not in SMS_CAPABLE_TYPES:
        raise ValidationError(
            _(
                "This number cannot receive text messages (for example a landline or a toll-free "
                "number). Enter a mobile phone number, or leave it empty and give an email address."
            ),
            code="not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """A stored E.164 number as people write it: (213) 555-0123, or +44 7911 123456 abroad."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 1:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def contact_mask(value: str) -> str:
    """Hide most of an email address or phone number, enough for staff to tell two apart.

    maria.lopez@example.com → m••••••••••@example.com; +12135550123 → •••-•••-0123.
    """
    value = (value or "").strip()
    if not value:
        return ""
    if "@" in value:
        local, _at, domain = value.rpartition("@")
        if not local:
            return f"•@{domain}"
        return f"{local[0]}{'•' * max(len(local) - 1, 1)}@{domain}"
    digits = [ch for ch in value if ch.isdigit()]
    if len(digits) <= 4:
        return "•" * len(digits)
    return f"•••-•••-{''.join(digits[-4:])}"


def contact_redact(text: str) -> str:
    """Remove email addresses and phone numbers from free text (provider errors, log lines)."""

    def phone(match: re.Match) -> str:
        # Seven digits or more: a phone number, not an SMTP reply code such as 451 4.3.0.
        digits = sum(ch.isdigit() for ch in match.group())
        return "[number]" if digits >= MIN_PHONE_DIGITS else match.group()

    return PHONE_PATTERN.sub(phone, EMAIL_PATTERN.sub("[email]", text or ""))
