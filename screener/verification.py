"""Verification codes on result letters, and what /verify/ may say about one.

A letter carries a code such as 7KQ9-3MXA-... and the address of the verify page. Someone the
person shows the letter to (an employer, a landlord, a lawyer) types the code there and learns
only that this service issued a letter on a date, with a reference, reporting a dismissal found
or not found: never a name, a case number or a charge. The person decides whom to show it to.

The code is 16 characters of the reference alphabet (no 0/O, 1/I/L, 2/Z, 5/S, 8/B: read aloud
or copied by hand, it stays right), about 74 bits from `secrets`: at the verify page's rate
limit nobody guesses one. One code per lookup and outcome, so reprints carry the same code.
"""

import math
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.hashing import keyed_hash
from audit.locking import for_change
from audit.services import audit_record
from screener.disclosure import PublicOutcome, public_outcome
from screener.models import LetterVerification, Lookup
from screener.services import REFERENCE_ALPHABET

CODE_ALPHABET = REFERENCE_ALPHABET
CODE_LENGTH = 16
CODE_GROUP = 4
CODE_BITS = CODE_LENGTH * math.log2(len(CODE_ALPHABET))

# The outcomes a letter can report: a lookup still being checked or reviewed has no letter.
LETTER_OUTCOMES = {
    PublicOutcome.FOUND: LetterVerification.Outcome.FOUND,
    PublicOutcome.NOT_FOUND: LetterVerification.Outcome.NOT_FOUND,
}


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_display(code: str) -> str:
    """ "7KQ93MXA..." → "7KQ9-3MXA-...", the way the letter prints it."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def code_normalize(value: str) -> str:
    """What people type (any case, spaces, dashes) → the stored form; "" if it cannot be one."""
    cleaned = "".join(ch for ch in value.upper() if ch.isalnum())
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return ""
    return cleaned


def letter_outcome(status: str) -> str | None:
    """The outcome a letter for a lookup in `status` reports, or None: no letter yet."""
    return LETTER_OUTCOMES.get(public_outcome(status))


def letter_verification_issue(
    *, lookup: Lookup, actor=None, ip_address: str | None = None
) -> LetterVerification:
    """The verification code for `lookup`'s letter: its existing one for the same outcome, or a
    new one. Each call is a letter printed, shown or downloaded, and is audited."""
    with transaction.atomic():
        # The row lock makes two prints at once (a double click) share one code; the unique
        # constraint on (lookup, outcome) is the last line of defence.
        locked = for_change(Lookup.objects).get(pk=lookup.pk)
        outcome = letter_outcome(locked.status)
        if outcome is None or locked.anonymized_at is not None:
            raise ValidationError(
                _("A letter can only be issued once the check has found or not found a case."),
                code="no_letter",
            )
        verification = LetterVerification.objects.filter(lookup=locked, outcome=outcome).first()
        new = verification is None
        if new:
            is_user = actor is not None and getattr(actor, "is_authenticated", False)
            verification = LetterVerification(
                code=code_new(),
                lookup=locked,
                outcome=outcome,
                issued_by=actor if is_user else None,
                language=translation.get_language() or "en",
            )
            verification.full_clean()
            verification.save()
        audit_record(
            actor=actor,
            action=Action.LETTER_ISSUED,
            obj=locked,
            summary=f"letter {'issued' if new else 'issued again'}: {outcome}",
            detail={"verification": verification.pk, "new_code": new, "outcome": outcome},
            ip_address=ip_address,
        )
    return verification


@dataclass(frozen=True)
class VerifiedLetter:
    """All the verify page may say about a letter."""

    issued_on: date
    reference: str
    outcome: str  # LetterVerification.Outcome
    # False when the lookup's answer has changed since (a review reopened): the letter is old.
    current: bool

    @property
    def found(self) -> bool:
        return self.outcome == LetterVerification.Outcome.FOUND


def letter_verification_check(*, code: str, ip_address: str | None = None) -> VerifiedLetter | None:
    """The letter with `code` as typed, or None. Audited either way: a success names the
    lookup, a failure only a keyed hash of the code, so repeated guesses show without it."""
    normalized = code_normalize(code)
    verification = (
        LetterVerification.objects.select_related("lookup").filter(code=normalized).first()
        if normalized
        else None
    )
    if verification is None:
        audit_record(
            actor=None,
            action=Action.LETTER_VERIFY_FAILED,
            summary="letter verification: unknown code",
            detail={
                "well_formed": bool(normalized),
                "code_hash": keyed_hash("letter-code", normalized)[:16] if normalized else "",
            },
            ip_address=ip_address,
        )
        return None
    lookup = verification.lookup
    audit_record(
        actor=None,
        action=Action.LETTER_VERIFIED,
        obj=lookup,
        summary="letter verified",
        detail={"verification": verification.pk},
        ip_address=ip_address,
    )
    return VerifiedLetter(
        issued_on=timezone.localdate(verification.issued_at),
        reference=lookup.reference,
        outcome=verification.outcome,
        current=letter_outcome(lookup.status) == verification.outcome,
    )
