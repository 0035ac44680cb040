"""The outcome: each scored candidate's, and the lookup's.

`decide` ranks the scored candidates and gives each the outcome its score earns, capped by the
safety rules (rules.py). Then:
- a slip in the date of birth is a `match` only when no case fits the typed date exactly;
- a case that fits ties in the person's other cases recorded alike (`same_person`: the same CII
  number; or the same date of birth, first name and surname agreeing) with its own outcome, e.g.
  those that lack the middle name the person typed as the first (the engine also loads the
  cases that share a kept case's CII number); it also ties in, for staff, cases with the same
  first name and date of birth under another surname;
- when the best candidates belong to different people (twins Alberto and Roberto for "Beto";
  namesakes born the same day whose CII numbers differ), none of them is a `match`.
Pure: no database.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .compare import Level
from .dates import DobAgreement
from .readings import PreparedQuery
from .rules import (
    DOB_SLIPS,
    SLIP_MATCH_MARGIN,
    SLIP_TOO_COMMON,
    ceiling,
    married_name_pattern,
)
from .same_person import same_given_name_and_birth, same_person
from .types import CandidateRecord, Outcome
from .weights import (
    TYPICAL_GIVEN_SHARE,
    TYPICAL_SURNAME_SHARE,
    Frequencies,
    Scored,
    given_key,
    surname_key,
)

# A different person's candidate within this many bits of the best makes the result ambiguous.
AMBIGUITY_MARGIN = 6.0
# A name this common (other people of that name expected on the typed date of birth; at
# 125,000 cases only the likes of JOSE GARCIA come near it, at 1,000,000 many more) no longer
# tells, with the date, that two cases are one person's: the CII number or the full middle name
# must.
COMMON_NAME_NAMESAKES = 0.02

BELOW_MATCH_THRESHOLD = "The score is below the match threshold."
SLIP_BESIDE_EXACT = (
    "The date of birth is close but not the same, and another case fits it exactly: "
    "staff should check."
)
AMBIGUOUS = (
    "Cases of more than one person fit these details: staff should decide which, if any, is "
    "this person's."
)
_HEADS: dict[Outcome, str] = {
    "match": "Match: safe to tell the person this is their case.",
    "possible": "Possible match: needs staff review.",
    "no_match": "Not a match.",
}


@dataclass(frozen=True)
class Proposal:
    """A candidate's outcome while `decide` works it out, and why (nothing for a plain match)."""

    scored: Scored
    outcome: Outcome
    reason: str = ""


@dataclass(frozen=True)
class Anchor:
    """A kept case, which ties in the person's other cases recorded alike."""

    record: CandidateRecord
    outcome: Outcome
    # Found by the case number typed, rather than by the details.
    by_number: bool

    @property
    def how_found(self) -> str:
        return "whose number the person typed" if self.by_number else "which fits the details typed"

    def tied_reason(self) -> str:
        reason = (
            f"Recorded under the same name and date of birth as case {self.record.case_number}, "
            f"{self.how_found}"
        )
        return f"{reason}." if self.outcome == "match" else f"{reason}: staff should check."


@dataclass(frozen=True)
class Decision:
    scored: Scored
    outcome: Outcome
    explanation: dict


def expected_namesakes(query: PreparedQuery, freqs: Frequencies) -> float:
    """How many other people recorded under the typed first name and surname are expected to
    share the typed date of birth: the cases on that date times the share of each name."""
    reading = query.readings[0]
    if not reading.given or not reading.surname:
        return 0.0
    given = freqs.share(given_key(reading.given[0]), TYPICAL_GIVEN_SHARE)
    family = freqs.share(surname_key(reading.surname.joined), TYPICAL_SURNAME_SHARE)
    return freqs.dob_count * given * family


def decide(
    scored: Iterable[Scored],
    *,
    match_threshold: float,
    possible_threshold: float,
    namesakes: float = 0.0,
) -> tuple[Outcome, list[Decision]]:
    """Outcomes for each candidate and for the lookup; candidates below `possible` are dropped.
    `namesakes` is `expected_namesakes` for the query: for a name that common, the same name
    and date of birth no longer make two cases one person's."""
    common = namesakes >= COMMON_NAME_NAMESAKES
    ranked = sorted(scored, key=lambda s: (-s.score, s.record.case_id))
    proposals, dropped = _proposals(
        ranked, match_threshold=match_threshold, possible_threshold=possible_threshold
    )
    tied: set[int] = set()
    proposals += _tie_ins(proposals, dropped, common=common, tied=tied)
    proposals.sort(key=lambda p: (-p.scored.score, p.scored.record.case_id))
    ambiguity = _ambiguity(proposals, tied=tied, common=common)

    decisions = []
    for p in proposals:
        outcome, reason = p.outcome, p.reason
        if outcome == "match" and ambiguity:
            outcome, reason = "possible", ambiguity
        decisions.append(
            Decision(
                p.scored, outcome, p.scored.as_explanation(_summary(p.scored, outcome, reason))
            )
        )
    if any(d.outcome == "match" for d in decisions):
        overall: Outcome = "match"
    elif decisions:
        overall = "possible"
    else:
        overall = "no_match"
    return overall, decisions


def _proposals(
    ranked: list[Scored], *, match_threshold: float, possible_threshold: float
) -> tuple[list[Proposal], list[Scored]]:
    """Each candidate's outcome by its score and the safety rules; those below `possible`
    apart, as cases a kept one may still tie in."""
    proposals: list[Proposal] = []
    dropped: list[Scored] = []
    for s in ranked:
        limit = ceiling(s)
        slip = s.dob in DOB_SLIPS and limit.outcome == "match"
        if limit.outcome == "no_match" or s.score < possible_threshold:
            dropped.append(s)
        elif limit.outcome == "match" and s.score >= match_threshold + (
            SLIP_MATCH_MARGIN if slip else 0
        ):
            proposals.append(Proposal(s, "match"))
        elif slip:
            proposals.append(Proposal(s, "possible", SLIP_TOO_COMMON))
        else:
            reason = limit.reason if limit.outcome != "match" else BELOW_MATCH_THRESHOLD
            proposals.append(Proposal(s, "possible", reason))
    # A slip in the date of birth is a `match` only when nothing fits the date as typed: beside a
    # case that does, it is more likely a namesake's (or a recording error staff should see).
    if any(p.outcome == "match" and p.scored.dob == DobAgreement.EXACT for p in proposals):
        proposals = [
            Proposal(p.scored, "possible", SLIP_BESIDE_EXACT)
            if p.outcome == "match"
            and p.scored.dob in DOB_SLIPS
            and p.scored.case_number == Level.MISSING
            else p
            for p in proposals
        ]
    return proposals, dropped


def _tie_ins(
    proposals: list[Proposal], dropped: list[Scored], *, common: bool, tied: set[int]
) -> list[Proposal]:
    """A case that fits what was typed ties in the person's other cases recorded under the very
    same name and date of birth (the middle name typed as the first, a surname no longer used):
    they are the same person's, with the same outcome. Cases with the same first name and date
    of birth under another surname come too, for staff. Updates married-name proposals in
    place; returns the dropped cases tied in, and adds the ids of all tied cases to `tied`
    (they are shown with their anchor and are never a rival to it)."""
    anchors = [
        Anchor(p.scored.record, p.outcome, p.scored.case_number == Level.EXACT) for p in proposals
    ]
    anchors.sort(key=lambda a: a.outcome != "match")
    # A case under a surname the person no longer uses, which a matching case ties in, is a
    # match rather than one for staff.
    for index, p in enumerate(proposals):
        if p.outcome != "possible" or not married_name_pattern(p.scored):
            continue
        record = p.scored.record
        found = next(
            (
                a
                for a in anchors
                if a.outcome == "match"
                and a.record is not record
                and same_person(a.record, record, common_name=common)
            ),
            None,
        )
        if found is not None:
            proposals[index] = replace(p, outcome="match", reason=found.tied_reason())
            tied.add(record.case_id)
    more: list[Proposal] = []
    for s in dropped:
        found = next(
            (a for a in anchors if same_person(a.record, s.record, common_name=common)), None
        )
        if found is not None:
            more.append(Proposal(s, found.outcome, found.tied_reason()))
            tied.add(s.record.case_id)
            continue
        found = common and next((a for a in anchors if same_person(a.record, s.record)), None)
        if found:
            reason = (
                "Recorded under the same name and date of birth as case "
                f"{found.record.case_number}, but the name is common enough to be another "
                "person's: staff should check."
            )
            more.append(Proposal(s, "possible", reason))
            tied.add(s.record.case_id)
            continue
        # The same first name and date of birth under another surname (a marriage, or a
        # surname recorded wrongly) beside a case that fits: for staff, never a match alone.
        found = next((a for a in anchors if same_given_name_and_birth(a.record, s.record)), None)
        if found is not None:
            reason = (
                f"Recorded with the same first name and date of birth as case "
                f"{found.record.case_number}, {found.how_found}, but under another surname: "
                "staff should check."
            )
            more.append(Proposal(s, "possible", reason))
            tied.add(s.record.case_id)
    return more


def _ambiguity(proposals: list[Proposal], *, tied: set[int], common: bool) -> str:
    """Why no candidate may be a match when cases of more than one person fit; "" otherwise."""
    matches = [p.scored for p in proposals if p.outcome == "match"]
    if not matches:
        return ""
    best = matches[0]
    for p in proposals:
        s = p.scored
        close = p.outcome == "match" or s.score >= best.score - AMBIGUITY_MARGIN
        if s.record.case_id in tied:
            continue
        if close and not same_person(best.record, s.record, common_name=common):
            return AMBIGUOUS
    return ""


def _summary(s: Scored, outcome: Outcome, reason: str) -> str:
    agreed = [f.field.replace("_", " ") for f in s.fields if f.weight > 0]
    parts = [_HEADS[outcome], f"Score {s.score:.1f}."]
    if agreed:
        parts.append("Agreeing: " + ", ".join(agreed) + ".")
    if s.reading_text and not s.plain_reading:
        parts.append(f"Names compared {s.reading_text}.")
    if reason:
        parts.append(reason)
    return " ".join(parts)
