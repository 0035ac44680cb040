"""Public forms: the lookup request, the status check, the result link's date-of-birth check, the
one-time code and the case-number step-up.

Rendered with the USWDS crispy template pack in templates/uswds/. Every message names the field
and what to do, in the language the person chose.
"""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from cases.normalize import NameProblem, name_problem
from screener.access.codes import CODE_DIGITS, code_normalize
from screener.contact import phone_normalize
from screener.services import LookupDetails, reference_normalize

EARLIEST_BIRTH_YEAR = 1900
MAX_OTHER_NAMES = 10


class MemorableDateWidget(forms.MultiWidget):
    """USWDS memorable date: a month select and day and year boxes that work on any phone."""

    # Rendered part by part by templates/uswds/field.html (screener/templatetags/uswds.py).

    def __init__(self, attrs=None):
        month_choices = [("", _("- Select -")), *((str(n), name) for n, name in MONTHS.items())]
        numeric = {"inputmode": "numeric", "pattern": "[0-9]*"}
        widgets = {
            "month": forms.Select(choices=month_choices),
            "day": forms.TextInput(attrs={**numeric, "maxlength": "2"}),
            "year": forms.TextInput(attrs={**numeric, "minlength": "4", "maxlength": "4"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.month), str(value.day), str(value.year)]
        return ["", "", ""]

    def with_autocomplete(self, prefix: str) -> "MemorableDateWidget":
        for widget, part in zip(self.widgets, ("month", "day", "year"), strict=True):
            widget.attrs["autocomplete"] = f"{prefix}-{part}"
        return self


def ascii_digits(value: str) -> bool:
    """0-9 only: str.isdigit() also takes ², ¹ and other scripts' digits, which int() refuses or
    reads as another number."""
    return value.isascii() and value.isdigit()


class MemorableDateField(forms.Field):
    """A date of birth typed as month, day and year, with a specific message for each mistake."""

    default_error_messages = {
        "required": _("Enter your date of birth."),
        "missing_month": _("Date of birth must include a month."),
        "missing_day": _("Date of birth must include a day."),
        "missing_year": _("Date of birth must include a year."),
        "bad_day": _("Enter the day as a number from 1 to 31."),
        "bad_year": _("Enter the year with 4 numbers, for example 1985."),
        "not_real": _("Date of birth must be a real date. Check the day and the month."),
        "future": _("Date of birth must be in the past."),
        "too_early": _("Date of birth must be after %(year)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MemorableDateWidget().with_autocomplete("bday"))
        super().__init__(**kwargs)

    def to_python(self, value) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        month, day, year = (str(part or "").strip() for part in (value or ["", "", ""]))
        if not (month or day or year):
            return None
        for part, code in ((month, "missing_month"), (day, "missing_day"), (year, "missing_year")):
            if not part:
                raise ValidationError(self.error_messages[code], code=code)
        if not ascii_digits(day) or not 1 <= int(day) <= 31:
            raise ValidationError(self.error_messages["bad_day"], code="bad_day")
        if not (ascii_digits(year) and len(year) == 4):
            raise ValidationError(self.error_messages["bad_year"], code="bad_year")
        if not ascii_digits(month) or not 1 <= int(month) <= 12:
            raise ValidationError(self.error_messages["not_real"], code="not_real")
        try:
            result = datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(self.error_messages["not_real"], code="not_real") from exc
        if result >= timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")
        if result.year < EARLIEST_BIRTH_YEAR:
            raise ValidationError(
                self.error_messages["too_early"],
                code="too_early",
                params={"year": EARLIEST_BIRTH_YEAR},
            )
        return result


NAME_PROBLEM_MESSAGES = {
    NameProblem.NO_LETTER: _("A name must have at least one letter."),
    NameProblem.CONTROL: _(
        "The name has a hidden character that cannot be part of a name. Type the name again."
    ),
    NameProblem.FORMAT: _(
        "The name has an invisible character that cannot be part of a name. Type the name again."
    ),
    NameProblem.PRIVATE_USE: _(
        "The name has a character we cannot read. Type the name again using letters."
    ),
    NameProblem.FORMULA: _("A name cannot start with =, +, - or @."),
}


def name_validate(value: str) -> None:
    """A name holds at least one letter and no control, invisible or private-use character."""
    problem = name_problem(value) if value else None
    if problem is not None:
        raise ValidationError(NAME_PROBLEM_MESSAGES[problem], code=problem)


class DescribedFieldset(Fieldset):
    """A crispy Fieldset with a hint under its legend (templates/uswds/layout/fieldset.html)."""

    def __init__(self, legend, *fields, description="", **kwargs):
        super().__init__(legend, *fields, **kwargs)
        self.description = description


class HoneypotInput(forms.TextInput):
    """Rendered inside a display: none wrapper: no person sees it or reaches it; bots fill it in."""

    is_honeypot = True


class HoneypotForm(forms.Form):
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=HoneypotInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def honeypot_tripped(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())


class LookupForm(HoneypotForm):
    first_name = forms.CharField(
        validators=[name_validate],
        label=_("First name"),
        max_length=120,
        error_messages={"required": _("Enter your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    middle_name = forms.CharField(
        validators=[name_validate],
        label=_("Middle name"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "additional-name", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        validators=[name_validate],
        label=_("Last name"),
        max_length=120,
        help_text=_("If you have two last names, write both, for example Garcia Lopez."),
        error_messages={"required": _("Enter your last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )
    other_names = forms.CharField(
        label=_("Other names you have used"),
        required=False,
        max_length=1200,
        help_text=_(
            "For example a maiden name, a married name or a nickname on court papers. "
            "Write one full name on each line."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = MemorableDateField(
        label=_("Date of birth"), help_text=_("For example: January 19 1975")
    )
    case_number = forms.CharField(
        label=_("Court case number"),
        max_length=40,
        required=False,
        help_text=_(
            "You can find it on papers from the court or your lawyer. It is usually letters "
            "and numbers, for example AB123456. Leave it empty if you do not know it."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        required=False,
        max_length=40,
        help_text=_("We will send text messages to this number. For example (213) 555-0123."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Which language should we use to contact you?"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose English or Spanish.")},
    )
    is_self = forms.TypedChoiceField(
        label=_("Who is filling in this form?"),
        choices=[
            ("yes", _("I am the person named on this form.")),
            ("no", _("I am helping the person named on this form, and they gave me permission.")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_("We send the answer only to the email or phone number on this form."),
        error_messages={
            "required": _("Tell us if you are the person or are helping them with permission.")
        },
    )
    consent_to_contact = forms.BooleanField(
        label=_(
            "I agree that Relief Check may contact me by email or text message about this request."
        ),
        error_messages={
            "required": _("You must agree to be contacted, so that we can send you the answer.")
        },
    )

    def __init__(self, *args, language: str = "en", **kwargs):
        kwargs.setdefault("initial", {}).setdefault("language", language)
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Your name"), "first_name", "middle_name", "last_name", "other_names"),
            "date_of_birth",
            "case_number",
            DescribedFieldset(
                _("How should we send you the answer?"),
                "email",
                "phone",
                "language",
                description=_("Give an email address, a mobile phone number, or both."),
            ),
            "is_self",
            "consent_to_contact",
            "website",
        )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return phone_normalize(value) if value else ""

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_case_number(self) -> str:
        return self.cleaned_data["case_number"].strip()

    def clean_other_names(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["other_names"].splitlines()]
        names = [name for name in names if name]
        if len(names) > MAX_OTHER_NAMES:
            raise ValidationError(
                _("Write at most %(count)s other names."), params={"count": MAX_OTHER_NAMES}
            )
        if any(len(name) > 120 for name in names):
            raise ValidationError(_("Each name must be 120 characters or fewer."))
        for name in names:
            name_validate(name)
        return names

    def clean(self):
        cleaned = super().clean()
        has_email = bool(cleaned.get("email")) or "email" in self.errors
        has_phone = bool(cleaned.get("phone")) or "phone" in self.errors
        if not has_email and not has_phone:
            self.add_error("email", _("Enter an email address or a mobile phone number, or both."))
        return cleaned

    def contact_key(self) -> str:
        """Where the answer goes, for the per-contact rate limit (hashed by django-ratelimit)."""
        return "|".join((self.cleaned_data["email"], self.cleaned_data["phone"]))

    def details(self) -> LookupDetails:
        data = self.cleaned_data
        return LookupDetails(
            first_name=data["first_name"],
            middle_name=data["middle_name"],
            last_name=data["last_name"],
            other_names=tuple(data["other_names"]),
            date_of_birth=data["date_of_birth"],
            case_number=data["case_number"],
            email=data["email"],
            phone=data["phone"],
            language=data["language"],
            is_self=data["is_self"],
            consent_to_contact=data["consent_to_contact"],
        )


class StatusForm(HoneypotForm):
    reference = forms.CharField(
        label=_("Reference code"),
        max_length=20,
        help_text=_("It is in the message we sent you and looks like RC-7KQ-93M."),
        error_messages={"required": _("Enter your reference code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    date_of_birth = MemorableDateField(
        label=_("Date of birth"),
        help_text=_("The date of birth you gave when you asked. For example: January 19 1975"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False

    def clean_reference(self) -> str:
        reference = reference_normalize(self.cleaned_data["reference"])
        if not reference:
            raise ValidationError(
                _("Enter the reference code as it is written in your message, like RC-7KQ-93M.")
            )
        return reference


class LetterAccessForm(HoneypotForm):
    date_of_birth = MemorableDateField(
        label=_("Date of birth"),
        help_text=_(
            "To protect your privacy, enter your date of birth. For example: January 19 1975"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False


class CodeForm(HoneypotForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 numbers in the message we sent you. For example: 123456"),
        error_messages={"required": _("Enter the 6-digit code from the message we sent you.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False

    def clean_code(self) -> str:
        code = code_normalize(self.cleaned_data["code"])
        if not code:
            raise ValidationError(
                _("Enter the code as %(digits)s numbers, like 123456."),
                params={"digits": CODE_DIGITS},
            )
        return code


class CaseNumberForm(HoneypotForm):
    case_number = forms.CharField(
        label=_("Court case number"),
        max_length=40,
        help_text=_(
            "It is on papers from the court or your lawyer, usually letters and numbers, for "
            "example AB123456."
        ),
        error_messages={"required": _("Enter a case number from your court papers.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False

    def clean_case_number(self) -> str:
        return self.cleaned_data["case_number"].strip()


class LetterVerifyForm(HoneypotForm):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_(
            "It is printed on the letter, under “Who issued this letter”: 16 letters and "
            "numbers, like 7KQ9-3MXA-CDEF-4HJK."
        ),
        error_messages={"required": _("Enter the verification code printed on the letter.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
