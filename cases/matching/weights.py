"""Weights: how strongly a recorded case and what a person typed say "same person".

Fellegi-Sunter: each field's agreement level adds log2(m / u) bits, where m is how often the level
occurs when the case is the person's and u how often it occurs for someone else's case. Agreement
on a rare surname says more than agreement on GARCIA, so for exact name and date-of-birth
agreement u is the share of recorded cases with that value (from the blocking keys, smoothed so a
small database behaves like a large one). The m values are estimates of how people type their
details; the evaluation in benchmarks/matching_eval.py checks the result.

A name typed or recorded with a slip (MIIGUEL, JOZE) against its real spelling weighs nearly as
the real name would (MISSPELLED_M): the slip is on one side only, so the agreement says which
name it is. Two real names that sound alike (MARTIN, MARVIN) say much less.

`score_candidate` scores a case against every reading of the query and keeps the reading that fits
best; the outcome is decide.py's. Pure: no database.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .compare import (
    CASE_NUMBER_TEXT,
    DOB_TEXT,
    GIVEN_FOR_MATCH,
    GIVEN_TEXT,
    MIDDLE_TEXT,
    SURNAME_TEXT,
    Level,
    compare_case_number,
    compare_given,
    compare_surname,
    misspelling_of,
    translation_slip,
)
from .dates import DobAgreement, compare_dob
from .keys import GIVEN_PREFIX, KEY_MAX_LENGTH, SURNAME_PREFIX
from .names import are_translations, is_known_given_name, is_known_surname
from .normalize import Surname, given_names, phonetic, skeleton, surname
from .readings import PreparedQuery, Reading
from .types import CandidateRecord

# m: how often the level occurs for the person's own case. Levels without a u here take u from
# the share of recorded cases with the typed value (see Frequencies).
SURNAME_M = {
    Level.EXACT: 0.80,
    Level.SPACING: 0.10,
    Level.PARTIAL: 0.05,
    Level.SECOND_PART: 0.01,
    Level.PHONETIC: 0.025,
    Level.TYPO: 0.02,
    Level.NEAR: 0.01,
    Level.DIFFERENT: 0.005,
}
GIVEN_M = {
    Level.EXACT: 0.80,
    Level.NICKNAME: 0.06,
    Level.MIDDLE_AS_FIRST: 0.04,
    Level.OTHER_ORDER: 0.01,
    Level.PHONETIC: 0.03,
    Level.TYPO: 0.03,
    Level.INITIAL: 0.02,
    Level.NEAR: 0.01,
    Level.DIFFERENT: 0.01,
}
# Fixed u for levels whose chance agreement does not depend on the name.
TYPO_U = 0.002
MIDDLE_AS_FIRST_U = 0.003
INITIAL_U = 0.07
# Two names of someone else's one or two letters from the typed name (of the names a date of
# birth brings, about one in twenty is that close).
NEAR_U = 0.05
DIFFERENT_U = 0.97
# A name typed or recorded with a slip (MIIGUEL, JOZE) against its real spelling: the person
# almost always meant that name, so the agreement says nearly what the exact name would.
MISSPELLED_M = 0.4
MIDDLE_WEIGHTS = {
    Level.EXACT: math.log2(0.5 / 0.05),
    Level.NICKNAME: math.log2(0.05 / 0.01),
    Level.TYPO: math.log2(0.04 / 0.01),
    Level.INITIAL: math.log2(0.2 / 0.1),
    Level.DIFFERENT: math.log2(0.05 / 0.85),
}
# A day of birth shared by chance: about 1 in 25,000 (people born over ~70 years).
DAY_SHARE = 1 / 25_000
# For each slip in the date of birth: how often people make it (m), and how many recorded dates
# it could come from (so u is that many days' share). Only the days apart that are not one digit
# apart count (31 March and 1 April).
SLIP_M = {
    DobAgreement.TRANSPOSED: 0.01,
    DobAgreement.ONE_DIGIT: 0.03,
    DobAgreement.YEAR_OFF: 0.01,
    DobAgreement.DAY_APART: 0.005,
}
SLIP_DATES = {
    DobAgreement.TRANSPOSED: 1,
    DobAgreement.ONE_DIGIT: 35,
    DobAgreement.YEAR_OFF: 4,
    DobAgreement.DAY_APART: 2,
}
DOB_WEIGHTS = {
    **{slip: math.log2(m / (SLIP_DATES[slip] * DAY_SHARE)) for slip, m in SLIP_M.items()},
    DobAgreement.DIFFERENT: math.log2(0.005 / 1.0),
    DobAgreement.MISSING: 0.0,
}
DOB_EXACT_M = 0.93
CASE_NUMBER_WEIGHTS = {
    Level.EXACT: math.log2(0.95 / 1e-5),
    Level.CLOSE: math.log2(0.02 / 1e-4),
    Level.DIFFERENT: 0.0,
    Level.MISSING: 0.0,
}
# Smoothing: a database of a few cases should weigh names like a large one, not call every name
# rare or every name common. PRIOR_CASES pseudo-cases carry a typical share.
PRIOR_CASES = 10_000
TYPICAL_SURNAME_SHARE = 0.001
TYPICAL_GIVEN_SHARE = 0.004

# The thresholds in settings are tuned for a database of this many cases (Los Angeles County's
# two batches). A case's score is a likelihood ratio; the chance that some namesake scores as
# high grows with the number of cases, so on a larger database both thresholds rise by
# log2(size / REFERENCE_CASES) bits, which keeps the posterior odds they stand for. They never
# fall below the tuned values on a smaller database.
REFERENCE_CASES = 125_000


def size_adjustment(total_cases: int) -> float:
    return max(0.0, math.log2(max(total_cases, 1) / REFERENCE_CASES))


@dataclass(frozen=True)
class Frequencies:
    """How many recorded cases carry each blocking key, and the typed date of birth."""

    total_cases: int
    key_counts: Mapping[str, int]
    dob_count: int = 0

    def share(self, key: str, typical: float) -> float:
        count = self.key_counts.get(key, 0)
        return (count + PRIOR_CASES * typical) / (self.total_cases + PRIOR_CASES)

    def dob_share(self) -> float:
        return (self.dob_count + PRIOR_CASES * DAY_SHARE) / (self.total_cases + PRIOR_CASES)


def surname_key(form: str) -> str:
    return (SURNAME_PREFIX + phonetic(form))[:KEY_MAX_LENGTH]


def given_key(word: str) -> str:
    return (GIVEN_PREFIX + phonetic(word))[:KEY_MAX_LENGTH]


@dataclass(frozen=True)
class FieldResult:
    field: str
    agreement: str
    weight: float
    detail: str

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "agreement": self.agreement,
            "weight": round(self.weight, 2),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Scored:
    record: CandidateRecord
    score: float
    fields: tuple[FieldResult, ...]
    surname_level: Level
    given_level: Level
    dob: DobAgreement
    case_number: Level
    # Typed and recorded first names are each a real name (Martin, Marvin): not a typo.
    given_names_both_real: bool
    # Typed and recorded surnames sound alike but each is a real surname (KERR, CARR), and not
    # merely a Spanish spelling of the other (SANCHEZ, SANCHES).
    surnames_both_real: bool
    middle_level: Level | None
    given_weight: float
    # The names agreed only through an alias's own given name.
    via_alias_given: bool
    # The reading of the typed name that fits best (None when no reading had names to compare),
    # and whether it fits a name recorded as an alias.
    reading: Reading | None
    against_alias: bool
    # Whether the recorded first name and surname are also recorded with more other dates of
    # birth (other people of that name) than the slip allows (rules.slip_namesakes_allowed);
    # None until the engine has looked (only for a date slip).
    name_held_elsewhere: bool | None = None
    # The first names are one name in two languages, each a formal name (HENRY, ENRIQUE).
    given_two_languages: bool = False

    @property
    def plain_reading(self) -> bool:
        """The names were compared as typed, with the case's own name."""
        return self.reading is Reading.AS_TYPED and not self.against_alias

    @property
    def reading_text(self) -> str:
        """How the names were compared, as explanations say it ("" when they were not)."""
        if self.reading is None:
            return ""
        return f"{self.reading}, against an alias" if self.against_alias else str(self.reading)

    def as_explanation(self, summary: str, rule: str = "") -> dict:
        """What staff read; `rule` names the safety or decision rule that set the outcome ("" for
        a plain match), so that matching_report can count staff's verdicts per rule."""
        return {
            "summary": summary,
            "fields": [f.as_dict() for f in self.fields],
            "score": round(self.score, 2),
            "rule": rule,
        }


def _bits(m: float, u: float) -> float:
    return math.log2(m / u)


def _surname_weight(level: Level, form: str, recorded: str, freqs: Frequencies) -> float:
    m = SURNAME_M[level]
    if level in (Level.PHONETIC, Level.TYPO):
        real = misspelling_of(form, recorded, is_known_surname)
        if real:
            return _bits(MISSPELLED_M, freqs.share(surname_key(real), TYPICAL_SURNAME_SHARE))
    if level == Level.TYPO:
        return _bits(m, TYPO_U)
    if level == Level.NEAR:
        return _bits(m, NEAR_U)
    if level == Level.DIFFERENT:
        return _bits(m, DIFFERENT_U)
    return _bits(m, freqs.share(surname_key(form), TYPICAL_SURNAME_SHARE))


def _given_weight(level: Level, typed: str, recorded: str, freqs: Frequencies) -> float:
    m = GIVEN_M[level]
    if level in (Level.PHONETIC, Level.TYPO):
        real = misspelling_of(typed, recorded, is_known_given_name)
        if real:
            return _bits(MISSPELLED_M, freqs.share(given_key(real), TYPICAL_GIVEN_SHARE))
    if level == Level.TYPO:
        return _bits(m, TYPO_U)
    if level == Level.MIDDLE_AS_FIRST:
        # JOSE as the middle name of JUAN JOSE says as little as JOSE says anywhere.
        shares = (freqs.share(given_key(w), TYPICAL_GIVEN_SHARE) for w in (typed, recorded))
        return _bits(m, max(MIDDLE_AS_FIRST_U, *shares))
    if level == Level.OTHER_ORDER:
        # Both names agree: the first typed as the middle, the middle as the first.
        shares = (freqs.share(given_key(w), TYPICAL_GIVEN_SHARE) for w in (typed, recorded))
        return _bits(m, max(shares)) + MIDDLE_WEIGHTS[Level.EXACT]
    if level == Level.INITIAL:
        return _bits(m, INITIAL_U)
    if level == Level.NEAR:
        return _bits(m, NEAR_U)
    if level == Level.DIFFERENT:
        return _bits(m, DIFFERENT_U)
    share = freqs.share(given_key(typed), TYPICAL_GIVEN_SHARE)
    if level == Level.NICKNAME:
        # Never more telling than the exact name would be: a rare nickname of a common name
        # (Pepe for José) says no more than the common name.
        share = max(share, freqs.share(given_key(recorded), TYPICAL_GIVEN_SHARE))
    return _bits(m, share)


@dataclass(frozen=True)
class RecordedName:
    """A name a case records: its own, or an alias."""

    given: tuple[str, ...]
    surname: Surname
    alias: bool = False
    # The alias has given names of its own, which differ from the case's.
    alias_given: bool = False


def _recorded_names(record: CandidateRecord) -> Iterable[RecordedName]:
    primary = given_names(record.first_name, record.middle_name)
    yield RecordedName(primary, surname(record.last_name))
    for alias_first, alias_last in record.aliases:
        # An alias that is only a surname (a maiden or married name) goes with the recorded
        # given names.
        own = given_names(alias_first)
        yield RecordedName(
            own or primary,
            surname(alias_last),
            alias=True,
            alias_given=bool(own) and own[:1] != primary[:1],
        )


def score_candidate(query: PreparedQuery, record: CandidateRecord, freqs: Frequencies) -> Scored:
    """Score one case against every reading of the query; keep the reading that fits best."""
    dob = compare_dob(query.date_of_birth, record.date_of_birth)
    if dob == DobAgreement.EXACT:
        dob_weight = _bits(DOB_EXACT_M, freqs.dob_share())
    else:
        dob_weight = DOB_WEIGHTS[dob]
    case_level = compare_case_number(query.case_number, record.case_number_normalized)
    common: list[FieldResult] = [
        FieldResult("date_of_birth", str(dob), dob_weight, DOB_TEXT[dob]),
    ]
    if case_level != Level.MISSING:
        common.append(
            FieldResult(
                "case_number",
                str(case_level),
                CASE_NUMBER_WEIGHTS[case_level],
                CASE_NUMBER_TEXT[case_level],
            )
        )
    base = sum(f.weight for f in common)

    best: Scored | None = None
    own_first = next(iter(given_names(record.first_name, record.middle_name)), "")
    # Whether the recorded given names themselves (not an alias's) fit a reading.
    own_given_fits = False
    names = list(_recorded_names(record))
    for reading in query.readings:
        for name in names:
            recorded_surname = name.surname
            s_level, s_form = compare_surname(reading.surname, recorded_surname)
            g_level, m_level, r_first = compare_given(reading.given, name.given)
            if s_level == Level.MISSING or g_level == Level.MISSING:
                continue
            own_given_fits |= not name.alias_given and g_level in GIVEN_FOR_MATCH
            t_first = reading.given[0]
            # The fields' weights, in the order of their FieldResults below; those are built
            # only for the reading that fits best so far.
            weights = [
                _surname_weight(s_level, s_form, recorded_surname.joined, freqs),
                _given_weight(g_level, t_first, r_first, freqs),
            ]
            if m_level is not None:
                weights.append(MIDDLE_WEIGHTS[m_level])
            reading_shown = bool(
                reading.weight or name.alias or reading.reading is not Reading.AS_TYPED
            )
            if reading_shown:
                weights.append(reading.weight)
            total = base + sum(weights)
            if best is None or total > best.score:
                fields = [
                    FieldResult("last_name", str(s_level), weights[0], SURNAME_TEXT[s_level]),
                    FieldResult("first_name", str(g_level), weights[1], GIVEN_TEXT[g_level]),
                ]
                if m_level is not None:
                    fields.append(
                        FieldResult("middle_name", str(m_level), weights[2], MIDDLE_TEXT[m_level])
                    )
                if reading_shown:
                    label = (
                        f"{reading.reading}, against an alias" if name.alias else reading.reading
                    )
                    fields.append(
                        FieldResult(
                            "name_reading",
                            "alias" if name.alias else "reading",
                            reading.weight,
                            f"Names compared {label}.",
                        )
                    )
                known = is_known_given_name(t_first) and is_known_given_name(r_first)
                typed_s, recorded_s = reading.surname.joined, recorded_surname.joined
                real_surnames = (
                    s_level == Level.PHONETIC
                    and skeleton(typed_s) != skeleton(recorded_s)
                    and is_known_surname(typed_s)
                    and is_known_surname(recorded_s)
                )
                best = Scored(
                    record=record,
                    score=total,
                    fields=(*fields, *common),
                    surname_level=s_level,
                    given_level=g_level,
                    dob=dob,
                    case_number=case_level,
                    given_names_both_real=known,
                    surnames_both_real=real_surnames,
                    middle_level=m_level,
                    given_weight=fields[1].weight,
                    via_alias_given=name.alias_given,
                    reading=reading.reading,
                    against_alias=name.alias,
                    # Also when an alias fits: JOSEPH typed, JOSE recorded with the alias JOE.
                    given_two_languages=are_translations(t_first, r_first)
                    or (name.alias and are_translations(t_first, own_first))
                    or (
                        g_level in (Level.TYPO, Level.PHONETIC, Level.NICKNAME)
                        and translation_slip(t_first, r_first)
                    )
                    # First and last swapped on one side: the "surnames" compared are given
                    # names (ANTHONY typed, ANTONIO recorded as the surname).
                    or (
                        s_level in (Level.PHONETIC, Level.TYPO)
                        and bool(typed_s and recorded_s)
                        and (
                            are_translations(typed_s, recorded_s)
                            or translation_slip(typed_s, recorded_s)
                        )
                    ),
                )
    if best is not None and best.via_alias_given and own_given_fits:
        best = replace(best, via_alias_given=False)
    if best is None:
        best = Scored(
            record=record,
            score=base,
            fields=tuple(common),
            surname_level=Level.MISSING,
            given_level=Level.MISSING,
            dob=dob,
            case_number=case_level,
            given_names_both_real=False,
            surnames_both_real=False,
            middle_level=None,
            given_weight=0.0,
            via_alias_given=False,
            reading=None,
            against_alias=False,
        )
    return best
