"""Plain data passed between the matching engine and its callers."""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Outcome = Literal["match", "possible", "no_match"]


@dataclass(frozen=True)
class PersonQuery:
    """What a person (or someone helping them) typed."""

    first_name: str
    last_name: str
    middle_name: str = ""
    other_names: tuple[str, ...] = ()  # "FIRST LAST" strings, e.g. a maiden name
    date_of_birth: date | None = None
    case_number: str = ""


@dataclass(frozen=True)
class CandidateRecord:
    """A recorded case as the engine compares it (engine.py loads it)."""

    case_id: int
    case_number: str
    case_number_normalized: str
    date_of_birth: date
    first_name: str
    middle_name: str
    last_name: str
    aliases: tuple[tuple[str, str], ...] = ()
    # The state's identification number of the person (CII), when the case records it.
    cii_number: str = ""


@dataclass(frozen=True)
class CandidateResult:
    case_id: int
    score: float
    outcome: Outcome
    # Human-readable account for staff: {"summary": str, "fields": [{"field", "agreement",
    # "weight", "detail"}], "score"}. Never shown to the public.
    explanation: dict
    case_number: str = ""


@dataclass(frozen=True)
class MatchResult:
    outcome: Outcome
    candidates: tuple[CandidateResult, ...] = field(default_factory=tuple)

    @property
    def best_score(self) -> float | None:
        return max((c.score for c in self.candidates), default=None)

    @property
    def matched_case_ids(self) -> list[int]:
        return [c.case_id for c in self.candidates if c.outcome == "match"]
