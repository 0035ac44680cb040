"""Scoring: how strongly a recorded case and what a person typed say "same person", and the outcome.

Fellegi-Sunter: each field's agreement level adds log2(m / u) bits, where m is how often the level
occurs when the case is the person's and u how often it occurs for someone else's case. Agreement
on a rare surname says more than agreement on GARCIA, so for exact name and date-of-birth
agreement u is the share of recorded cases with that value (from the blocking keys, smoothed so a
small database behaves like a large one). The m values are estimates of how people type their
details; the evaluation in benchmarks/matching_eval.py checks the result.

A name typed or recorded with a slip (MIIGUEL, JOZE) against its real spelling weighs nearly as
the real name would (MISSPELLED_M): the slip is on one side only, so the agreement says which
name it is. Two real names that sound alike (MARTIN, MARVIN) say much less.

The score alone never tells a person "yes". `decide` also applies safety rules (`_ceiling`):
- `match` needs the exact date of birth, or the typed case number, or a slip in the date (day
  and month swapped, one digit, the year one off, a day apart across a month's end) with the
  whole name as recorded (surname, first name, no differing middle name) when that name is
  rare: the score clears the match threshold by SLIP_MATCH_MARGIN, the database is large enough
  to tell rare names (SLIP_MATCH_MIN_CASES), at most SLIP_MATCH_MAX_NAMESAKES other people are
  recorded under the name (the engine looks: `name_held_elsewhere`), and no case fits the typed
  date exactly. Otherwise a slip makes at most `possible`: a namesake born a few days or a
  decade apart looks exactly like a typo (Los Angeles has hundreds of JOSE GARCIAs);
- `match` needs a given name that agrees: exactly, as a nickname, as a middle name used as the
  first, by sound, or as a typing slip (not when both spellings are real names, Marvin/Martin);
  an initial only, or a name known only as an alias's given name, makes at most `possible`;
- `match` needs a surname that agrees in some way (only the second part of a double surname
  agreeing weighs little: SURNAME_M), and a different surname (e.g. after marriage) is a match
  only with the case number;
- `match` needs the first name, with the middle name when both were given, to say more for
  this person than for a brother or sister with the same surname and date of birth (a common
  nickname or middle name used as the first does not);
- a different date of birth, a different given name or a different surname makes a candidate
  `no_match` unless the case number agrees, except that first and middle names and date of
  birth agreeing exactly under another surname (a marriage) make it `possible`;
- when the best candidates belong to different people (twins Alberto and Roberto for "Beto";
  namesakes born the same day whose CII numbers differ), none of them is a `match`;
- a case that fits ties in the person's other cases recorded alike (the same CII number; or the
  same date of birth, first name and surname agreeing) with its own outcome, e.g. those that
  lack the middle name the person typed as the first (the engine also loads the cases that
  share a kept case's CII number); it also ties in, for staff, cases with the same first name
  and date of birth under another surname.
Nothing here touches the database.
"""

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

from cases.normalize import case_normalize_number

from .dates import DobAgreement, compare_dob
from .keys import GIVEN_PREFIX, KEY_MAX_LENGTH, SURNAME_PREFIX
from .names import are_nicknames, is_known_given_name, is_known_surname, name_roots
from .normalize import Surname, given_names, normalize_name, phonetic, skeleton, surname
from .types import Outcome, PersonQuery


class Level(enum.StrEnum):
    EXACT = "exact"
    SPACING = "same_when_joined"
    PARTIAL = "one_part_of_double_surname"
    SECOND_PART = "second_part_of_double_surname"
    NICKNAME = "nickname"
    MIDDLE_AS_FIRST = "middle_name_used_as_first"
    PHONETIC = "sounds_alike"
    TYPO = "typo"
    INITIAL = "initial_only"
    DIFFERENT = "different"
    MISSING = "not_given"
    CLOSE = "one_character_off"


# m: how often the level occurs for the person's own case. Levels without a u here take u from
# the share of recorded cases with the typed value (see Frequencies).
SURNAME_M = {
    Level.EXACT: 0.80,
    Level.SPACING: 0.10,
    Level.PARTIAL: 0.05,
    Level.SECOND_PART: 0.01,
    Level.PHONETIC: 0.025,
    Level.TYPO: 0.02,
    Level.DIFFERENT: 0.005,
}
GIVEN_M = {
    Level.EXACT: 0.80,
    Level.NICKNAME: 0.06,
    Level.MIDDLE_AS_FIRST: 0.04,
    Level.PHONETIC: 0.03,
    Level.TYPO: 0.03,
    Level.INITIAL: 0.02,
    Level.DIFFERENT: 0.01,
}
# Fixed u for levels whose chance agreement does not depend on the name.
TYPO_U = 0.002
MIDDLE_AS_FIRST_U = 0.003
INITIAL_U = 0.07
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
DOB_WEIGHTS = {
    DobAgreement.TRANSPOSED: math.log2(0.01 / DAY_SHARE),
    DobAgreement.ONE_DIGIT: math.log2(0.03 / (35 * DAY_SHARE)),
    DobAgreement.YEAR_OFF: math.log2(0.01 / (4 * DAY_SHARE)),
    # Only the days apart that are not one digit apart (31 March and 1 April).
    DobAgreement.DAY_APART: math.log2(0.005 / (2 * DAY_SHARE)),
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
# Typing first and last name in each other's boxes is common on paper forms and phones.
SWAPPED_WEIGHT = math.log2(0.1)
MIDDLE_AS_SURNAME_WEIGHT = math.log2(0.5)
# Smoothing: a database of a few cases should weigh names like a large one, not call every name
# rare or every name common. PRIOR_CASES pseudo-cases carry a typical share.
PRIOR_CASES = 10_000
TYPICAL_SURNAME_SHARE = 0.001
TYPICAL_GIVEN_SHARE = 0.004
# A different person's candidate within this many bits of the best makes the result ambiguous.
AMBIGUITY_MARGIN = 6.0
# A middle name typed as the first (DAVID for MICHAEL DAVID BISHOP) is how a twin brother with
# that first name would look too: it must say at least this much for the person (with the
# middle name typed, if any) before it can be a match.
MIDDLE_AS_FIRST_MIN_BITS = 1.0
# A slip in the date of birth, with no case number, reaches `match` only with a score this many
# bits above the match threshold: the name must be rare enough that a namesake born one slip
# away is unlikely (see benchmarks/matching_eval.py for what this costs and buys).
SLIP_MATCH_MARGIN = 2.0
SLIP_MATCH_MIN_CASES = 25_000
# ... and the name may be recorded with at most this many other dates of birth (one other
# person: two holders in a county's records is a rare name). With two others, the evaluation's
# namesakes born near each other start to be matched (benchmarks/matching_eval.py).
SLIP_MATCH_MAX_NAMESAKES = 1
_SLIP_TOO_COMMON = (
    "The date of birth is close but not the same, and the name is not rare enough to rule out "
    "a namesake born that close: staff should check."
)
_SLIP_BESIDE_EXACT = (
    "The date of birth is close but not the same, and another case fits it exactly: "
    "staff should check."
)


# A name this common (other people of that name expected on the typed date of birth; at
# 125,000 cases only the likes of JOSE GARCIA come near it, at 1,000,000 many more) no longer
# tells, with the date, that two cases are one person's: the CII number or the full middle name
# must.
COMMON_NAME_NAMESAKES = 0.02


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
class NameForm:
    """One reading of a typed name: given names, a surname, and where the reading comes from."""

    given: tuple[str, ...]
    surname: Surname
    label: str
    weight: float = 0.0


@dataclass(frozen=True)
class PreparedQuery:
    readings: tuple[NameForm, ...]
    date_of_birth: date | None
    case_number: str


@dataclass(frozen=True)
class CandidateRecord:
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
    reading: str
    # Whether the recorded first name and surname are also recorded with more than
    # SLIP_MATCH_MAX_NAMESAKES other dates of birth (other people of that name); None until the
    # engine has looked (only for a date slip).
    name_held_elsewhere: bool | None = None

    def as_explanation(self, summary: str) -> dict:
        return {
            "summary": summary,
            "fields": [f.as_dict() for f in self.fields],
            "score": round(self.score, 2),
        }


def prepare_query(query: PersonQuery) -> PreparedQuery:
    """Every reading of what was typed: as typed, first and last swapped, other names given."""
    given = given_names(query.first_name, query.middle_name)
    readings = [NameForm(given, surname(query.last_name), "as typed")]
    swapped_given = given_names(query.last_name)
    if swapped_given and normalize_name(query.first_name):
        readings.append(
            NameForm(
                swapped_given,
                surname(query.first_name),
                "first and last name swapped",
                SWAPPED_WEIGHT,
            )
        )
    if query.middle_name.strip():
        readings.append(
            NameForm(
                given_names(query.first_name),
                surname(f"{query.middle_name} {query.last_name}"),
                "middle name read as the first surname",
                MIDDLE_AS_SURNAME_WEIGHT,
            )
        )
    for other in query.other_names:
        words = normalize_name(other)
        if len(words) >= 2:
            readings.append(NameForm(words[:1], surname(" ".join(words[1:])), "other name given"))
        if len(words) >= 3:
            readings.append(NameForm(words[:-1], surname(words[-1]), "other name given"))
    return PreparedQuery(
        readings=tuple(readings),
        date_of_birth=query.date_of_birth,
        case_number=case_normalize_number(query.case_number),
    )


def _typo_close(a: str, b: str, *, min_length: int = 4) -> bool:
    """One slip in a word of `min_length` letters or more (two in a long one): GARRIA/GARCIA."""
    shortest = min(len(a), len(b))
    if shortest < min_length:
        return False
    distance = OSA.distance(a, b)
    if distance <= 1:
        return True
    if distance <= 2 and shortest >= 8:
        return True
    return shortest >= 6 and distance <= 2 and JaroWinkler.similarity(a, b) >= 0.9


def is_gender_pair(a: str, b: str) -> bool:
    """Mario/Maria, Daniel/Daniela, Juan/Juana: a brother's and a sister's names, not a typo."""
    if len(a) > len(b):
        a, b = b, a
    if b == a + "A":
        return True
    return len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} == {"A", "O"}


@lru_cache(maxsize=65536)
def compare_surname(typed: Surname, recorded: Surname) -> tuple[Level, str]:
    """The best agreement between a typed and a recorded surname, and the typed form it used."""
    if not typed or not recorded:
        return Level.MISSING, ""
    if typed.full == recorded.full:
        return Level.EXACT, typed.joined
    whole_typed = {typed.joined, typed.full}
    whole_recorded = {recorded.joined, recorded.full}
    if whole_typed & whole_recorded:
        return Level.SPACING, typed.joined
    shared_parts = set(typed.forms) & set(recorded.forms)
    if shared_parts:
        shared = max(shared_parts, key=len)
        # Records and people drop the second (maternal) surname far more often than the first.
        if shared != typed.parts[0] or shared != recorded.parts[0]:
            return Level.SECOND_PART, shared
        return Level.PARTIAL, shared
    # A double surname recorded joined (BARAJASPEREZ) and typed in part (Barajas), or the reverse.
    for short, long in ((typed.joined, recorded.joined), (recorded.joined, typed.joined)):
        affix = long.startswith(short) or long.endswith(short)
        if affix and len(short) >= 4 and len(long) - len(short) >= 3:
            return Level.PARTIAL, typed.joined
    if {phonetic(f) for f in whole_typed} & {phonetic(f) for f in whole_recorded} or {
        skeleton(f) for f in whole_typed
    } & {skeleton(f) for f in whole_recorded}:
        return Level.PHONETIC, typed.joined
    if any(_surname_slip(t, r) for t in whole_typed for r in whole_recorded):
        return Level.TYPO, typed.joined
    # One part of a double surname, misspelled: GARCIA LOPES typed as Lopes.
    for i, t in enumerate(typed.parts):
        for j, r in enumerate(recorded.parts):
            if len(t) >= 4 and (phonetic(t) == phonetic(r) or _surname_slip(t, r)):
                return (Level.PARTIAL if i == j == 0 else Level.SECOND_PART), t
    return Level.DIFFERENT, typed.joined


def _surname_slip(typed: str, recorded: str) -> bool:
    """A typing slip, unless both spellings are surnames of their own (FERNANDEZ, HERNANDEZ).
    Two neighbouring letters swapped in a long surname (GARICA) is a slip whatever the name
    lists say: they hold such misspellings too."""
    if not _typo_close(typed, recorded, min_length=3):
        return False
    if len(typed) >= 5 and _neighbours_swapped(typed, recorded):
        return True
    return not (is_known_surname(typed) and is_known_surname(recorded))


def _neighbours_swapped(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and a[differ[0]] == b[differ[1]]
        and a[differ[1]] == b[differ[0]]
    )


def compare_given(typed: Sequence[str], recorded: Sequence[str]) -> tuple[Level, Level | None, str]:
    """Agreement of the first given names, of the middle names, and the recorded name used."""
    if not typed or not recorded:
        return Level.MISSING, None, ""
    t1, r1 = typed[0], recorded[0]
    middle_typed, middle_recorded = typed[1:], recorded[1:]
    if t1 == r1:
        level = Level.EXACT
    elif t1 == "".join(recorded[:2]) or r1 == "".join(typed[:2]):
        return Level.EXACT, None, r1
    elif are_nicknames(t1, r1):
        level = Level.NICKNAME
    elif t1 in middle_recorded or r1 in middle_typed:
        return Level.MIDDLE_AS_FIRST, None, r1
    elif is_gender_pair(t1, r1):
        level = Level.DIFFERENT
    elif (
        len(t1) > 1
        and len(r1) > 1
        and (phonetic(t1) == phonetic(r1) or skeleton(t1) == skeleton(r1))
    ):
        level = Level.PHONETIC
    elif _typo_close(t1, r1, min_length=4 if is_known_given_name(t1) else 3):
        # A short slip (ERC for ERIC) only when what was typed is not a name of its own.
        level = Level.TYPO
    elif _nickname_of_misspelling(t1, r1):
        level = Level.NICKNAME
    elif (len(t1) == 1 or len(r1) == 1) and t1[0] == r1[0]:
        level = Level.INITIAL
    elif middle_recorded and len(middle_recorded[0]) == 1 and middle_recorded[0] == t1[0]:
        # ZACHARY J LAMB for James Lamb: the middle initial fits the name typed.
        return Level.INITIAL, None, r1
    else:
        level = Level.DIFFERENT
    middle = None
    if middle_typed and middle_recorded:
        mt, mr = middle_typed[0], middle_recorded[0]
        if mt == mr:
            middle = Level.EXACT
        elif are_nicknames(mt, mr):
            middle = Level.NICKNAME
        elif (len(mt) == 1 or len(mr) == 1) and mt[0] == mr[0]:
            middle = Level.INITIAL
        elif _misspelling_of(mt, mr, is_known_given_name) and (
            phonetic(mt) == phonetic(mr) or _typo_close(mt, mr)
        ):
            middle = Level.TYPO
        else:
            middle = Level.DIFFERENT
    return level, middle, r1


def _nickname_of_misspelling(a: str, b: str) -> bool:
    """A nickname against its formal name spelled with a slip: MIKE and MICAEL, EDDIE and
    EDWARRD. Only when the other spelling is not a name of its own."""
    for nickname, other in ((a, b), (b, a)):
        if is_known_given_name(other) or len(other) < 4:
            continue
        for root in name_roots(nickname) - {nickname}:
            if _typo_close(root, other) or phonetic(root) == phonetic(other):
                return True
    return False


def _misspelling_of(a: str, b: str, is_known) -> str | None:
    """The real name of the two when exactly one is a real name (the other then is a slip)."""
    a_known, b_known = is_known(a), is_known(b)
    if a_known == b_known:
        return None
    return a if a_known else b


def compare_case_number(typed: str, recorded: str) -> Level:
    if not typed:
        return Level.MISSING
    if typed == recorded:
        return Level.EXACT
    if len(typed) >= 6 and OSA.distance(typed, recorded) == 1:
        return Level.CLOSE
    return Level.DIFFERENT


def _bits(m: float, u: float) -> float:
    return math.log2(m / u)


_SURNAME_TEXT = {
    Level.EXACT: "The surname is the same.",
    Level.SPACING: "The surname is the same once spaces, hyphens and particles are ignored.",
    Level.PARTIAL: "The surname typed is one part of a double surname (or the reverse).",
    Level.SECOND_PART: (
        "Only the second part of a double surname agrees (people usually keep the first)."
    ),
    Level.PHONETIC: "The surname sounds the same but is spelled differently.",
    Level.TYPO: "The surname differs by a typing slip.",
    Level.DIFFERENT: "The surname is different.",
    Level.MISSING: "No surname to compare.",
}
_GIVEN_TEXT = {
    Level.EXACT: "The first name is the same.",
    Level.NICKNAME: "The first name typed is a nickname of the recorded one (or the reverse).",
    Level.MIDDLE_AS_FIRST: "A middle name was used as the first name (or the reverse).",
    Level.PHONETIC: "The first name sounds the same but is spelled differently.",
    Level.TYPO: "The first name differs by a typing slip.",
    Level.INITIAL: "Only an initial was given, and it agrees.",
    Level.DIFFERENT: "The first name is different.",
    Level.MISSING: "No first name to compare.",
}
_MIDDLE_TEXT = {
    Level.EXACT: "The middle name is the same.",
    Level.NICKNAME: "The middle name is a nickname of the recorded one.",
    Level.TYPO: "The middle name differs by a spelling slip.",
    Level.INITIAL: "The middle initial agrees.",
    Level.DIFFERENT: "The middle name is different.",
}
_DOB_TEXT = {
    DobAgreement.EXACT: "The date of birth is the same.",
    DobAgreement.TRANSPOSED: "The date of birth has day and month swapped.",
    DobAgreement.ONE_DIGIT: "The date of birth differs in one digit.",
    DobAgreement.YEAR_OFF: "The year of birth is one off or has two digits swapped.",
    DobAgreement.DAY_APART: "The dates of birth are a day apart, across a month's end.",
    DobAgreement.DIFFERENT: "The date of birth is different.",
    DobAgreement.MISSING: "No date of birth was given.",
}
_CASE_NUMBER_TEXT = {
    Level.EXACT: "The case number typed is this case's number.",
    Level.CLOSE: "The case number typed is one character off this case's number.",
    Level.DIFFERENT: (
        "The case number typed is a different one (a person with several cases may type only one)."
    ),
}


def _surname_weight(level: Level, form: str, recorded: str, freqs: Frequencies) -> float:
    m = SURNAME_M[level]
    if level in (Level.PHONETIC, Level.TYPO):
        real = _misspelling_of(form, recorded, is_known_surname)
        if real:
            return _bits(MISSPELLED_M, freqs.share(surname_key(real), TYPICAL_SURNAME_SHARE))
    if level == Level.TYPO:
        return _bits(m, TYPO_U)
    if level == Level.DIFFERENT:
        return _bits(m, DIFFERENT_U)
    return _bits(m, freqs.share(surname_key(form), TYPICAL_SURNAME_SHARE))


def _given_weight(level: Level, typed: str, recorded: str, freqs: Frequencies) -> float:
    m = GIVEN_M[level]
    if level in (Level.PHONETIC, Level.TYPO):
        real = _misspelling_of(typed, recorded, is_known_given_name)
        if real:
            return _bits(MISSPELLED_M, freqs.share(given_key(real), TYPICAL_GIVEN_SHARE))
    if level == Level.TYPO:
        return _bits(m, TYPO_U)
    if level == Level.MIDDLE_AS_FIRST:
        # JOSE as the middle name of JUAN JOSE says as little as JOSE says anywhere.
        shares = (freqs.share(given_key(w), TYPICAL_GIVEN_SHARE) for w in (typed, recorded))
        return _bits(m, max(MIDDLE_AS_FIRST_U, *shares))
    if level == Level.INITIAL:
        return _bits(m, INITIAL_U)
    if level == Level.DIFFERENT:
        return _bits(m, DIFFERENT_U)
    share = freqs.share(given_key(typed), TYPICAL_GIVEN_SHARE)
    if level == Level.NICKNAME:
        # Never more telling than the exact name would be: a rare nickname of a common name
        # (Pepe for José) says no more than the common name.
        share = max(share, freqs.share(given_key(recorded), TYPICAL_GIVEN_SHARE))
    return _bits(m, share)


def _recorded_names(
    record: CandidateRecord,
) -> Iterable[tuple[tuple[str, ...], Surname, str, bool]]:
    """(given names, surname, source, whether the given names are the alias's own)."""
    primary = given_names(record.first_name, record.middle_name)
    yield primary, surname(record.last_name), "", False
    for alias_first, alias_last in record.aliases:
        # An alias that is only a surname (a maiden or married name) goes with the recorded
        # given names.
        own = given_names(alias_first)
        yield (own or primary), surname(alias_last), "alias", bool(own) and own[:1] != primary[:1]


def score_candidate(query: PreparedQuery, record: CandidateRecord, freqs: Frequencies) -> Scored:
    """Score one case against every reading of the query; keep the reading that fits best."""
    dob = compare_dob(query.date_of_birth, record.date_of_birth)
    if dob == DobAgreement.EXACT:
        dob_weight = _bits(DOB_EXACT_M, freqs.dob_share())
    else:
        dob_weight = DOB_WEIGHTS[dob]
    case_level = compare_case_number(query.case_number, record.case_number_normalized)
    common: list[FieldResult] = [
        FieldResult("date_of_birth", str(dob), dob_weight, _DOB_TEXT[dob]),
    ]
    if case_level != Level.MISSING:
        common.append(
            FieldResult(
                "case_number",
                str(case_level),
                CASE_NUMBER_WEIGHTS[case_level],
                _CASE_NUMBER_TEXT[case_level],
            )
        )
    base = sum(f.weight for f in common)

    best: Scored | None = None
    # Whether the recorded given names themselves (not an alias's) fit a reading.
    own_given_fits = False
    for reading in query.readings:
        for given, recorded_surname, source, alias_given in _recorded_names(record):
            s_level, s_form = compare_surname(reading.surname, recorded_surname)
            g_level, m_level, r_first = compare_given(reading.given, given)
            if s_level == Level.MISSING or g_level == Level.MISSING:
                continue
            own_given_fits |= not alias_given and g_level in _GIVEN_FOR_MATCH
            t_first = reading.given[0]
            fields = [
                FieldResult(
                    "last_name",
                    str(s_level),
                    _surname_weight(s_level, s_form, recorded_surname.joined, freqs),
                    _SURNAME_TEXT[s_level],
                ),
                FieldResult(
                    "first_name",
                    str(g_level),
                    _given_weight(g_level, t_first, r_first, freqs),
                    _GIVEN_TEXT[g_level],
                ),
            ]
            if m_level is not None:
                fields.append(
                    FieldResult(
                        "middle_name", str(m_level), MIDDLE_WEIGHTS[m_level], _MIDDLE_TEXT[m_level]
                    )
                )
            label = reading.label if not source else f"{reading.label}, against an alias"
            if reading.weight or source or reading.label != "as typed":
                fields.append(
                    FieldResult(
                        "name_reading",
                        "alias" if source else "reading",
                        reading.weight,
                        f"Names compared {label}.",
                    )
                )
            total = base + sum(f.weight for f in fields)
            if best is None or total > best.score:
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
                    via_alias_given=alias_given,
                    reading=label,
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
            reading="",
        )
    return best


_DOB_SLIPS = (
    DobAgreement.TRANSPOSED,
    DobAgreement.ONE_DIGIT,
    DobAgreement.YEAR_OFF,
    DobAgreement.DAY_APART,
)
_GIVEN_FOR_MATCH = (Level.EXACT, Level.NICKNAME, Level.MIDDLE_AS_FIRST, Level.PHONETIC, Level.TYPO)
_NAME_CONFLICTS = (Level.DIFFERENT, Level.MISSING)


def _ceiling(s: Scored) -> tuple[Outcome, str]:
    """The best outcome the safety rules allow for a candidate, and why, in plain English."""
    number_agrees = s.case_number in (Level.EXACT, Level.CLOSE)
    if s.dob in (DobAgreement.DIFFERENT, DobAgreement.MISSING) and not number_agrees:
        return "no_match", "The date of birth does not agree and no case number agrees."
    if s.given_level in _NAME_CONFLICTS and not number_agrees:
        return "no_match", "The first name does not agree and no case number agrees."
    if s.surname_level in _NAME_CONFLICTS and not number_agrees:
        if _married_name_pattern(s):
            return "possible", (
                "The first and middle names and the date of birth agree but the surname "
                "differs (a surname changed by marriage?): staff should check."
            )
        return "no_match", "The surname does not agree and no case number agrees."
    if s.dob != DobAgreement.EXACT and s.case_number != Level.EXACT:
        if not _slip_names_fit(s):
            return "possible", "The date of birth is close but not the same: staff should check."
        if s.name_held_elsewhere is None:
            return "possible", _SLIP_TOO_COMMON
        if s.name_held_elsewhere:
            return "possible", (
                "The date of birth is close but not the same, and other people are recorded "
                "under this name: staff should check."
            )
    if s.dob in (DobAgreement.DIFFERENT, DobAgreement.MISSING):
        return "possible", "Only the case number ties this case to the person: staff should check."
    if s.given_level not in _GIVEN_FOR_MATCH:
        return "possible", "The first name agrees only by its initial: staff should check."
    if s.given_level == Level.TYPO and s.given_names_both_real:
        return "possible", (
            "The first names typed and recorded are close but each is a real name: "
            "staff should check."
        )
    middle_weight = MIDDLE_WEIGHTS[s.middle_level] if s.middle_level else 0.0
    floor = MIDDLE_AS_FIRST_MIN_BITS if s.given_level == Level.MIDDLE_AS_FIRST else 0.0
    if s.given_weight + middle_weight <= floor and s.case_number != Level.EXACT:
        return "possible", (
            "The first name agrees only as a common nickname or middle name, which says "
            "little: staff should check."
        )
    if s.middle_level == Level.DIFFERENT and s.case_number != Level.EXACT:
        return "possible", "The middle names differ: staff should check."
    if s.surnames_both_real and s.case_number != Level.EXACT:
        return "possible", (
            "The surnames typed and recorded sound alike but each is a real surname: "
            "staff should check."
        )
    if s.via_alias_given:
        return "possible", (
            "The first name agrees only with an alias recorded on the case: staff should check."
        )
    if s.surname_level in _NAME_CONFLICTS and s.case_number != Level.EXACT:
        return "possible", "The surname differs: staff should check."
    return "match", ""


def _married_name_pattern(s: Scored) -> bool:
    """The whole given name (first and middle, in full) and the date of birth agree exactly
    while the surname differs: how a case recorded before or after a marriage looks."""
    return (
        s.surname_level == Level.DIFFERENT
        and s.given_level == Level.EXACT
        and s.middle_level == Level.EXACT
        and s.dob == DobAgreement.EXACT
        and not s.via_alias_given
    )


def slip_may_match(s: Scored, *, match_threshold: float, total_cases: int) -> bool:
    """Whether a slip in the date of birth could make this candidate a `match`, so that the
    engine should look for other people recorded under the same name (`name_held_elsewhere`).

    Never in a database under SLIP_MATCH_MIN_CASES cases: how rare a name is cannot be told
    from so few (the smoothing prior would call JOSE GARCIA rare).
    """
    return (
        total_cases >= SLIP_MATCH_MIN_CASES
        and s.score >= match_threshold + SLIP_MATCH_MARGIN
        and _slip_names_fit(s)
    )


def _slip_names_fit(s: Scored) -> bool:
    """Whether the names agree well enough for a slip in the date of birth to be a `match`:
    the whole name as recorded (surname spelled alike, the same first name, no middle name that
    differs), read as typed. At most SLIP_MATCH_MAX_NAMESAKES others may be recorded under it
    (`name_held_elsewhere`, in `_ceiling`), and the score must clear the threshold by
    SLIP_MATCH_MARGIN (in `decide`).
    """
    return (
        s.dob in _DOB_SLIPS
        and s.case_number == Level.MISSING
        and s.surname_level in (Level.EXACT, Level.SPACING)
        and s.given_level == Level.EXACT
        and s.middle_level != Level.DIFFERENT
        and not s.via_alias_given
        and s.reading == "as typed"
    )


_SAME_SURNAME = (Level.EXACT, Level.SPACING, Level.PARTIAL, Level.PHONETIC, Level.TYPO)
_SAME_GIVEN = (Level.EXACT, Level.NICKNAME, Level.PHONETIC)


def _recorded_alike(a: CandidateRecord, b: CandidateRecord, *, common_name: bool = False) -> bool:
    """Whether two cases are recorded as one person's: the same CII number when both record one
    (a different CII is a different person, whatever the names); otherwise the same date of
    birth, and first name and surname agreeing as a typed name would (spelling, double surname,
    nickname), or the same two names with first and last swapped. For a name so common that
    another person of that name born that day is to be expected (`common_name`), the same full
    middle name must be recorded on both too."""
    if a.cii_number and b.cii_number:
        return a.cii_number == b.cii_number
    if a.date_of_birth != b.date_of_birth:
        return False
    if common_name:
        middle_a, middle_b = normalize_name(a.middle_name), normalize_name(b.middle_name)
        if not middle_a or middle_a != middle_b or len(middle_a[0]) < 2:
            return False
    first_a = given_names(a.first_name)[:1]
    first_b = given_names(b.first_name)[:1]
    if not first_a or not first_b:
        return False
    surname_a, surname_b = surname(a.last_name), surname(b.last_name)
    if {first_a[0], *surname_a.parts} == {first_b[0], *surname_b.parts}:
        return True
    level = compare_given(first_a, first_b)[0]
    both_real = is_known_given_name(first_a[0]) and is_known_given_name(first_b[0])
    if level not in _SAME_GIVEN and not (level == Level.TYPO and not both_real):
        return False
    return compare_surname(surname_a, surname_b)[0] in _SAME_SURNAME


def _how_found(by_number: bool) -> str:
    return "whose number the person typed" if by_number else "which fits the details typed"


def _tied_reason(anchor: CandidateRecord, outcome: Outcome, by_number: bool) -> str:
    how = _how_found(by_number)
    reason = f"Recorded under the same name and date of birth as case {anchor.case_number}, {how}"
    return f"{reason}." if outcome == "match" else f"{reason}: staff should check."


def _same_given_and_birth(a: CandidateRecord, b: CandidateRecord) -> bool:
    """The same date of birth and first name (a nickname, the same sound, or a slip in one of
    them), whatever the surnames, and no middle names that differ."""
    given_a = given_names(a.first_name, a.middle_name)
    given_b = given_names(b.first_name, b.middle_name)
    if a.date_of_birth != b.date_of_birth or not given_a or not given_b:
        return False
    first, middle, _ = compare_given(given_a, given_b)
    if middle == Level.DIFFERENT:
        return False
    if first == Level.TYPO:
        return not (is_known_given_name(given_a[0]) and is_known_given_name(given_b[0]))
    return first in (Level.EXACT, Level.NICKNAME, Level.PHONETIC)


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
    provisional: list[tuple[Scored, Outcome, str]] = []
    dropped: list[Scored] = []
    for s in ranked:
        ceiling, reason = _ceiling(s)
        slip = s.dob in _DOB_SLIPS and ceiling == "match"
        if ceiling == "no_match" or s.score < possible_threshold:
            dropped.append(s)
        elif ceiling == "match" and s.score >= match_threshold + (SLIP_MATCH_MARGIN if slip else 0):
            provisional.append((s, "match", ""))
        elif slip:
            provisional.append((s, "possible", _SLIP_TOO_COMMON))
        else:
            reason = reason if ceiling != "match" else "The score is below the match threshold."
            provisional.append((s, "possible", reason))
    # A slip in the date of birth is a `match` only when nothing fits the date as typed: beside a
    # case that does, it is more likely a namesake's (or a recording error staff should see).
    if any(o == "match" and s.dob == DobAgreement.EXACT for s, o, _ in provisional):
        provisional = [
            (s, "possible", _SLIP_BESIDE_EXACT)
            if o == "match" and s.dob in _DOB_SLIPS and s.case_number == Level.MISSING
            else (s, o, r)
            for s, o, r in provisional
        ]

    # A case that fits what was typed ties in the person's other cases recorded under the very
    # same name and date of birth (the middle name typed as the first, a surname no longer
    # used): they are the same person's, with the same outcome. Cases with the same first name
    # and date of birth under another surname come too, for staff.
    kept = [(s.record, outcome, s.case_number == Level.EXACT) for s, outcome, _ in provisional]
    kept.sort(key=lambda item: item[1] != "match")
    # Tied-in cases are shown with their anchor and are never a rival to it.
    tied: set[int] = set()
    # A case under a surname the person no longer uses, which a matching case ties in, is a
    # match rather than one for staff.
    for index, (s, outcome, _) in enumerate(provisional):
        if outcome != "possible" or not _married_name_pattern(s):
            continue
        found = next(
            (
                k
                for k in kept
                if k[1] == "match"
                and k[0] is not s.record
                and _recorded_alike(k[0], s.record, common_name=common)
            ),
            None,
        )
        if found is not None:
            provisional[index] = (s, "match", _tied_reason(*found))
            tied.add(s.record.case_id)
    for s in dropped:
        found = next((k for k in kept if _recorded_alike(k[0], s.record, common_name=common)), None)
        if found is not None:
            provisional.append((s, found[1], _tied_reason(*found)))
            tied.add(s.record.case_id)
            continue
        found = common and next((k for k in kept if _recorded_alike(k[0], s.record)), None)
        if found:
            reason = (
                f"Recorded under the same name and date of birth as case {found[0].case_number}, "
                "but the name is common enough to be another person's: staff should check."
            )
            provisional.append((s, "possible", reason))
            tied.add(s.record.case_id)
            continue
        # The same first name and date of birth under another surname (a marriage, or a
        # surname recorded wrongly) beside a case that fits: for staff, never a match alone.
        found = next((k for k in kept if _same_given_and_birth(k[0], s.record)), None)
        if found is not None:
            reason = (
                f"Recorded with the same first name and date of birth as case "
                f"{found[0].case_number}, {_how_found(found[2])}, but under another surname: "
                "staff should check."
            )
            provisional.append((s, "possible", reason))
            tied.add(s.record.case_id)
    provisional.sort(key=lambda item: (-item[0].score, item[0].record.case_id))

    matches = [s for s, outcome, _ in provisional if outcome == "match"]
    ambiguity = ""
    if matches:
        best = matches[0]
        for s, outcome, _ in provisional:
            close = outcome == "match" or s.score >= best.score - AMBIGUITY_MARGIN
            if s.record.case_id in tied:
                continue
            if close and not _recorded_alike(best.record, s.record, common_name=common):
                ambiguity = (
                    "Cases of more than one person fit these details: staff should decide "
                    "which, if any, is this person's."
                )
                break

    decisions = []
    for s, outcome, reason in provisional:
        if outcome == "match" and ambiguity:
            outcome, reason = "possible", ambiguity
        summary = _summary(s, outcome, reason)
        decisions.append(Decision(s, outcome, s.as_explanation(summary)))
    if any(d.outcome == "match" for d in decisions):
        overall: Outcome = "match"
    elif decisions:
        overall = "possible"
    else:
        overall = "no_match"
    return overall, decisions


def _summary(s: Scored, outcome: Outcome, reason: str) -> str:
    agreed = [f.field.replace("_", " ") for f in s.fields if f.weight > 0]
    head = {
        "match": "Match: safe to tell the person this is their case.",
        "possible": "Possible match: needs staff review.",
        "no_match": "Not a match.",
    }[outcome]
    parts = [head, f"Score {s.score:.1f}."]
    if agreed:
        parts.append("Agreeing: " + ", ".join(agreed) + ".")
    if s.reading and s.reading != "as typed":
        parts.append(f"Names compared {s.reading}.")
    if reason:
        parts.append(reason)
    return " ".join(parts)
