"""Result letters: a signed, expiring link to a printable page listing a person's dismissed cases.

The link carries only a signed lookup id (django.core.signing.TimestampSigner); the page asks for
the date of birth again before it shows anything, so a forwarded or leaked message is not enough.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.site import site_url
from screener.models import Lookup, LookupCandidate

LETTER_SALT = "screener.letters.result"
# The two LA County batches (cases/migrations/0002) in plain words, in the reader's language;
# another batch shows its stored name.
BATCH_LABELS = {
    "DOJ-AB1793-2020": _("2020 dismissals (state Department of Justice records, AB 1793)"),
    "LASC-REVIEW-2022": _("2022 dismissals (review of Los Angeles Superior Court records)"),
}


class LetterLinkExpired(Exception):
    """The link was genuine but is older than RESULT_LINK_MAX_AGE_DAYS."""


class LetterLinkInvalid(Exception):
    """The link was altered, truncated or never issued by us."""


@dataclass(frozen=True)
class LetterCase:
    case_number: str
    court: str
    batch_name: str
    relief: str  # cases.models.Relief value
    relief_label: str
    relief_date: date | None
    conviction_date: date | None
    charges: tuple[str, ...]


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=LETTER_SALT)


def letter_max_age() -> timedelta:
    return timedelta(days=settings.RESULT_LINK_MAX_AGE_DAYS)


def letter_token(lookup: Lookup) -> str:
    return _signer().sign(str(lookup.pk))


def result_letter_url(lookup: Lookup) -> str:
    """Absolute URL of the lookup's result letter, valid for RESULT_LINK_MAX_AGE_DAYS."""
    return site_url(reverse("screener:letter", kwargs={"token": letter_token(lookup)}))


def letter_lookup_id(token: str) -> int:
    """The lookup id inside a letter token. Raises LetterLinkExpired or LetterLinkInvalid."""
    try:
        value = _signer().unsign(token, max_age=letter_max_age())
    except signing.SignatureExpired as exc:
        raise LetterLinkExpired from exc
    except signing.BadSignature as exc:
        raise LetterLinkInvalid from exc
    try:
        return int(value)
    except ValueError as exc:
        raise LetterLinkInvalid from exc


def letter_lookup(*, lookup_id: int, date_of_birth: date) -> Lookup | None:
    """The lookup when the date of birth is the one it was submitted with and it has a letter.

    Any mismatch (wrong date, anonymized lookup, no dismissal found) gives None, so the caller
    shows one generic message whatever the reason.
    """
    return Lookup.objects.filter(
        pk=lookup_id,
        date_of_birth=date_of_birth,
        status=Lookup.Status.MATCHED,
        anonymized_at__isnull=True,
    ).first()


def letter_cases(lookup: Lookup) -> list[LetterCase]:
    """The cases the letter lists: confirmed by staff, or matched by the engine and not rejected."""
    candidates = (
        LookupCandidate.objects.filter(lookup=lookup)
        .filter(Q(confirmed=True) | Q(confirmed__isnull=True, outcome=Lookup.Outcome.MATCH))
        .select_related("case__batch")
        .prefetch_related("case__charges")
        .order_by("case__relief_date", "case__case_number")
    )
    return [
        LetterCase(
            case_number=candidate.case.case_number,
            court=candidate.case.court,
            batch_name=str(BATCH_LABELS.get(candidate.case.batch.slug, candidate.case.batch.name)),
            relief=candidate.case.relief,
            relief_label=candidate.case.get_relief_display(),
            relief_date=candidate.case.relief_date or candidate.case.batch.relief_date,
            conviction_date=candidate.case.conviction_date,
            charges=tuple(charge.code for charge in candidate.case.charges.all()),
        )
        for candidate in candidates
    ]
