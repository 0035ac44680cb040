"""A hand-built record matcher, the yardstick for partner screening's speed and quality.

What a competent engineer writes in an afternoon: an in-memory index of the cases by date of
birth, and by date of birth and the Soundex code of each name word (blocking), so that the dates
one typing slip away (day and month swapped, one digit, the year one off) are searched only
under the names typed, Jaro-Winkler similarity of the names (rapidfuzz), English nicknames (the
`nicknames` package) and the Spanish hypocorisms the engine knows, and fixed cut-offs. No safety
rules, no name frequencies, no tie-ins. benchmarks/screening_speed.py times it beside screen_csv
on the same cases and queries, the index build included.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import jellyfish
from nicknames import NickNamer
from rapidfuzz.distance import JaroWinkler

from cases.matching.names import SPANISH_HYPOCORISMS
from cases.matching.types import CandidateResult, MatchResult, PersonQuery
from cases.normalize import case_normalize_number, strip_accents

MATCH_SIMILARITY = 0.92
POSSIBLE_SIMILARITY = 0.85
_NICKNAMER = NickNamer()


@dataclass(frozen=True, slots=True)
class _Case:
    case_id: int
    case_number: str
    number: str
    first: tuple[str, ...]
    last: tuple[str, ...]
    last_joined: str
    dob: date


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    cleaned = "".join(c if c.isalpha() else " " for c in strip_accents(text).upper())
    return tuple(
        w for w in cleaned.split() if w not in {"JR", "SR", "II", "III", "DE", "DEL", "LA"}
    )


@lru_cache(maxsize=65536)
def _forms(word: str) -> frozenset[str]:
    """The name and the formal names it may be a nickname of."""
    forms = {word, *SPANISH_HYPOCORISMS.get(word, ())}
    forms.update(n.upper() for n in _NICKNAMER.canonicals_of(word.lower()))
    return frozenset(forms)


@lru_cache(maxsize=65536)
def _code(word: str) -> str:
    return jellyfish.soundex(word)


@lru_cache(maxsize=8192)
def _slips(d: date) -> frozenset[date]:
    found: set[date] = set()
    candidates = [
        (d.year, d.day, d.month),
        (d.year - 1, d.month, d.day),
        (d.year + 1, d.month, d.day),
    ]
    text = f"{d.year:04d}{d.month:02d}{d.day:02d}"
    for i in range(2, 8):
        for digit in "0123456789":
            if digit != text[i]:
                other = text[:i] + digit + text[i + 1 :]
                candidates.append((int(other[:4]), int(other[4:6]), int(other[6:])))
    for year, month, day in candidates:
        try:
            found.add(date(year, month, day))
        except ValueError:
            continue
    found.discard(d)
    return frozenset(found)


def _given_similarity(typed: tuple[str, ...], recorded: tuple[str, ...]) -> float:
    if not typed or not recorded:
        return 0.0
    best = 0.0
    for t in _forms(typed[0]):
        for r in recorded:
            for form in _forms(r):
                best = max(best, JaroWinkler.similarity(t, form))
    return best


def _surname_similarity(typed: tuple[str, ...], case: _Case) -> float:
    if not typed or not case.last:
        return 0.0
    joined = "".join(typed)
    best = JaroWinkler.similarity(joined, case.last_joined)
    for t in typed:
        for r in case.last:
            best = max(best, JaroWinkler.similarity(t, r))
    return best


class BaselineMatcher:
    """Built from (case id, case number, first, middle, last, date of birth) rows."""

    def __init__(self, rows: Iterable[tuple[int, str, str, str, str, date]]):
        self.by_dob: dict[date, list[_Case]] = defaultdict(list)
        self.by_dob_code: dict[tuple[date, str], list[_Case]] = defaultdict(list)
        self.by_number: dict[str, list[_Case]] = defaultdict(list)
        for case_id, number, first, middle, last, dob in rows:
            last_words = _words(last)
            case = _Case(
                case_id=case_id,
                case_number=number,
                number=case_normalize_number(number),
                first=_words(f"{first} {middle}"),
                last=last_words,
                last_joined="".join(last_words),
                dob=dob,
            )
            self.by_dob[dob].append(case)
            for code in {_code(w) for w in (*case.first[:1], *last_words)}:
                self.by_dob_code[(dob, code)].append(case)
            self.by_number[case.number].append(case)

    def match(self, query: PersonQuery) -> MatchResult:
        first, last = _words(f"{query.first_name} {query.middle_name}"), _words(query.last_name)
        number = case_normalize_number(query.case_number)
        scored: list[tuple[float, str, _Case]] = []
        seen: set[int] = set()
        dob = query.date_of_birth
        swap = date(dob.year, dob.day, dob.month) if dob and dob.day <= 12 else None
        blocks = [(True, self.by_dob.get(dob, ()))] if dob else []
        if dob:
            codes = {_code(w) for w in (*first[:1], *last)}
            blocks += [
                (False, self.by_dob_code.get((d, code), ())) for d in _slips(dob) for code in codes
            ]
        if number:
            blocks.append((False, self.by_number.get(number, ())))
        for exact_dob, cases in blocks:
            for case in cases:
                if case.case_id in seen:
                    continue
                seen.add(case.case_id)
                given = max(
                    _given_similarity(first, case.first), _given_similarity(last, case.first)
                )
                family = max(_surname_similarity(last, case), _surname_similarity(first, case))
                swapped = swap is not None and case.dob == swap
                by_number = bool(number) and case.number == number
                low = min(given, family)
                if (exact_dob or swapped or by_number) and low >= MATCH_SIMILARITY:
                    scored.append((low, "match", case))
                elif low >= POSSIBLE_SIMILARITY or (by_number and max(given, family) >= 0.8):
                    scored.append((low, "possible", case))
        scored.sort(key=lambda item: -item[0])
        outcome = (
            "match"
            if any(o == "match" for _, o, _ in scored)
            else ("possible" if scored else "no_match")
        )
        return MatchResult(
            outcome=outcome,
            candidates=tuple(
                CandidateResult(
                    case_id=case.case_id,
                    score=round(similarity, 3),
                    outcome=o,
                    explanation={},
                    case_number=case.case_number,
                )
                for similarity, o, case in scored
            ),
        )
