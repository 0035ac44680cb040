"""The outcome: each scored candidate's, and the lookup's.

`decide` ranks the scored candidates and gives each the outcome its score earns, capped by the
safety rules (rules.py). Then:
- a slip in the date of birth is a `match` only when no case fits the typed date exactly;
- a case that fits ties in the person's other cases recorded alike (`same_person`: the same CII
  number; or the same date of birth, first name and surname agreeing) with its own outcome, e.g.
  those that lack the middle name the person typed as the first (the engine also loads the
  cases that share a kept case's CII number); it also ties in, for staff, cases with the same
  first name and date of birth under another surname;
- a case tied in must agree with what was typed on the date of birth or the name; one that
  agrees on neither (a CII number recorded on the wrong case) goes to staff, never into a match;
- a `possible` held back only for want of evidence (a middle name typed as the first, a name in
  the other language, a slip in the date of birth) is a `match` when a case that is a match
  records the same CII number: the person's other cases agree;
- when the best candidates belong to different people (twins Alberto and Roberto for "Beto";
  namesakes born the same day whose CII numbers differ), none of them is a `match`.
Every outcome other than a plain match names its rule: a safety rule's name, or one of
DECISION_RULES; the explanation stores it for staff and for manage.py matching_report.
Pure: no database.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .compare import GIVEN_FOR_MATCH, NAME_CONFLICTS, Level
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
TIED_DISAGREES = (
    "Recorded under the same CII number as case {number}, {how}, but neither its date of birth "
    "nor its name agrees with what was typed (an identifier recorded on the wrong case?): staff "
    "should check."
)


@dataclass(frozen=True)
class DecisionRule:
    """A rule `decide` applies after the safety rules: its name, the outcome it gives and what
    it means (docs/matching.md lists them, checked by tests/cases/test_matching_decide.py)."""

    name: str
    outcome: Outcome
    description: str


DECISION_RULES: tuple[DecisionRule, ...] = (
    DecisionRule("below_match_threshold", "possible", BELOW_MATCH_THRESHOLD),
    DecisionRule(
        "slip_below_margin",
        "possible",
        "A slip in the date of birth whose score is under the match threshold plus "
        "SLIP_MATCH_MARGIN.",
    ),
    DecisionRule("slip_beside_exact", "possible", SLIP_BESIDE_EXACT),
    DecisionRule(
        "tied_in_same_person",
        "match",
        "Recorded as the same person as a kept case (same_person); the kept case's outcome.",
    ),
    DecisionRule(
        "tied_in_disagrees_with_typed",
        "possible",
        "Tied in by the same person's record, but neither its date of birth nor its name agrees "
        "with what was typed.",
    ),
    DecisionRule(
        "tied_in_common_name",
        "possible",
        "Recorded alike a kept case, but under a name common enough to be another person's.",
    ),
    DecisionRule(
        "tied_in_same_given_name_and_birth",
        "possible",
        "The same first name and date of birth as a kept case, under another surname.",
    ),
    DecisionRule(
        "married_name_tied_in",
        "match",
        "A case under another surname (a marriage) that a matching case ties in.",
    ),
    DecisionRule(
        "same_cii_as_a_match",
        "match",
        "Held back only for want of evidence, and a matching case records the same CII number.",
    ),
    DecisionRule("ambiguous", "possible", AMBIGUOUS),
)
# The ceilings that stand for too little evidence, not for a conflict: another of the person's
# cases (the same CII number) that is a match supplies the evidence.
PROMOTABLE = frozenset(
    {
        "first_name_is_recorded_middle",
        "first_names_two_languages",
        "first_name_says_little",
        "birth_date_slip",
        "birth_date_slip_name_not_checked",
        "birth_date_slip_name_held_elsewhere",
        "below_match_threshold",
        "slip_below_margin",
        "slip_beside_exact",
    }
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
    # The safety or decision rule that set the outcome ("" for a plain match).
    rule: str = ""


def agrees_with_typed(s: Scored) -> bool:
    """The date of birth (exactly or by a slip) or the name (surname and first name) agrees with
    what was typed."""
    dob_agrees = s.dob == DobAgreement.EXACT or s.dob in DOB_SLIPS
    name_agrees = (
        s.surname_level not in (*NAME_CONFLICTS, Level.NEAR) and s.given_level in GIVEN_FOR_MATCH
    )
    return dob_agrees or name_agrees


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
    # Records often carry one part of a double surname: MIGUEL MARTINEZ ROMERO's namesakes are
    # the MIGUEL MARTINEZes.
    family = max(
        freqs.share(surname_key(form), TYPICAL_SURNAME_SHARE) for form in reading.surname.forms
    )
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
    proposals = _promote_same_cii(proposals, tied=tied)
    proposals.sort(key=lambda p: (-p.scored.score, p.scored.record.case_id))
    ambiguity = _ambiguity(proposals, tied=tied, common=common)

    decisions = []
    for p in proposals:
        outcome, reason, rule = p.outcome, p.reason, p.rule
        if outcome == "match" and ambiguity:
            outcome, reason, rule = "possible", ambiguity, "ambiguous"
        summary = _summary(p.scored, outcome, reason)
        decisions.append(Decision(p.scored, outcome, p.scored.as_explanation(summary, rule)))
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
            proposals.append(Proposal(s, "possible", SLIP_TOO_COMMON, "slip_below_margin"))
        elif limit.rule is not None:
            proposals.append(Proposal(s, "possible", limit.reason, limit.rule.name))
        else:
            proposals.append(
                Proposal(s, "possible", BELOW_MATCH_THRESHOLD, "below_match_threshold")
            )
    # A slip in the date of birth is a `match` only when nothing fits the date as typed: beside a
    # case that does, it is more likely a namesake's (or a recording error staff should see).
    if any(p.outcome == "match" and p.scored.dob == DobAgreement.EXACT for p in proposals):
        proposals = [
            Proposal(p.scored, "possible", SLIP_BESIDE_EXACT, "slip_beside_exact")
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
            proposals[index] = replace(
                p, outcome="match", reason=found.tied_reason(), rule="married_name_tied_in"
            )
            tied.add(record.case_id)
    more: list[Proposal] = []
    for s in dropped:
        found = next(
            (a for a in anchors if same_person(a.record, s.record, common_name=common)), None
        )
        if found is not None and not agrees_with_typed(s):
            # The same CII number on a case whose name and date of birth both differ from
            # what was typed: more likely an identifier recorded on the wrong case than the
            # person's; telling them would tell them about someone else's case.
            reason = TIED_DISAGREES.format(number=found.record.case_number, how=found.how_found)
            more.append(Proposal(s, "possible", reason, "tied_in_disagrees_with_typed"))
            tied.add(s.record.case_id)
            continue
        if found is not None:
            more.append(Proposal(s, found.outcome, found.tied_reason(), "tied_in_same_person"))
            tied.add(s.record.case_id)
            continue
        found = (
            next((a for a in anchors if same_person(a.record, s.record)), None) if common else None
        )
        if found is not None:
            reason = (
                "Recorded under the same name and date of birth as case "
                f"{found.record.case_number}, but the name is common enough to be another "
                "person's: staff should check."
            )
            more.append(Proposal(s, "possible", reason, "tied_in_common_name"))
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
            more.append(Proposal(s, "possible", reason, "tied_in_same_given_name_and_birth"))
            tied.add(s.record.case_id)
    return more


def _promote_same_cii(proposals: list[Proposal], *, tied: set[int]) -> list[Proposal]:
    """A `possible` held back only for want of evidence (PROMOTABLE) is a `match` when a case
    that is a match records the same CII number, and it agrees with what was typed: the person's
    other cases vouch for it. Promoted cases are shown with that case, never as its rival."""
    matches = [p.scored.record for p in proposals if p.outcome == "match"]
    out = []
    for p in proposals:
        record = p.scored.record
        anchor = next(
            (
                m
                for m in matches
                if m.cii_number and m.cii_number == record.cii_number and m is not record
            ),
            None,
        )
        if (
            anchor is not None
            and p.outcome == "possible"
            and p.rule in PROMOTABLE
            and agrees_with_typed(p.scored)
        ):
            reason = (
                f"Recorded under the same CII number as case {anchor.case_number}, which is a "
                "match."
            )
            p = replace(p, outcome="match", reason=reason, rule="same_cii_as_a_match")
            tied.add(record.case_id)
        out.append(p)
    return out


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
