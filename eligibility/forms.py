"""The eligibility questionnaire and the worksheet's details form.

One form holds the questions about the person and one block per conviction (fields named
c1_section, c2_section, ...), so a single error summary lists every problem. The number of
blocks travels in a hidden field: "Add another conviction" is a submit button that re-renders
the form with one more block, so no JavaScript is needed. Blocks after the first may be left
empty and are then ignored.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.normalize import collapse_spaces
from eligibility.codes import CodeSectionError, code_section_parse
from eligibility.records import (
    COUNTY_CHOICES,
    LEVEL_CHOICES,
    NO,
    SECTION_CHOICES,
    SECTION_UNKNOWN,
    SENTENCE_CHOICES,
    YES,
    YES_NO_UNSURE,
)

MAX_CONVICTIONS = 8
EARLIEST_YEAR = 1900
CONVICTION_FIELDS = (
    "section",
    "code_section",
    "county",
    "level",
    "year",
    "sentence_finished",
    "case_number",
)
PERSON_FIELDS = ("age", "super_strike", "pc290", "other_ever", "other_recent", "still_serving")


def _radio(label, choices, required_message, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required_message},
    )


def _in_block(number: int):
    """Messages that say which conviction block they are about (the summary lists them all)."""

    def message(problem):
        return _("Conviction %(number)s: %(problem)s") % {"number": number, "problem": problem}

    return message


class QuestionnaireForm(forms.Form):
    convictions = forms.IntegerField(widget=forms.HiddenInput, min_value=1, initial=1)
    age = forms.IntegerField(
        label=_("How old are you?"),
        help_text=_("In years, for example 42."),
        min_value=18,
        max_value=120,
        error_messages={
            "required": _("Enter your age."),
            "invalid": _("Enter your age as a number, for example 42."),
            "min_value": _("This check is for people aged 18 or older."),
            "max_value": _("Enter your age as a number from 18 to 120."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "3"}),
    )
    super_strike = _radio(
        _("Have you ever been convicted of a serious violent felony?"),
        YES_NO_UNSURE,
        _("Choose yes, no or I am not sure for serious violent felonies."),
        _(
            "These are sometimes called “super strikes” (Penal Code 667(e)(2)(C)(iv)): for "
            "example murder or attempted murder, some sexual offenses committed by force or "
            "against a child under 14, or a crime punishable by life in prison. Most people "
            "have none. If you are not sure, a person can check."
        ),
    )
    pc290 = _radio(
        _(
            "Have you ever been convicted of an offense that requires registration as a sex "
            "offender (Penal Code 290), or been ordered to register?"
        ),
        YES_NO_UNSURE,
        _("Choose yes, no or I am not sure for registration."),
        _(
            "We ask because it changes which relief the District Attorney agrees to. Your "
            "answer stays in this browser session only."
        ),
    )
    other_ever = _radio(
        _("Apart from your cannabis convictions, have you ever been convicted of anything else?"),
        YES_NO_UNSURE,
        _("Choose yes, no or I am not sure for other convictions."),
        _(
            "In any state, including misdemeanors such as driving under the influence. Do not "
            "count tickets such as parking or speeding."
        ),
    )
    other_recent = _radio(
        _(
            "Apart from your cannabis convictions, have you been convicted of anything in the "
            "last 10 years?"
        ),
        YES_NO_UNSURE,
        _("Choose yes, no or I am not sure for convictions in the last 10 years."),
    )
    still_serving = _radio(
        _("Are you serving any sentence now, for any case?"),
        YES_NO_UNSURE,
        _("Choose yes, no or I am not sure for a sentence you are serving now."),
        _("For example probation, parole, jail or prison."),
    )

    def __init__(self, *args, count: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = max(1, min(count, MAX_CONVICTIONS))
        for number in range(1, self.count + 1):
            self._add_conviction_fields(number)
        self.fields["convictions"].initial = self.count
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "convictions",
            *(
                Fieldset(
                    _("Cannabis conviction %(number)s") % {"number": number},
                    *(f"c{number}_{name}" for name in CONVICTION_FIELDS),
                    css_id=f"conviction-{number}",
                )
                for number in range(1, self.count + 1)
            ),
            Fieldset(_("About you"), *PERSON_FIELDS, css_id="about-you"),
        )

    @classmethod
    def count_from(cls, data) -> int:
        """How many conviction blocks the posted form had."""
        try:
            return int(data.get("convictions", 1))
        except (TypeError, ValueError):
            return 1

    @classmethod
    def from_answers(cls, answers: dict) -> "QuestionnaireForm":
        """An unbound form showing answers kept in the session, to change them."""
        initial = {name: answers[name] for name in PERSON_FIELDS}
        for number, conviction in enumerate(answers["convictions"], start=1):
            for name in CONVICTION_FIELDS:
                initial[f"c{number}_{name}"] = conviction[name] or ""
        return cls(initial=initial, count=len(answers["convictions"]))

    def _add_conviction_fields(self, number: int) -> None:
        message = _in_block(number)
        # Blocks after the first are optional as a whole; clean() checks each one is complete.
        required = number == 1
        prefix = f"c{number}_"
        self.fields[prefix + "section"] = _radio(
            _("What was it for?"), SECTION_CHOICES, message(_("choose what it was for."))
        )
        self.fields[prefix + "code_section"] = forms.CharField(
            label=_("Code section, if you know it"),
            help_text=_("It is on your court papers, for example 11357(a) or HS 11359(b)."),
            required=False,
            max_length=40,
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        )
        self.fields[prefix + "county"] = _radio(
            _("Which county was the case in?"),
            COUNTY_CHOICES,
            message(_("choose the county.")),
        )
        self.fields[prefix + "level"] = _radio(
            _("Was it a felony or a misdemeanor?"),
            LEVEL_CHOICES,
            message(_("choose felony, misdemeanor or I don't know.")),
            _("A felony can mean state prison; a misdemeanor means at most a year in county jail."),
        )
        self.fields[prefix + "year"] = forms.CharField(
            label=_("What year was the case decided?"),
            help_text=_("For example 2009. Leave it empty if you do not know."),
            required=False,
            max_length=4,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "4"}),
        )
        self.fields[prefix + "sentence_finished"] = _radio(
            _("Is the sentence for it finished?"),
            SENTENCE_CHOICES,
            message(_("tell us if the sentence is finished.")),
            _("Probation, parole, jail or prison."),
        )
        self.fields[prefix + "case_number"] = forms.CharField(
            label=_("Case number, if you know it"),
            help_text=_("For example BA123456. It goes on your worksheet."),
            required=False,
            max_length=40,
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        )
        if not required:
            for name in CONVICTION_FIELDS:
                self.fields[prefix + name].required = False

    def _block_is_empty(self, number: int) -> bool:
        return not any(
            str(self.data.get(self.add_prefix(f"c{number}_{name}"), "")).strip()
            for name in CONVICTION_FIELDS
        )

    def _clean_block(self, number: int) -> dict | None:
        prefix = f"c{number}_"
        message = _in_block(number)
        data = {name: self.cleaned_data.get(prefix + name, "") for name in CONVICTION_FIELDS}
        if number > 1:
            if self._block_is_empty(number):
                return None
            for name, problem in (
                ("section", _("choose what it was for.")),
                ("county", _("choose the county.")),
                ("level", _("choose felony, misdemeanor or I don't know.")),
                ("sentence_finished", _("tell us if the sentence is finished.")),
            ):
                if not data[name] and prefix + name not in self.errors:
                    self.add_error(prefix + name, message(problem))
        year = data["year"].strip()
        data["year"] = None
        if year:
            this_year = timezone.localdate().year
            if not (year.isdigit() and len(year) == 4):
                self.add_error(
                    prefix + "year", message(_("enter the year with 4 numbers, for example 2009."))
                )
            elif not EARLIEST_YEAR <= int(year) <= this_year:
                self.add_error(
                    prefix + "year",
                    message(_("enter a year from %(first)s to %(last)s."))
                    % {"first": EARLIEST_YEAR, "last": this_year},
                )
            else:
                data["year"] = int(year)
        typed = data["code_section"].strip()
        data["code_section"] = ""
        if typed:
            try:
                code = code_section_parse(typed)
            except CodeSectionError:
                code = None
            if code is None or not code.is_prop64:
                self.add_error(
                    prefix + "code_section",
                    message(
                        _(
                            "write a section from 11357 to 11360, for example 11357(a), or "
                            "leave it empty."
                        )
                    ),
                )
            elif data["section"] not in ("", SECTION_UNKNOWN, code.section):
                self.add_error(
                    prefix + "code_section",
                    message(
                        _(
                            "the section you wrote (%(typed)s) is not the one you chose above. "
                            "Check both."
                        )
                    )
                    % {"typed": code.base},
                )
            else:
                data["code_section"] = str(code)
                if data["section"] in ("", SECTION_UNKNOWN):
                    data["section"] = code.section
        data["case_number"] = data["case_number"].strip()
        return data

    def clean(self):
        cleaned = super().clean()
        blocks = [self._clean_block(number) for number in range(1, self.count + 1)]
        cleaned["conviction_answers"] = [block for block in blocks if block is not None]
        if cleaned.get("other_ever") == NO:
            if cleaned.get("other_recent") == YES:
                self.add_error(
                    "other_recent",
                    _(
                        "You said you have no other convictions, but one in the last 10 years. "
                        "Check both answers."
                    ),
                )
            if YES in (cleaned.get("super_strike"), cleaned.get("pc290")):
                self.add_error(
                    "other_ever",
                    _(
                        "You told us about a serious violent felony or an offense that requires "
                        "registration: that is another conviction. Check this answer."
                    ),
                )
        return cleaned

    def answers(self) -> dict:
        """The answers as the session keeps them (JSON-safe; eligibility.records reads them)."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in PERSON_FIELDS},
            "convictions": data["conviction_answers"],
        }


class DetailsForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name"),
        help_text=_("As it is on your court papers."),
        max_length=200,
        error_messages={"required": _("Enter your full name for the worksheet.")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    address = forms.CharField(
        label=_("Mailing address"),
        help_text=_("The court sends its decision here."),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False

    def clean_name(self) -> str:
        name = collapse_spaces(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Enter your full name for the worksheet."))
        return name

    def details(self) -> dict:
        return {key: value.strip() for key, value in self.cleaned_data.items()}
