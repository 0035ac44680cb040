"""The District Attorney's thirteen rules, one table row at a time, then the rules that compete
and the unknown answers that must never become a confident yes."""

import itertools
from dataclasses import replace
from datetime import date

import pytest

from eligibility.codes import code_section_parse
from eligibility.rules import Conviction, Outcome, Record, When, record_decide

AS_OF = date(2025, 6, 1)
DISMISS, NOT_ELIGIBLE, HAND_REVIEW, CITY_ATTORNEY = (
    Outcome.DISMISS,
    Outcome.NOT_ELIGIBLE,
    Outcome.HAND_REVIEW,
    Outcome.CITY_ATTORNEY,
)


def conviction(
    id="this",
    code="HS 11359",
    *,
    la=True,
    felony=True,
    decided=date(2010, 5, 1),
    complete=True,
    pc290=False,
    convicted=True,
) -> Conviction:
    when = When.in_year(decided) if isinstance(decided, int) else When.on(decided)
    return Conviction(
        id=id,
        code=None if code is None else code_section_parse(code),
        los_angeles=la,
        felony=felony,
        decided=when,
        sentence_complete=complete,
        pc290_registration=pc290,
        convicted=convicted,
    )


def record(*others: Conviction, this: Conviction | None = None, age=35, **person) -> Record:
    this = this or conviction()
    return Record(as_of=AS_OF, age=age, convictions=(this, *others), **person)


def decide(rec: Record):
    """The determination for the conviction with id "this"."""
    return next(d for d in record_decide(rec) if d.conviction_id == "this")


# A recent non-cannabis conviction, so that rules 9 and 10 do not apply unless a row says so.
RECENT_OTHER = conviction("recent", "PC 459", la=False, decided=date(2020, 1, 1))

CASES = [
    # (name, record, outcome, rule)
    ("1 misdemeanor", record(this=conviction(felony=False)), CITY_ATTORNEY, 1),
    ("2 decided after Prop 64", record(this=conviction(decided=date(2017, 1, 3))), NOT_ELIGIBLE, 2),
    (
        "2 decided on the day Prop 64 took effect",
        record(this=conviction(decided=date(2016, 11, 9))),
        NOT_ELIGIBLE,
        2,
    ),
    (
        "2 does not apply the day before",
        record(RECENT_OTHER, this=conviction(decided=date(2016, 11, 8))),
        HAND_REVIEW,
        13,
    ),
    (
        "3 possession 11357(a)",
        record(RECENT_OTHER, this=conviction(code="HS 11357(a)")),
        DISMISS,
        3,
    ),
    ("3 possession 11357(b)(1)", record(this=conviction(code="11357(b)(1) HS")), DISMISS, 3),
    ("3 possession 11357(c)", record(this=conviction(code="HS 11357(c)")), HAND_REVIEW, 3),
    (
        "4 earlier murder",
        record(conviction("m", "PC 187(a)", la=False, decided=date(2001, 1, 1)), age=60),
        NOT_ELIGIBLE,
        4,
    ),
    (
        "4 earlier attempted murder (664/187)",
        record(conviction("m", "PC 664/187(a)", decided=date(2001, 1, 1))),
        NOT_ELIGIBLE,
        4,
    ),
    (
        "4 a later super strike does not count",
        record(conviction("m", "PC 187", decided=date(2015, 1, 1)), RECENT_OTHER),
        HAND_REVIEW,
        13,
    ),
    (
        "4 a super strike on the same day is not earlier",
        record(conviction("m", "PC 187", decided=date(2010, 5, 1)), RECENT_OTHER),
        HAND_REVIEW,
        13,
    ),
    (
        "4 a section on the list only when committed by force: hand review",
        record(conviction("s", "PC 261", decided=date(2001, 1, 1)), age=55),
        HAND_REVIEW,
        4,
    ),
    (
        "5 earlier registrable offence",
        record(conviction("x", "PC 314(1)", decided=date(2003, 2, 1)), age=55),
        NOT_ELIGIBLE,
        5,
    ),
    (
        "5 earlier registration ordered for another offence",
        record(conviction("x", "PC 459", decided=date(2003, 2, 1), pc290=True), age=55),
        NOT_ELIGIBLE,
        5,
    ),
    (
        "6 two earlier convictions under the same section, any county",
        record(
            conviction("p1", "HS 11359(a)", la=False, decided=date(2004, 1, 1)),
            conviction("p2", "HS 11359(b)", decided=date(2006, 1, 1)),
            age=55,
        ),
        NOT_ELIGIBLE,
        6,
    ),
    (
        "6 one earlier under the same section is not enough",
        record(conviction("p1", "HS 11359", decided=date(2004, 1, 1)), age=55),
        DISMISS,
        7,
    ),
    (
        "6 earlier convictions under another section do not count",
        record(
            conviction("p1", "HS 11360", decided=date(2004, 1, 1)),
            conviction("p2", "HS 11360", decided=date(2006, 1, 1)),
            age=55,
        ),
        DISMISS,
        7,
    ),
    (
        "6 a row that was not a conviction does not count",
        record(
            conviction("p1", "HS 11359", decided=date(2004, 1, 1)),
            conviction("p2", "HS 11359", decided=date(2006, 1, 1), convicted=False),
            age=55,
        ),
        DISMISS,
        7,
    ),
    ("7 aged 50", record(RECENT_OTHER, age=50), DISMISS, 7),
    ("8 aged 21", record(RECENT_OTHER, age=21), DISMISS, 8),
    ("9 only Prop 64 convictions, every sentence done", record(age=35), DISMISS, 9),
    (
        "9 and 10 do not apply: a recent conviction of another kind",
        record(RECENT_OTHER, age=35),
        HAND_REVIEW,
        13,
    ),
    (
        "10 no conviction in the last 10 years",
        record(conviction("old", "PC 459", decided=date(2005, 1, 1)), age=35),
        DISMISS,
        10,
    ),
    (
        "11 a sentence not finished",
        record(RECENT_OTHER, this=conviction(complete=False)),
        HAND_REVIEW,
        11,
    ),
    ("12 deceased", record(RECENT_OTHER, deceased=True), DISMISS, 12),
    ("13 otherwise", record(RECENT_OTHER), HAND_REVIEW, 13),
]


@pytest.mark.parametrize(
    ("rec", "outcome", "rule"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_decides_its_own_case(rec, outcome, rule):
    determination = decide(rec)
    assert (determination.outcome, determination.rule) == (outcome, rule)
    assert str(determination.reason)


COMPETING = [
    (
        "1 before 2: a misdemeanor decided after Prop 64 goes to the City Attorney",
        record(this=conviction(felony=False, decided=date(2018, 1, 1))),
        CITY_ATTORNEY,
        1,
    ),
    (
        "2 before 3: possession 11357(a) decided in 2017 is not eligible",
        record(this=conviction(code="HS 11357(a)", decided=date(2017, 2, 1))),
        NOT_ELIGIBLE,
        2,
    ),
    (
        "3 before 4: possession 11357(b) is dismissed despite an earlier super strike",
        record(
            conviction("m", "PC 187", decided=date(2001, 1, 1)),
            this=conviction(code="HS 11357(b)"),
        ),
        DISMISS,
        3,
    ),
    (
        "4 before 7: a person aged 60 with an earlier super strike is not eligible",
        record(conviction("m", "PC 187", decided=date(2001, 1, 1)), age=60),
        NOT_ELIGIBLE,
        4,
    ),
    (
        "4 or 5, same answer: PC 288 is on the 290 list whatever the child's age",
        record(conviction("x", "PC 288", decided=date(2001, 1, 1)), age=60),
        NOT_ELIGIBLE,
        5,
    ),
    (
        "6 before 8: aged 20 with two earlier 11360 convictions",
        record(
            conviction("p1", "HS 11360", decided=date(2004, 1, 1)),
            conviction("p2", "HS 11360", decided=date(2006, 1, 1)),
            this=conviction(code="HS 11360"),
            age=20,
        ),
        NOT_ELIGIBLE,
        6,
    ),
    (
        "7 before 11: aged 50 while still serving",
        record(RECENT_OTHER, this=conviction(complete=False), age=50),
        DISMISS,
        7,
    ),
    (
        "10 before 11: nothing recent, but a sentence of unknown end",
        record(
            conviction("old", "PC 459", decided=date(2005, 1, 1)),
            this=conviction(complete=None),
        ),
        DISMISS,
        10,
    ),
    (
        "11 before 12: deceased while a sentence was not finished",
        record(RECENT_OTHER, this=conviction(complete=False), deceased=True),
        HAND_REVIEW,
        11,
    ),
]


@pytest.mark.parametrize(
    ("rec", "outcome", "rule"), [c[1:] for c in COMPETING], ids=[c[0] for c in COMPETING]
)
def test_when_rules_compete_the_first_one_that_applies_decides(rec, outcome, rule):
    determination = decide(rec)
    assert (determination.outcome, determination.rule) == (outcome, rule)


UNKNOWN = [
    ("felony or misdemeanor not known", record(this=conviction(felony=None)), 1),
    ("decided in 2016, day not known", record(this=conviction(decided=2016)), 2),
    ("year not known", record(this=conviction(decided=None)), 2),
    ("section not known", record(this=conviction(code=None)), 3),
    ("possession, subsection not known", record(this=conviction(code="HS 11357")), 3),
    ("reported super strike, date not known", record(age=60, reported_super_strike=True), 4),
    ("not sure about a super strike", record(age=60, reported_super_strike=None), 4),
    ("not sure about PC 290", record(age=60, reported_pc290=None), 5),
    (
        "section of an earlier cannabis conviction not known",
        record(
            conviction("p1", None, decided=2004), conviction("p2", "HS 11359", decided=2005), age=60
        ),
        6,
    ),
    ("age not known", record(RECENT_OTHER, age=None), 7),
    (
        "not sure about other convictions",
        record(age=35, other_convictions_ever=None, other_convictions_recent=None),
        9,
    ),
]


@pytest.mark.parametrize(("rec", "rule"), [c[1:] for c in UNKNOWN], ids=[c[0] for c in UNKNOWN])
def test_an_unknown_answer_that_decides_the_outcome_means_hand_review(rec, rule):
    determination = decide(rec)
    assert (determination.outcome, determination.rule, determination.sure) == (
        HAND_REVIEW,
        rule,
        False,
    )
    assert (
        "know" in str(determination.reason)
        or "tell" in str(determination.reason)
        or "check" in str(determination.reason)
    )


def test_an_unknown_that_does_not_change_the_outcome_keeps_it():
    # Nothing in the last 10 years: dismissed at rule 10 whatever the age, so age unknown is fine.
    rec = record(conviction("old", "PC 459", decided=date(2005, 1, 1)), age=None)
    assert (decide(rec).outcome, decide(rec).rule, decide(rec).sure) == (DISMISS, 10, True)


def test_an_unknown_county_means_hand_review_and_another_county_gets_no_determination():
    rec = record(
        conviction("elsewhere", la=False), conviction("unknown", la=None), this=conviction()
    )
    by_id = {d.conviction_id: d for d in record_decide(rec)}
    assert set(by_id) == {"this", "unknown"}
    assert (by_id["unknown"].outcome, by_id["unknown"].rule) == (HAND_REVIEW, 0)


def test_only_convictions_under_11357_to_11360_get_a_determination():
    rec = record(conviction("burglary", "PC 459"), conviction("acquitted", convicted=False))
    assert [d.conviction_id for d in record_decide(rec)] == ["this"]


# Every way an unknown could be filled in. A sure outcome must be the outcome of each of them.
FILL_INS = {
    "felony": (True, False),
    "complete": (True, False),
    "decided": (When.on(date(2016, 6, 1)), When.on(date(2016, 12, 1))),
    "age": (20, 35, 55),
    "other_recent": (True, False),
}


@pytest.mark.parametrize(
    "unknowns", [combo for n in (1, 2, 3) for combo in itertools.combinations(sorted(FILL_INS), n)]
)
def test_no_unknown_answer_ever_becomes_a_confident_answer_the_facts_could_contradict(unknowns):
    def build(values: dict) -> Record:
        this = replace(
            conviction(),
            felony=values.get("felony", True),
            sentence_complete=values.get("complete", True),
            decided=values.get("decided", When.on(date(2010, 1, 1))),
        )
        return Record(
            as_of=AS_OF,
            age=values.get("age", 35),
            convictions=(this, conviction("other", "PC 459", decided=date(2019, 1, 1))),
            other_convictions_recent=values.get("other_recent", False),
        )

    partial = {name: None for name in unknowns}
    partial["decided"] = When.in_year(2016) if "decided" in unknowns else None
    partial = {k: v for k, v in partial.items() if not (k == "decided" and v is None)}
    estimate = decide(build(partial))
    outcomes = {
        decide(build(dict(zip(unknowns, values, strict=True)))).outcome
        for values in itertools.product(*(FILL_INS[name] for name in unknowns))
    }
    if estimate.sure:
        assert outcomes == {estimate.outcome}
    else:
        assert estimate.outcome == HAND_REVIEW and len(outcomes) > 1
