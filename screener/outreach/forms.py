"""The outreach intake form (the public form's fields and checks) and the later ID-check form."""

import re
import secrets

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from screener.forms import DescribedFieldset, LookupForm
from screener.models import IdentityProof

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
ID_KIND_CHOICES = [("", _("Choose the kind of ID")), *IdentityProof.IdKind.choices]


def intake_token_new() -> str:
    """A fresh one-time token for one blank intake form (256 bits)."""
    return secrets.token_urlsafe(32)


class IntakeForm(LookupForm):
    """One walk-in, entered by the worker with the person beside them.

    The public form's name, date-of-birth, case-number and contact fields and checks, except that
    email and phone may both be empty (the answer then goes to the event's list only), the
    person is the one named (no "who is filling in" question), and the worker records the
    person's consent and, optionally, the photo ID they checked (its kind, never its number).
    """

    is_self = None
    website = None  # signed-in staff: no honeypot
    consent_to_contact = forms.BooleanField(
        label=_("The person agrees that Relief Check may email or text them about this request."),
        required=False,
    )
    person_consented = forms.BooleanField(
        label=_("The person asked me to enter their details and check their record."),
        error_messages={
            "required": _("Ask the person for their consent before entering their details.")
        },
    )
    id_checked = forms.BooleanField(
        label=_("I checked this person's photo ID in person, and it shows this name and date."),
        required=False,
    )
    id_kind = forms.ChoiceField(
        label=_("Kind of photo ID"),
        choices=ID_KIND_CHOICES,
        required=False,
        help_text=_("Never write down the ID's number."),
    )
    intake_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autofocus"] = True
        self.fields["email"].help_text = _("Optional. Never enter your own email for a walk-in.")
        self.fields["phone"].help_text = _("Optional. Never enter your own number for a walk-in.")
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Name"), "first_name", "middle_name", "last_name", "other_names"),
            "date_of_birth",
            "case_number",
            DescribedFieldset(
                _("Contact (optional)"),
                "email",
                "phone",
                "language",
                "consent_to_contact",
                description=_(
                    "With neither, the answer appears only in this event's list, where you can "
                    "print the letter."
                ),
            ),
            Fieldset(_("Consent and ID"), "person_consented", "id_checked", "id_kind"),
            "intake_token",
        )

    def clean_intake_token(self) -> str:
        token = self.cleaned_data["intake_token"]
        if not TOKEN_PATTERN.match(token):
            raise ValidationError(_("This form has expired. Reload the page and enter it again."))
        return token

    def clean(self):
        cleaned = forms.Form.clean(self)
        has_contact = bool(cleaned.get("email") or cleaned.get("phone"))
        if has_contact and not cleaned.get("consent_to_contact"):
            self.add_error(
                "consent_to_contact",
                _(
                    "Ask whether we may email or text them. If they say no, leave the email and "
                    "phone empty."
                ),
            )
        if cleaned.get("id_checked") and not cleaned.get("id_kind"):
            self.add_error("id_kind", _("Choose the kind of photo ID you checked."))
        if cleaned.get("id_kind") and not cleaned.get("id_checked"):
            self.add_error(
                "id_checked", _("Tick this box if you checked the ID, or leave the kind empty.")
            )
        # What LookupForm.details reads: the walk-in is the person named, and agrees to be
        # contacted only if there is a contact to use.
        cleaned["is_self"] = True
        cleaned["consent_to_contact"] = has_contact and bool(cleaned.get("consent_to_contact"))
        return cleaned


class IdCheckForm(forms.Form):
    """The worker checked the walk-in's photo ID after entering them."""

    id_kind = forms.ChoiceField(
        label=_("Kind of photo ID"),
        choices=ID_KIND_CHOICES,
        help_text=_("Never write down the ID's number."),
        error_messages={"required": _("Choose the kind of photo ID you checked.")},
    )
    confirmed = forms.BooleanField(
        label=_("The ID shows this person's photo, the name and the date of birth entered."),
        error_messages={"required": _("Check the ID against the details before recording it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
