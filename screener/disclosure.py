"""What may be shown or sent about a lookup: one pure function, the disclosure policy.

Given how far the person has proved who they are (the level), where the answer would appear (the
surface: a page, an outreach screen, an email, a text message, a partner's export) and what was
found (the public outcome), `disclosure` says which parts of the answer may appear there. Pages,
messages, letters, the outreach screens and the partner export all ask it; nothing else decides.
docs/privacy.md shows the same rules as a table (a test keeps the two in step).

Levels:
- 0, SUBMITTED: whoever filled in the form. Knowing a name and a date of birth is not proof of
  anything: they are easy to get. Nothing that differs by outcome.
- 1, CONTACT: typed a one-time code sent to the lookup's email or phone. Under the standard
  policy, the outcome in general terms; under the strict one, not even that.
- 2, IDENTITY: proved who they are (a case number of their own cases, a photo ID checked in
  person or a verified call, an identity provider). Case numbers, charges, court, dates, the letter.

Messages go to a contact that may be read by others (a lock screen, a shared mailbox): whatever
the level, they carry the reference code and a link, and read the same for every outcome.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Level(IntEnum):
    SUBMITTED = 0
    CONTACT = 1
    IDENTITY = 2


class Surface(StrEnum):
    PAGE = "page"  # the person's own pages on the website
    OUTREACH = "outreach"  # a staff or outreach worker's screen, with the person there
    EMAIL = "email"
    SMS = "sms"
    PARTNER_EXPORT = "partner_export"  # partner screening's results file (cases/screening.py)


MESSAGE_SURFACES = frozenset({Surface.EMAIL, Surface.SMS})


class PublicOutcome(StrEnum):
    """What was found, in the terms the person may be told."""

    PENDING = "pending"  # not checked yet (received, checking, could not be checked yet)
    IN_REVIEW = "in_review"  # staff are checking (a possible match, more information, held)
    FOUND = "found"  # dismissed and sealed, or reduced, in the batches
    NOT_FOUND = "not_found"
    NOT_ANSWERED = "not_answered"  # held and declined by staff: not answered online


class Policy(StrEnum):
    # The outcome in general terms once the person controls the contact (level 1).
    STANDARD = "standard"
    # Even the outcome only once the person has proved who they are (level 2).
    STRICT = "strict"


# Lookup.Status values (screener/models.py) → public outcome. Plain strings: no ORM here.
OUTCOME_BY_STATUS: dict[str, PublicOutcome] = {
    "received": PublicOutcome.PENDING,
    "checking": PublicOutcome.PENDING,
    # Staff check it again; from the outside it is still being checked.
    "failed": PublicOutcome.PENDING,
    "needs_review": PublicOutcome.IN_REVIEW,
    "more_info": PublicOutcome.IN_REVIEW,
    # Held reads like a staff review: the holder must not learn that someone else asked.
    "held": PublicOutcome.IN_REVIEW,
    "matched": PublicOutcome.FOUND,
    "not_found": PublicOutcome.NOT_FOUND,
    "declined": PublicOutcome.NOT_ANSWERED,
    # Never answered within OPEN_LOOKUP_RETENTION_DAYS and erased.
    "closed": PublicOutcome.NOT_ANSWERED,
}


def public_outcome(status: str) -> PublicOutcome:
    """The public outcome of a lookup in `status`."""
    return OUTCOME_BY_STATUS[status]


@dataclass(frozen=True)
class Disclosure:
    """What may appear. Every flag is False unless the policy allows it."""

    reference: bool = False  # the reference code, RC-…
    stage: bool = False  # where the request is: received, checking, with staff, answered
    outcome: bool = False  # found (sealed or reduced) / not found / being reviewed, in general
    next_steps: bool = False  # not found: the Public Defender, CR-400, the eligibility check
    staff_request: bool = False  # a reviewer's question to the person
    case_count: bool = False  # how many cases (the partner export's "needs review" rows)
    case_details: bool = False  # case numbers, charges, court, dates
    letter: bool = False  # the full result letter
    step_up: bool = False  # offer the ways to prove identity (level 2)


NOTHING = Disclosure()


def disclosure(
    *, outcome: PublicOutcome, surface: Surface, level: Level, policy: Policy
) -> Disclosure:
    """What may be shown or sent about a lookup with `outcome` on `surface` at `level`."""
    outcome, surface = PublicOutcome(outcome), Surface(surface)
    level, policy = Level(level), Policy(policy)
    found = outcome == PublicOutcome.FOUND

    if surface in MESSAGE_SURFACES:
        # The same words for every outcome: a message is read wherever the contact is read.
        return Disclosure(reference=True)
    if surface == Surface.PARTNER_EXPORT:
        # The partner holds the person's consent and records; staff run the screening. A match
        # names its cases; a possible match says "needs review" and how many, never which.
        return Disclosure(
            outcome=True,
            case_details=found,
            case_count=outcome == PublicOutcome.IN_REVIEW,
        )

    # A page of the person's own, or an outreach screen with them present.
    if level == Level.SUBMITTED:
        return NOTHING
    if level == Level.CONTACT and policy == Policy.STRICT:
        return Disclosure(reference=True, step_up=True)
    proved = level == Level.IDENTITY
    return Disclosure(
        reference=True,
        stage=True,
        outcome=True,
        next_steps=outcome == PublicOutcome.NOT_FOUND,
        staff_request=outcome == PublicOutcome.IN_REVIEW,
        case_count=proved and found,
        case_details=proved and found,
        letter=proved and found,
        step_up=not proved and found,
    )
