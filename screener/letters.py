"""Result letters: what a person's answer lists once they have proved who they are (level 2).

`letter_content` builds the letter from the lookup: found (the cases as the answer lists them,
each dismissed and sealed or reduced) or not found, who issues it, and the verification code
when one was issued (screener.verification). Its wording, the same for the page, the printout
and the PDF, is screener.letter_text's. The public letter page renders it, and outreach screens
print the same content for a person whose photo ID was checked. The disclosure policy
(screener/disclosure.py) decides who may see it; this module does not check.
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Relief
from config.site import site_url
from screener import letter_text
from screener.disclosure import PublicOutcome, public_outcome
from screener.models import Lookup, LookupCandidate
from screener.verification import LETTER_OUTCOMES, code_display

if TYPE_CHECKING:
    from screener.models import LetterVerification

# The two LA County batches (cases/migrations/0002) in plain words, in the reader's language;
# another batch shows its stored name.
BATCH_LABELS = {
    "DOJ-AB1793-2020": _("2020 dismissals (state Department of Justice records, AB 1793)"),
    "LASC-REVIEW-2022": _("2022 dismissals (review of Los Angeles Superior Court records)"),
}


@dataclass(frozen=True)
class LetterCase:
    case_number: str
    court: str
    # A lazy translation for the two LA batches: it reads in the language the letter is
    # rendered in, even when the content was built under another.
    batch_name: "str | Promise"
    relief: str  # cases.models.Relief value
    relief_label: str
    relief_date: date | None
    conviction_date: date | None
    charges: tuple[str, ...]


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
            batch_name=BATCH_LABELS.get(candidate.case.batch.slug, candidate.case.batch.name),
            relief=candidate.case.relief,
            relief_label=candidate.case.get_relief_display(),
            relief_date=candidate.case.relief_date or candidate.case.batch.relief_date,
            conviction_date=candidate.case.conviction_date,
            charges=tuple(charge.code for charge in candidate.case.charges.all()),
        )
        for candidate in candidates
    ]


@dataclass(frozen=True)
class LetterContent:
    """Everything a result letter says, for the page, outreach print-outs and the PDF."""

    reference: str
    person_name: str
    issued_on: date
    issuer: str
    issuer_email: str
    issuer_phone: str
    cases: tuple[LetterCase, ...]
    outcome: str = PublicOutcome.FOUND  # PublicOutcome.FOUND or NOT_FOUND
    # The code as printed (7KQ9-3MXA-...) and the verify page's address; "" without a code.
    verification_code: str = ""
    verification_url: str = ""
    public_defender_phone: str = ""
    public_defender_url: str = ""

    @property
    def found(self) -> bool:
        return self.outcome == PublicOutcome.FOUND

    @property
    def has_sealed(self) -> bool:
        return any(case.relief == Relief.DISMISSED_AND_SEALED for case in self.cases)

    @property
    def has_reduced(self) -> bool:
        return any(case.relief == Relief.REDUCED for case in self.cases)

    @property
    def blocks(self) -> list[letter_text.Block]:
        """The letter's text in the active language, for the page and the PDF alike."""
        return letter_text.letter_blocks(self)


def letter_content(
    lookup: Lookup, *, verification: "LetterVerification | None" = None
) -> LetterContent:
    """The result letter for `lookup`, which must be matched or not found: level-2 content
    (case numbers, charges, courts, dates). With `verification`, the letter carries its code
    and is dated the day the code was first issued, the date the verify page gives."""
    outcome = public_outcome(lookup.status)
    if outcome not in LETTER_OUTCOMES:
        raise ValueError(f"no letter for a lookup in status {lookup.status!r}")
    if verification is not None and verification.lookup_id != lookup.pk:
        raise ValueError("the verification belongs to another lookup")
    names = (lookup.first_name, lookup.middle_name, lookup.last_name)
    found = outcome == PublicOutcome.FOUND
    return LetterContent(
        reference=lookup.reference,
        person_name=" ".join(name for name in names if name),
        issued_on=(
            timezone.localdate(verification.issued_at) if verification else timezone.localdate()
        ),
        issuer=settings.SERVICE_OPERATOR,
        issuer_email=settings.SERVICE_OPERATOR_EMAIL,
        issuer_phone=settings.SERVICE_OPERATOR_PHONE,
        cases=tuple(letter_cases(lookup)) if found else (),
        outcome=outcome,
        verification_code=code_display(verification.code) if verification else "",
        verification_url=site_url(reverse("screener:verify")) if verification else "",
        public_defender_phone=settings.PUBLIC_DEFENDER_PHONE,
        public_defender_url=settings.PUBLIC_DEFENDER_URL,
    )


def letter_reliefs(lookup: Lookup) -> frozenset[str]:
    """What the court did in the listed cases (Relief values), for an answer in general terms."""
    return frozenset(case.relief for case in letter_cases(lookup))
