"""The safety rules: the best outcome a candidate may have, whatever its score.

The score alone never tells a person "yes". Each rule below is a named test of a scored
candidate with the outcome it allows at most and the reason staff read; `SAFETY_RULES` lists them
in the order they apply, and the first that applies sets the candidate's ceiling (`ceiling`).
docs/matching.md lists them from this table. In short:
- `match` needs the exact date of birth, or the typed case number, or a slip in the date (day
  and month swapped, one digit, the year one off, a day apart across a month's end) with the
  whole name as recorded (surname, first name, no differing middle name) when that name is
  rare: the score clears the match threshold by SLIP_MATCH_MARGIN, the database is large enough
  to tell rare names (SLIP_MATCH_MIN_CASES), at most SLIP_MATCH_MAX_NAMESAKES other people are
  recorded under the name (the engine looks: `name_held_elsewhere`), and no case fits the typed
  date exactly (decide.py). Otherwise a slip makes at most `possible`: a namesake born a few
  days or a decade apart looks exactly like a typo (Los Angeles has hundreds of JOSE GARCIAs);
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
  birth agreeing exactly under another surname (a marriage) make it `possible`.
Pure: no database.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .compare import GIVEN_FOR_MATCH, NAME_CONFLICTS, Level
from .dates import DobAgreement
from .readings import Reading
from .types import Outcome
from .weights import DAY_SHARE, MIDDLE_WEIGHTS, SLIP_DATES, SLIP_M, Scored

DOB_SLIPS = (
    DobAgreement.TRANSPOSED,
    DobAgreement.ONE_DIGIT,
    DobAgreement.YEAR_OFF,
    DobAgreement.DAY_APART,
)
_DOB_CONFLICTS = (DobAgreement.DIFFERENT, DobAgreement.MISSING)
# A middle name typed as the first (DAVID for MICHAEL DAVID BISHOP) is how a twin brother with
# that first name would look too: it must say at least this much for the person (with the
# middle name typed, if any) before it can be a match.
MIDDLE_AS_FIRST_MIN_BITS = 1.0
# A slip in the date of birth, with no case number, reaches `match` only with a score this many
# bits above the match threshold: the name must be rare enough that a namesake born one slip
# away is unlikely (see benchmarks/matching_eval.py for what this costs and buys).
SLIP_MATCH_MARGIN = 2.0
SLIP_MATCH_MIN_CASES = 25_000
# ... and the people recorded under the name with other dates of birth must make a namesake
# born on a date that slip could come from this many times less likely than the slip itself:
# at most m / (SLIP_NAMESAKE_ODDS × dates × DAY_SHARE) other holders (`slip_namesakes_allowed`):
# 12 for day and month swapped (one date), 1 for one digit (35 dates), 3 for the year or a day.
# The count is over the whole database, so a larger one allows a name fewer namesakes' worth.
SLIP_NAMESAKE_ODDS = 20


def slip_namesakes_allowed(slip: DobAgreement) -> int:
    """How many other people may be recorded under the name for this slip to be a match."""
    return int(SLIP_M[slip] / (SLIP_NAMESAKE_ODDS * SLIP_DATES[slip] * DAY_SHARE))


SLIP_MATCH_MAX_NAMESAKES = max(slip_namesakes_allowed(slip) for slip in SLIP_M)
SLIP_TOO_COMMON = (
    "The date of birth is close but not the same, and the name is not rare enough to rule out "
    "a namesake born that close: staff should check."
)


@dataclass(frozen=True)
class SafetyRule:
    """When `applies` to a candidate, the candidate is at most `outcome`; staff read `reason`."""

    name: str
    outcome: Outcome
    reason: str
    applies: Callable[[Scored], bool]


def _rule(outcome: Outcome, reason: str) -> Callable[[Callable[[Scored], bool]], SafetyRule]:
    """Make the decorated test a SafetyRule named after it."""

    def make(applies: Callable[[Scored], bool]) -> SafetyRule:
        return SafetyRule(name=applies.__name__, outcome=outcome, reason=reason, applies=applies)

    return make


def married_name_pattern(s: Scored) -> bool:
    """The whole given name (first and middle, in full) and the date of birth agree exactly
    while the surname differs: how a case recorded before or after a marriage looks."""
    return (
        s.surname_level == Level.DIFFERENT
        and s.given_level == Level.EXACT
        and s.middle_level == Level.EXACT
        and s.dob == DobAgreement.EXACT
        and not s.via_alias_given
    )


def slip_names_fit(s: Scored) -> bool:
    """Whether the names agree well enough for a slip in the date of birth to be a `match`:
    the whole name as recorded (surname spelled alike, the same first name, no middle name that
    differs), read as typed. At most SLIP_MATCH_MAX_NAMESAKES others may be recorded under it
    (`name_held_elsewhere`, in the rules below), and the score must clear the threshold by
    SLIP_MATCH_MARGIN (in `decide`).
    """
    return (
        s.dob in DOB_SLIPS
        and s.case_number == Level.MISSING
        and s.surname_level in (Level.EXACT, Level.SPACING)
        and s.given_level == Level.EXACT
        and s.middle_level != Level.DIFFERENT
        and not s.via_alias_given
        and s.reading is Reading.AS_TYPED
        and not s.against_alias
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
        and slip_names_fit(s)
    )


def _number_agrees(s: Scored) -> bool:
    return s.case_number in (Level.EXACT, Level.CLOSE)


def _slip_without_number(s: Scored) -> bool:
    return s.dob != DobAgreement.EXACT and s.case_number != Level.EXACT


def _near(s: Scored) -> bool:
    return Level.NEAR in (s.given_level, s.surname_level)


def _rest_exact_beside_near(s: Scored) -> bool:
    """Beside a name one or two letters off, the date of birth and the other name are exact."""
    if s.dob != DobAgreement.EXACT or s.given_level == s.surname_level == Level.NEAR:
        return False
    if s.given_level == Level.NEAR:
        return s.surname_level in (Level.EXACT, Level.SPACING)
    return s.given_level == Level.EXACT


# --- the rules, each with the outcome it allows at most and its reason ---------------------


@_rule("no_match", "The date of birth does not agree and no case number agrees.")
def birth_date_conflicts(s: Scored) -> bool:
    return s.dob in _DOB_CONFLICTS and not _number_agrees(s)


@_rule("no_match", "The first name does not agree and no case number agrees.")
def first_name_conflicts(s: Scored) -> bool:
    return s.given_level in NAME_CONFLICTS and not _number_agrees(s)


@_rule(
    "possible",
    "The first and middle names and the date of birth agree but the surname differs (a "
    "surname changed by marriage?): staff should check.",
)
def surname_changed_by_marriage(s: Scored) -> bool:
    return s.surname_level in NAME_CONFLICTS and not _number_agrees(s) and married_name_pattern(s)


@_rule("no_match", "The surname does not agree and no case number agrees.")
def surname_conflicts(s: Scored) -> bool:
    return s.surname_level in NAME_CONFLICTS and not _number_agrees(s)


@_rule(
    "no_match",
    "A name is one or two letters off, and the date of birth or the other name is not exact.",
)
def name_letters_off_and_more_differs(s: Scored) -> bool:
    return _near(s) and not _number_agrees(s) and not _rest_exact_beside_near(s)


@_rule(
    "possible",
    "A name is one or two letters off (the date of birth and the other name are exact): staff "
    "should check.",
)
def name_letters_off(s: Scored) -> bool:
    """SARAA for SARA, STUBX for STUBBS, ADA for ADAM: found, never a match on its own."""
    return _near(s) and s.case_number != Level.EXACT


@_rule("possible", "The date of birth is close but not the same: staff should check.")
def birth_date_slip(s: Scored) -> bool:
    """A date that is not the typed one, without the typed case number, and names that do not
    fit well enough for a slip to be a match (`slip_names_fit`)."""
    return _slip_without_number(s) and not slip_names_fit(s)


@_rule("possible", SLIP_TOO_COMMON)
def birth_date_slip_name_not_checked(s: Scored) -> bool:
    """The engine has not looked for other people under the name (the score was too low for a
    slip to match, or the database too small to tell a rare name)."""
    return _slip_without_number(s) and slip_names_fit(s) and s.name_held_elsewhere is None


@_rule(
    "possible",
    "The date of birth is close but not the same, and other people are recorded under this "
    "name: staff should check.",
)
def birth_date_slip_name_held_elsewhere(s: Scored) -> bool:
    return _slip_without_number(s) and slip_names_fit(s) and bool(s.name_held_elsewhere)


@_rule("possible", "Only the case number ties this case to the person: staff should check.")
def only_the_case_number_agrees(s: Scored) -> bool:
    return s.dob in _DOB_CONFLICTS and _number_agrees(s)


@_rule("possible", "The first name agrees only by its initial: staff should check.")
def first_name_initial_only(s: Scored) -> bool:
    """An initial (or, with the case number, a first name that does not agree at all)."""
    return s.given_level not in GIVEN_FOR_MATCH


@_rule(
    "possible",
    "The first names typed and recorded are close but each is a real name: staff should check.",
)
def first_names_both_real(s: Scored) -> bool:
    """MARTIN and MARVIN: one letter apart, but each a name of its own, so not a typo."""
    return s.given_level == Level.TYPO and s.given_names_both_real


@_rule(
    "possible",
    "The first names typed and recorded sound alike but each is a real name (a twin's could "
    "be the other): staff should check.",
)
def first_names_sound_alike_both_real(s: Scored) -> bool:
    """ANDRE and ANDREW, JOEL and JULIO: they sound alike, but each is a name of its own, so the
    one typed is as likely a brother's or a namesake's as a slip (the first names' form of
    `surnames_both_real`; `first_names_both_real` is the same for a typing slip). A middle name
    that agrees exactly (MARTA MARIA typed, MARTHA MARIA recorded) tells the person from a brother
    or a namesake, as it does for a name in the other language (`first_names_two_languages`)."""
    return (
        s.given_level == Level.PHONETIC
        and s.given_names_both_real
        and s.middle_level != Level.EXACT
        and s.case_number != Level.EXACT
    )


@_rule(
    "possible",
    "The first name typed is the middle name recorded (or the reverse), as a twin's first name "
    "could be: staff should check.",
)
def first_name_is_recorded_middle(s: Scored) -> bool:
    """JORGE for FRANCISCO JORGE: the person going by the middle name, or a twin named JORGE.
    Typing both names (JORGE FRANCISCO) tells them apart (Level.OTHER_ORDER); so does another
    of the person's cases recorded with the name typed (decide.py promotes this one then)."""
    return s.given_level == Level.MIDDLE_AS_FIRST and s.case_number != Level.EXACT


@_rule(
    "possible",
    "The first names typed and recorded are one name in two languages, each a name of its own "
    "(a twin could have the other): staff should check.",
)
def first_names_two_languages(s: Scored) -> bool:
    """HENRY for ENRIQUE, with no middle name that agrees and no case number."""
    return s.given_two_languages and s.middle_level != Level.EXACT and s.case_number != Level.EXACT


@_rule(
    "possible",
    "The first name agrees only as a common nickname or middle name, which says little: "
    "staff should check.",
)
def first_name_says_little(s: Scored) -> bool:
    """The first name (with the middle name) says no more for this person than for a brother or
    sister with the same surname and date of birth."""
    middle_weight = MIDDLE_WEIGHTS[s.middle_level] if s.middle_level else 0.0
    floor = MIDDLE_AS_FIRST_MIN_BITS if s.given_level == Level.MIDDLE_AS_FIRST else 0.0
    return s.given_weight + middle_weight <= floor and s.case_number != Level.EXACT


@_rule("possible", "The middle names differ: staff should check.")
def middle_names_differ(s: Scored) -> bool:
    return s.middle_level == Level.DIFFERENT and s.case_number != Level.EXACT


@_rule(
    "possible",
    "The surnames typed and recorded sound alike but each is a real surname: staff should check.",
)
def surnames_both_real(s: Scored) -> bool:
    """KERR and CARR: they sound alike, but each is a surname of its own."""
    return s.surnames_both_real and s.case_number != Level.EXACT


@_rule(
    "possible", "The first name agrees only with an alias recorded on the case: staff should check."
)
def first_name_only_an_alias(s: Scored) -> bool:
    return s.via_alias_given


@_rule("possible", "The surname differs: staff should check.")
def surname_differs(s: Scored) -> bool:
    """A different surname with a case number one character off."""
    return s.surname_level in NAME_CONFLICTS and s.case_number != Level.EXACT


# In the order they apply: the first rule that applies sets the ceiling.
SAFETY_RULES: tuple[SafetyRule, ...] = (
    birth_date_conflicts,
    first_name_conflicts,
    surname_changed_by_marriage,
    surname_conflicts,
    name_letters_off_and_more_differs,
    name_letters_off,
    birth_date_slip,
    birth_date_slip_name_not_checked,
    birth_date_slip_name_held_elsewhere,
    only_the_case_number_agrees,
    first_name_initial_only,
    first_names_both_real,
    first_names_sound_alike_both_real,
    first_name_is_recorded_middle,
    first_names_two_languages,
    first_name_says_little,
    middle_names_differ,
    surnames_both_real,
    first_name_only_an_alias,
    surname_differs,
)


@dataclass(frozen=True)
class Ceiling:
    """The best outcome the safety rules allow a candidate, the rule that set it and its reason
    (none for `match`)."""

    outcome: Outcome
    rule: SafetyRule | None = None

    @property
    def reason(self) -> str:
        return self.rule.reason if self.rule else ""


NO_CEILING = Ceiling("match")


def ceiling(s: Scored) -> Ceiling:
    """The first safety rule that applies to the candidate, or no ceiling below `match`."""
    for rule in SAFETY_RULES:
        if rule.applies(s):
            return Ceiling(rule.outcome, rule)
    return NO_CEILING
