"""What an outreach worker may see of a walk-in, as the disclosure policy decides.

With the person's photo ID checked in person (level 2) the worker sees the answer: the outcome,
the cases with their numbers, courts, charges and relief, and the letter to print. Without it
they see that the walk-in was entered and nothing that differs by outcome, not even how far the
check has got (a review takes longer, so the stage would tell a possible match): the same rule
as the person's own pages before they prove who they are.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from screener.disclosure import (
    Disclosure,
    Level,
    PublicOutcome,
    Surface,
    disclosure,
    public_outcome,
)
from screener.letters import LetterContent, letter_content
from screener.models import IdentityProof, Lookup, OutreachEvent
from screener.outreach.events import events_visible


def walkins(user, event: OutreachEvent | None = None) -> QuerySet[Lookup]:
    """Walk-ins of the events `user` may see (their own; every event for staff), newest first."""
    lookups = Lookup.objects.filter(
        channel=Lookup.Channel.OUTREACH, event__in=events_visible(user)
    ).annotate(id_checked=Exists(IdentityProof.objects.filter(lookup=OuterRef("pk"))))
    if event is not None:
        lookups = lookups.filter(event=event)
    return lookups.select_related("event").order_by("-created_at")


def walkin_get(user, lookup_id: int) -> Lookup:
    """One walk-in `user` may see, or 404 (another event's walk-in is not acknowledged)."""
    return get_object_or_404(walkins(user), pk=lookup_id)


def walkin_level(lookup: Lookup) -> Level:
    """Level 2 once an ID check (or another proof) is recorded; before it, level 0."""
    if lookup.anonymized_at is None and lookup.identity_proofs.exists():
        return Level.IDENTITY
    return Level.SUBMITTED


@dataclass(frozen=True)
class WalkinAnswer:
    lookup: Lookup
    level: Level
    shown: Disclosure
    outcome: str  # PublicOutcome value when shown, else ""
    letter: LetterContent | None  # the cases, when the letter may be shown


def walkin_answer(lookup: Lookup) -> WalkinAnswer:
    level = walkin_level(lookup)
    outcome = public_outcome(lookup.status)
    shown = disclosure(
        outcome=outcome,
        surface=Surface.OUTREACH,
        level=level,
        policy=settings.DISCLOSURE_POLICY,
    )
    final = outcome in (PublicOutcome.FOUND, PublicOutcome.NOT_FOUND)
    return WalkinAnswer(
        lookup=lookup,
        level=level,
        shown=shown,
        outcome=outcome.value if shown.outcome else "",
        letter=letter_content(lookup) if level == Level.IDENTITY and final else None,
    )


def letter_allowed(answer: WalkinAnswer) -> bool:
    """A letter for a final answer (found or not found) whose person's ID was checked."""
    return answer.letter is not None
