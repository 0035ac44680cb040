"""The Los Angeles County District Attorney's Proposition 64 review criteria, as pure functions.

Each Los Angeles conviction under HS 11357-11360 is decided by the first of thirteen rules that
applies (see RULES). A fact may be unknown (the person said "I don't know", a partner's record
has no date): three-valued logic carries it, with None for "cannot tell". When a rule may or may
not apply, the case is decided both ways; if both ways end in the same outcome that outcome
stands, otherwise the answer is hand review with a reason naming what we could not tell. So an
unknown answer never turns into a confident "yes".

Unknowns that the rules cannot tie together (a section not known is both "maybe 11357(a)" and
"maybe 11359") are treated as independent, which can only add hand reviews, never a false yes.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from eligibility.codes import CodeSection, is_pc290_registrable, is_super_strike

Tri = bool | None  # True, False, or None: cannot tell

PROP64_EFFECTIVE = date(2016, 11, 9)
RECENT_YEARS = 10
OLDER_AGE = 50
YOUNGER_AGE = 21
SAME_SECTION_LIMIT = 2


class Outcome(StrEnum):
    DISMISS = "dismiss"
    NOT_ELIGIBLE = "not_eligible"
    HAND_REVIEW = "hand_review"
    CITY_ATTORNEY = "city_attorney"


OUTCOME_LABELS = {
    Outcome.DISMISS: _("Likely to be dismissed"),
    Outcome.NOT_ELIGIBLE: _("Not likely to qualify"),
    Outcome.HAND_REVIEW: _("Needs a closer look"),
    Outcome.CITY_ATTORNEY: _("Reviewed by the City Attorney"),
}


# --- Three-valued logic ----------------------------------------------------------


def t_not(value: Tri) -> Tri:
    return None if value is None else not value


def t_and(*values: Tri) -> Tri:
    if any(value is False for value in values):
        return False
    return True if all(value is True for value in values) else None


def t_or(*values: Tri) -> Tri:
    if any(value is True for value in values):
        return True
    return False if all(value is False for value in values) else None


def t_any(values: Iterable[Tri]) -> Tri:
    return t_or(False, *values)


def t_all(values: Iterable[Tri]) -> Tri:
    return t_and(True, *values)


def t_at_least(count: int, values: Iterable[Tri]) -> Tri:
    values = list(values)
    if sum(value is True for value in values) >= count:
        return True
    return False if sum(value is not False for value in values) < count else None


# --- Facts -----------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """When a case was decided: a day, a year (any day in it), or unknown (None, None)."""

    earliest: date | None = None
    latest: date | None = None

    @classmethod
    def on(cls, day: date | None) -> "When":
        return cls(day, day)

    @classmethod
    def in_year(cls, year: int | None) -> "When":
        if year is None:
            return cls()
        return cls(date(year, 1, 1), date(year, 12, 31))

    def on_or_after(self, day: date) -> Tri:
        if self.earliest is not None and self.earliest >= day:
            return True
        if self.latest is not None and self.latest < day:
            return False
        return None

    def before(self, other: "When") -> Tri:
        if self.latest is not None and other.earliest is not None and self.latest < other.earliest:
            return True
        if self.earliest is not None and other.latest is not None and self.earliest >= other.latest:
            return False
        return None


@dataclass(frozen=True)
class Conviction:
    id: str
    # None: a cannabis conviction whose section the person does not know.
    code: CodeSection | None
    los_angeles: Tri
    felony: Tri
    decided: When
    sentence_complete: Tri
    pc290_registration: Tri = False
    convicted: bool = True

    @property
    def prop64(self) -> bool:
        return self.code is None or self.code.is_prop64


@dataclass(frozen=True)
class Record:
    """A person's record as of a day. The `reported_*` and `other_*` facts are what the person
    told the questionnaire about convictions it does not list one by one; a partner's record
    lists every conviction, so they are False there."""

    as_of: date
    age: int | None
    convictions: tuple[Conviction, ...]
    deceased: Tri = False
    reported_super_strike: Tri = False
    reported_pc290: Tri = False
    other_convictions_ever: Tri = False
    other_convictions_recent: Tri = False
    still_serving: Tri = False

    @property
    def convicted(self) -> tuple[Conviction, ...]:
        return tuple(c for c in self.convictions if c.convicted)


@dataclass(frozen=True)
class Determination:
    conviction_id: str
    outcome: Outcome
    rule: int  # the rule that decided, or that we could not tell about (0: the county)
    reason: Promise | str
    sure: bool = True  # False: hand review because an answer we lack decides it

    @property
    def label(self) -> Promise:
        return OUTCOME_LABELS[self.outcome]


def _others(record: Record, this: Conviction) -> tuple[Conviction, ...]:
    return tuple(c for c in record.convicted if c.id != this.id)


def _recent_cutoff(as_of: date) -> date:
    try:
        return as_of.replace(year=as_of.year - RECENT_YEARS)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - RECENT_YEARS, day=28)


# --- The rules, in the District Attorney's order -------------------------------------


def _not_felony(this: Conviction, record: Record) -> Tri:
    return t_not(this.felony)


def _decided_after_prop64(this: Conviction, record: Record) -> Tri:
    return this.decided.on_or_after(PROP64_EFFECTIVE)


def _possession_a_or_b(this: Conviction, record: Record) -> Tri:
    if this.code is None:
        return None
    if this.code.base != "HS 11357":
        return False
    if not this.code.subsections:
        return None
    return this.code.subsections[0] in ("a", "b")


def _possession_other(this: Conviction, record: Record) -> Tri:
    return None if this.code is None else this.code.base == "HS 11357"


def _earlier(other: Conviction, this: Conviction) -> Tri:
    return other.decided.before(this.decided)


def _super_strike_earlier(this: Conviction, record: Record) -> Tri:
    listed = (
        t_and(False if c.code is None else is_super_strike(c.code), _earlier(c, this))
        for c in _others(record, this)
    )
    # The questionnaire cannot say when a reported conviction was: earlier is unknown.
    return t_or(t_any(listed), t_and(record.reported_super_strike, None))


def _pc290_earlier(this: Conviction, record: Record) -> Tri:
    listed = (
        t_and(
            t_or(
                c.pc290_registration,
                False if c.code is None else is_pc290_registrable(c.code),
            ),
            _earlier(c, this),
        )
        for c in _others(record, this)
    )
    return t_or(t_any(listed), t_and(record.reported_pc290, None))


def _same_section(other: Conviction, this: Conviction) -> Tri:
    if not other.prop64:
        return False
    if other.code is None or this.code is None:
        return None
    return other.code.base == this.code.base


def _two_earlier_same_section(this: Conviction, record: Record) -> Tri:
    return t_at_least(
        SAME_SECTION_LIMIT,
        (t_and(_same_section(c, this), _earlier(c, this)) for c in _others(record, this)),
    )


def _older(this: Conviction, record: Record) -> Tri:
    return None if record.age is None else record.age >= OLDER_AGE


def _younger(this: Conviction, record: Record) -> Tri:
    return None if record.age is None else record.age <= YOUNGER_AGE


def _only_prop64_all_complete(this: Conviction, record: Record) -> Tri:
    other_kinds = t_or(
        record.other_convictions_ever, record.reported_super_strike, record.reported_pc290
    )
    only_prop64 = t_and(t_not(other_kinds), all(c.prop64 for c in record.convicted))
    complete = t_and(
        t_not(record.still_serving), t_all(c.sentence_complete for c in record.convicted)
    )
    return t_and(only_prop64, complete)


def _nothing_recent(this: Conviction, record: Record) -> Tri:
    cutoff = _recent_cutoff(record.as_of) + timedelta(days=1)
    recent = (c.decided.on_or_after(cutoff) for c in record.convicted)
    return t_not(t_or(record.other_convictions_recent, t_any(recent)))


def _sentence_not_complete(this: Conviction, record: Record) -> Tri:
    return t_or(record.still_serving, t_any(t_not(c.sentence_complete) for c in record.convicted))


def _deceased(this: Conviction, record: Record) -> Tri:
    return record.deceased


def _otherwise(this: Conviction, record: Record) -> Tri:
    return True


@dataclass(frozen=True)
class Rule:
    number: int
    outcome: Outcome
    applies: Callable[[Conviction, Record], Tri]
    reason: Promise  # why, when the rule applies
    unsure: Promise  # why hand review, when an unknown decides whether it applies


RULES: tuple[Rule, ...] = (
    Rule(
        1,
        Outcome.CITY_ATTORNEY,
        _not_felony,
        _(
            "It was a misdemeanor. The District Attorney's review covered felonies: "
            "misdemeanors are reviewed by the City Attorney's office that handled the case."
        ),
        _("We do not know if it was a felony or a misdemeanor, and that decides who reviews it."),
    ),
    Rule(
        2,
        Outcome.NOT_ELIGIBLE,
        _decided_after_prop64,
        _(
            "The case was decided on or after November 9, 2016, when Proposition 64 took "
            "effect. This relief covers cases decided before that day."
        ),
        _(
            "We do not know if the case was decided before November 9, 2016. This relief "
            "covers cases decided before that day."
        ),
    ),
    Rule(
        3,
        Outcome.DISMISS,
        _possession_a_or_b,
        _(
            "Possession under Health and Safety Code section 11357(a) or (b) meets the "
            "District Attorney's criteria for dismissal."
        ),
        _(
            "We do not know the exact code section (for example 11357(a) or 11359), and it "
            "decides the answer."
        ),
    ),
    Rule(
        3,
        Outcome.HAND_REVIEW,
        _possession_other,
        _("Possession under another part of section 11357 is reviewed case by case."),
        _("We do not know the exact code section, and it decides the answer."),
    ),
    Rule(
        4,
        Outcome.NOT_ELIGIBLE,
        _super_strike_earlier,
        _(
            "An earlier conviction for a serious violent felony (a “super strike”, Penal Code "
            "667(e)(2)(C)(iv)) stops this relief under the District Attorney's criteria."
        ),
        _(
            "A serious violent felony (a “super strike”) stops this relief if it came before "
            "this conviction. Someone needs to check the record to be sure."
        ),
    ),
    Rule(
        5,
        Outcome.NOT_ELIGIBLE,
        _pc290_earlier,
        _(
            "An earlier conviction that requires sex offender registration (Penal Code 290), "
            "or an earlier registration, stops this relief under the District Attorney's "
            "criteria."
        ),
        _(
            "An offense that requires registration under Penal Code 290 stops this relief if "
            "it came before this conviction. Someone needs to check the record to be sure."
        ),
    ),
    Rule(
        6,
        Outcome.NOT_ELIGIBLE,
        _two_earlier_same_section,
        _(
            "There were two or more earlier cannabis convictions under the same section. "
            "That stops this relief under the District Attorney's criteria."
        ),
        _(
            "Two or more earlier cannabis convictions under the same section would stop "
            "this relief, and we cannot tell if there were."
        ),
    ),
    Rule(
        7,
        Outcome.DISMISS,
        _older,
        _("People aged 50 or older meet the District Attorney's criteria for dismissal."),
        _("We do not know the person's age, and it decides the answer."),
    ),
    Rule(
        8,
        Outcome.DISMISS,
        _younger,
        _("People aged 21 or younger meet the District Attorney's criteria for dismissal."),
        _("We do not know the person's age, and it decides the answer."),
    ),
    Rule(
        9,
        Outcome.DISMISS,
        _only_prop64_all_complete,
        _(
            "Every conviction on the record is a cannabis conviction covered by "
            "Proposition 64, and every sentence is finished: this meets the District "
            "Attorney's criteria for dismissal."
        ),
        _(
            "We cannot tell if every conviction on the record is a cannabis conviction with "
            "its sentence finished, and that decides the answer."
        ),
    ),
    Rule(
        10,
        Outcome.DISMISS,
        _nothing_recent,
        _(
            "There is no conviction of any kind in the last 10 years: this meets the "
            "District Attorney's criteria for dismissal."
        ),
        _(
            "We cannot tell if there was a conviction in the last 10 years, and that "
            "decides the answer."
        ),
    ),
    Rule(
        11,
        Outcome.HAND_REVIEW,
        _sentence_not_complete,
        _(
            "A sentence (probation, parole, jail or prison) is not finished yet, so the "
            "District Attorney's criteria send the case to a person for review."
        ),
        _("We do not know if every sentence is finished, so a person needs to review it."),
    ),
    Rule(
        12,
        Outcome.DISMISS,
        _deceased,
        _("The District Attorney's criteria dismiss convictions of people who have died."),
        _("A person needs to review the case."),
    ),
    Rule(
        13,
        Outcome.HAND_REVIEW,
        _otherwise,
        _(
            "None of the District Attorney's criteria for a quick answer fits, so a person "
            "needs to review the case."
        ),
        _("A person needs to review the case."),
    ),
)

UNKNOWN_COUNTY = _(
    "We do not know which county the conviction was in. This check covers Los Angeles County "
    "convictions only."
)


def _decide_from(this: Conviction, record: Record, start: int) -> Determination:
    for index in range(start, len(RULES)):
        rule = RULES[index]
        applies = rule.applies(this, record)
        if applies is False:
            continue
        if applies is True:
            return Determination(this.id, rule.outcome, rule.number, rule.reason)
        # Cannot tell: decide as if the rule did not apply; the outcome stands only if it is
        # the one the rule would give.
        otherwise = _decide_from(this, record, index + 1)
        if otherwise.outcome == rule.outcome:
            return otherwise
        return Determination(this.id, Outcome.HAND_REVIEW, rule.number, rule.unsure, sure=False)
    raise AssertionError("the last rule always applies")  # pragma: no cover


def conviction_decide(this: Conviction, record: Record) -> Determination:
    """The outcome for one Los Angeles (or maybe Los Angeles) Prop 64 conviction."""
    if this.los_angeles is None:
        return Determination(this.id, Outcome.HAND_REVIEW, 0, UNKNOWN_COUNTY, sure=False)
    return _decide_from(this, record, 0)


def is_decided_here(conviction: Conviction) -> bool:
    """Whether the criteria apply: a conviction under 11357-11360, not outside Los Angeles."""
    return conviction.convicted and conviction.prop64 and conviction.los_angeles is not False


def record_decide(record: Record) -> list[Determination]:
    """One determination per Los Angeles Prop 64 conviction of the record, in its order."""
    return [conviction_decide(c, record) for c in record.convictions if is_decided_here(c)]
