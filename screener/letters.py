"""Result letters: what a person's answer lists once they have proved who they are (level 2).

`letter_content` builds the letter from the lookup: the person's cases as the answer lists them,
what the relief means, and who issues it. The public letter page renders it, and outreach
screens print the same content for a person whose photo ID was checked. The disclosure policy
(screener/disclosure.py) decides who may see it; this module does not check.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Relief
from screener.models import Lookup, LookupCandidate

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
    batch_name: str
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
            batch_name=str(BATCH_LABELS.get(candidate.case.batch.slug, candidate.case.batch.name)),
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
    """Everything a result letter says, for the page and for outreach print-outs."""

    reference: str
    person_name: str
    issued_on: date
    issuer: str
    issuer_email: str
    issuer_phone: str
    cases: tuple[LetterCase, ...]

    @property
    def has_sealed(self) -> bool:
        return any(case.relief == Relief.DISMISSED_AND_SEALED for case in self.cases)

    @property
    def has_reduced(self) -> bool:
        return any(case.relief == Relief.REDUCED for case in self.cases)


def letter_content(lookup: Lookup) -> LetterContent:
    """The result letter for `lookup`: level-2 content (case numbers, charges, courts, dates)."""
    names = (lookup.first_name, lookup.middle_name, lookup.last_name)
    return LetterContent(
        reference=lookup.reference,
        person_name=" ".join(name for name in names if name),
        issued_on=timezone.localdate(),
        issuer=settings.SERVICE_OPERATOR,
        issuer_email=settings.SERVICE_OPERATOR_EMAIL,
        issuer_phone=settings.SERVICE_OPERATOR_PHONE,
        cases=tuple(letter_cases(lookup)),
    )


def letter_reliefs(lookup: Lookup) -> frozenset[str]:
    """What the court did in the listed cases (Relief values), for an answer in general terms."""
    return frozenset(case.relief for case in letter_cases(lookup))
