"""A labelled evaluation set for the matching engine, and its figures.

Positives: people whose cases are loaded, typing their details the way people do; each way is a
named function below (`POSITIVE_KINDS`). Negatives: people who are not in the batches but look
like someone who is (`NEGATIVE_KINDS`): strangers, the same name with another date of birth, a
twin (same surname and date of birth, another given name), the same surname born near, and a
common name born near. Pure: people in (cases.demo.DemoPerson), queries and figures out; the
driver that loads the cases and runs the engine is benchmarks/matching_eval.py.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from cases.matching.names import are_nicknames
from cases.matching.normalize import SURNAME_PARTICLES, fold
from cases.matching.types import MatchResult, PersonQuery
from cases.normalize import case_normalize_number, strip_accents


@dataclass(frozen=True)
class EvalQuery:
    query_id: str
    kind: str
    positive: bool
    query: PersonQuery
    # Normalized case numbers of the person's cases; empty for negatives.
    truth: frozenset[str] = frozenset()
    # The person's group for the fairness table (harder.py); "" when not grouped.
    group: str = ""


def _identity(first: str, last: str, dob: date) -> tuple[str, str, date]:
    return (fold(first).split(" ")[0], fold(last).replace(" ", ""), dob)


def _identities(first: str, last: str, dob: date) -> set[tuple[str, str, date]]:
    """The identity and the ones a person may go by: each part of a double surname alone."""
    given = fold(first).split(" ")[0]
    parts = [w for w in fold(last).split() if w not in SURNAME_PARTICLES]
    return {_identity(first, last, dob), *((given, part, dob) for part in parts)}


def _base(person) -> PersonQuery:
    return PersonQuery(
        first_name=person.first_name,
        middle_name=person.middle_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
    )


def _surname_words(person) -> list[str]:
    return person.last_name.split()


def _is_double(person) -> bool:
    words = _surname_words(person)
    return len(words) == 2 and fold(words[0]) not in SURNAME_PARTICLES


def _has_particle(person) -> bool:
    words = _surname_words(person)
    return len(words) >= 2 and fold(words[0]) in SURNAME_PARTICLES


# --- how a person types their details (positives) ---------------------------------------------


def typed_exact(person, rng: random.Random) -> PersonQuery | None:
    """As they write it: accents, capitals, the full surname."""
    return _base(person)


def typed_plain(person, rng: random.Random) -> PersonQuery | None:
    """Lower case without accents, as on a phone keyboard."""
    q = _base(person)
    return replace(
        q,
        first_name=strip_accents(q.first_name).lower(),
        middle_name=strip_accents(q.middle_name).lower(),
        last_name=strip_accents(q.last_name).lower(),
    )


def surname_hyphenated_or_joined(person, rng: random.Random) -> PersonQuery | None:
    if not _is_double(person):
        return None
    words = _surname_words(person)
    last = "-".join(words) if rng.random() < 0.6 else "".join(words)
    return replace(_base(person), last_name=last)


def first_surname_only(person, rng: random.Random) -> PersonQuery | None:
    if not _is_double(person):
        return None
    return replace(_base(person), last_name=_surname_words(person)[0])


def second_surname_only(person, rng: random.Random) -> PersonQuery | None:
    if not _is_double(person):
        return None
    return replace(_base(person), last_name=_surname_words(person)[1])


def particle_variant(person, rng: random.Random) -> PersonQuery | None:
    """De La Cruz typed as Delacruz, DE LA CRUZ or Cruz."""
    if not _has_particle(person):
        return None
    words = _surname_words(person)
    last = rng.choice(("".join(words), " ".join(words).upper(), words[-1]))
    return replace(_base(person), last_name=last)


def suffix_added(person, rng: random.Random) -> PersonQuery | None:
    q = _base(person)
    return replace(q, last_name=f"{q.last_name} {rng.choice(('Jr', 'Jr.', 'Sr', 'III'))}")


def middle_as_first(person, rng: random.Random) -> PersonQuery | None:
    """Maria Elena goes by Elena; José Luis by Luis."""
    words = person.first_name.split()
    if len(words) >= 2 and fold(words[1]) not in SURNAME_PARTICLES:
        first = words[1]
    elif person.middle_name:
        first = person.middle_name
    else:
        return None
    return replace(_base(person), first_name=first, middle_name="")


def first_name_only(person, rng: random.Random) -> PersonQuery | None:
    """A compound given name typed as its first word, or the middle name left out."""
    words = person.first_name.split()
    if len(words) < 2 and not person.middle_name:
        return None
    return replace(_base(person), first_name=words[0], middle_name="")


def names_swapped(person, rng: random.Random) -> PersonQuery | None:
    q = _base(person)
    return replace(q, first_name=q.last_name, last_name=q.first_name, middle_name="")


def nickname_typed(person, rng: random.Random) -> PersonQuery | None:
    if not person.nickname:
        return None
    return replace(_base(person), first_name=person.nickname, middle_name="")


_SOUND_ALIKE = (
    ("Z", "S"), ("S", "Z"), ("V", "B"), ("B", "V"), ("Y", "I"), ("I", "Y"),
    ("CE", "SE"), ("CI", "SI"), ("GE", "JE"), ("JE", "GE"), ("H", ""), ("LL", "Y"),
)  # fmt: skip


def _sound_alike(word: str, rng: random.Random) -> str | None:
    upper = strip_accents(word).upper()
    options = [(a, b) for a, b in _SOUND_ALIKE if a in upper[1:]]
    if not options:
        return None
    old, new = rng.choice(options)
    at = upper.rindex(old)
    return (upper[:at] + new + upper[at + len(old) :]).title()


def _keyboard_slip(word: str, rng: random.Random) -> str | None:
    text = strip_accents(word)
    if len(text) < 4:
        return None
    at = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        slipped = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    elif kind == 1:
        slipped = text[:at] + text[at + 1 :]
    elif kind == 2:
        slipped = text[:at] + text[at] + text[at:]
    else:
        slipped = text[:at] + rng.choice("aeioulnrst") + text[at + 1 :]
    return slipped if slipped.lower() != text.lower() else None


def surname_sound_alike(person, rng: random.Random) -> PersonQuery | None:
    words = _surname_words(person)
    spot = len(words) - 1
    changed = _sound_alike(words[spot], rng)
    if not changed:
        return None
    return replace(_base(person), last_name=" ".join([*words[:spot], changed]))


def surname_typo(person, rng: random.Random) -> PersonQuery | None:
    words = _surname_words(person)
    spot = len(words) - 1
    changed = _keyboard_slip(words[spot], rng)
    if not changed:
        return None
    return replace(_base(person), last_name=" ".join([*words[:spot], changed]))


def first_name_typo(person, rng: random.Random) -> PersonQuery | None:
    words = person.first_name.split()
    changed = _keyboard_slip(words[0], rng) or _sound_alike(words[0], rng)
    if not changed:
        return None
    return replace(_base(person), first_name=" ".join([changed, *words[1:]]))


def dob_day_month_swapped(person, rng: random.Random) -> PersonQuery | None:
    dob = person.date_of_birth
    if dob.day > 12 or dob.day == dob.month:
        return None
    return replace(_base(person), date_of_birth=dob.replace(month=dob.day, day=dob.month))


def dob_one_digit(person, rng: random.Random) -> PersonQuery | None:
    dob = person.date_of_birth
    text = f"{dob.year:04d}{dob.month:02d}{dob.day:02d}"
    options = []
    for at in range(2, 8):  # nobody mistypes the century
        for digit in "0123456789":
            if digit == text[at]:
                continue
            candidate = text[:at] + digit + text[at + 1 :]
            try:
                options.append(date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:])))
            except ValueError:
                continue
    return replace(_base(person), date_of_birth=rng.choice(options)) if options else None


def dob_year_off(person, rng: random.Random) -> PersonQuery | None:
    dob = person.date_of_birth
    try:
        typed = dob.replace(year=dob.year + rng.choice((-1, 1)))
    except ValueError:
        return None
    return replace(_base(person), date_of_birth=typed)


def _typed_case_number(number: str, rng: random.Random) -> str:
    styles = (
        number.lower(),
        f"{number[:2]} {number[2:]}",
        f"{number[:2]}-{number[2:]}",
        number,
    )
    return rng.choice(styles)


def new_surname_with_case_number(person, rng: random.Random, *, surnames=()) -> PersonQuery | None:
    """Married since: a new surname, but the case number from the court letter."""
    if not person.cases or not surnames:
        return None
    number = rng.choice(person.cases)["case_number"]
    new_last = rng.choice(surnames)
    if fold(new_last) == fold(person.last_name):
        return None
    return replace(_base(person), last_name=new_last, case_number=_typed_case_number(number, rng))


def case_number_typed(person, rng: random.Random) -> PersonQuery | None:
    if not person.cases:
        return None
    number = rng.choice(person.cases)["case_number"]
    return replace(_base(person), case_number=_typed_case_number(number, rng))


PositiveKind = Callable[..., PersonQuery | None]
# How often each way of typing occurs among positives: most people type their details as they
# write them; each slip is rarer. The figures are reported per kind, so the mix only sets totals.
POSITIVE_KINDS: dict[str, tuple[PositiveKind, float]] = {
    "exact": (typed_exact, 0.25),
    "plain_lower_case": (typed_plain, 0.10),
    "surname_hyphenated_or_joined": (surname_hyphenated_or_joined, 0.04),
    "first_surname_only": (first_surname_only, 0.05),
    "second_surname_only": (second_surname_only, 0.02),
    "particle_variant": (particle_variant, 0.03),
    "suffix_added": (suffix_added, 0.02),
    "middle_name_as_first": (middle_as_first, 0.04),
    "first_given_name_only": (first_name_only, 0.03),
    "names_swapped": (names_swapped, 0.04),
    "nickname": (nickname_typed, 0.06),
    "surname_sound_alike": (surname_sound_alike, 0.06),
    "surname_typo": (surname_typo, 0.05),
    "first_name_typo": (first_name_typo, 0.04),
    "dob_day_month_swapped": (dob_day_month_swapped, 0.02),
    "dob_one_digit": (dob_one_digit, 0.03),
    "dob_year_off": (dob_year_off, 0.02),
    "new_surname_with_case_number": (new_surname_with_case_number, 0.02),
    "case_number_typed": (case_number_typed, 0.04),
}

# --- people who are not in the batches (negatives) ---------------------------------------------


@dataclass
class Population:
    """What negatives are drawn from: the loaded people and names seen among them."""

    people: Sequence
    identities: set[tuple[str, str, date]] = field(default_factory=set)
    given_by_sex: dict[str, list[str]] = field(default_factory=dict)
    surnames: list[str] = field(default_factory=list)
    common_names: list = field(default_factory=list)
    # Placeholder rows (harder.py): people named like them are negatives.
    placeholders: Sequence = ()

    @classmethod
    def of(cls, people: Sequence) -> "Population":
        identities: set[tuple[str, str, date]] = set()
        given: dict[str, list[str]] = defaultdict(list)
        surnames: list[str] = []
        name_counts: Counter = Counter()
        for person in people:
            identities |= _identities(person.first_name, person.last_name, person.date_of_birth)
            given[person.sex].append(person.first_name)
            surnames.append(person.last_name)
            name_counts[(fold(person.first_name), fold(person.last_name))] += 1
        common = [p for p in people if name_counts[(fold(p.first_name), fold(p.last_name))] >= 5]
        return cls(people, identities, dict(given), surnames, common)

    def is_loaded(self, query: PersonQuery) -> bool:
        """Whether the query is, by name and date of birth, someone whose cases are loaded."""
        typed = _identities(query.first_name, query.last_name, query.date_of_birth)
        return bool(typed & self.identities)


def _near(dob: date, rng: random.Random) -> date:
    return dob + timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 400))


def _other_dob(rng: random.Random) -> date:
    year = int(rng.triangular(1925, 1998, 1975))
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _other_given(person, population: Population, rng: random.Random) -> str:
    pool = population.given_by_sex.get(person.sex) or [person.first_name]
    own = fold(person.first_name).split(" ")[0]
    for _ in range(20):
        name = rng.choice(pool)
        if fold(name).split(" ")[0] != own:
            return _another_name(own, name, pool)
    return "Zacarias"


def _another_name(own: str, name: str, pool: Sequence[str]) -> str:
    """`name`, or when it is a form of `own` (a twin is not named RICK beside RICHARD, nor LISA
    beside ELIZABETH) the next name in the pool that is not; no more draws, so the queries
    after it stay the same."""
    start = pool.index(name)
    for other in (*pool[start:], *pool[:start]):
        first = fold(other).split(" ")[0]
        if first != own and not are_nicknames(first, own):
            return other
    return "Zacarias"


def stranger(person, population: Population, rng: random.Random, strangers=()) -> PersonQuery:
    other = rng.choice(strangers) if strangers else person
    return replace(_base(other), middle_name="")


def same_name_other_dob(person, population: Population, rng: random.Random, **_) -> PersonQuery:
    dob = person.date_of_birth
    while abs((dob - person.date_of_birth).days) < 400:
        dob = _other_dob(rng)
    return replace(_base(person), date_of_birth=dob, middle_name="")


def twin_other_given_name(person, population: Population, rng: random.Random, **_) -> PersonQuery:
    return replace(_base(person), first_name=_other_given(person, population, rng), middle_name="")


def same_surname_near_date(person, population: Population, rng: random.Random, **_) -> PersonQuery:
    return replace(
        _base(person),
        first_name=_other_given(person, population, rng),
        middle_name="",
        date_of_birth=_near(person.date_of_birth, rng),
    )


def common_name_near_date(person, population: Population, rng: random.Random, **_) -> PersonQuery:
    namesake = rng.choice(population.common_names) if population.common_names else person
    return replace(
        _base(namesake), middle_name="", date_of_birth=_near(namesake.date_of_birth, rng)
    )


NEGATIVE_KINDS: dict[str, Callable[..., PersonQuery]] = {
    "stranger": stranger,
    "same_name_other_dob": same_name_other_dob,
    "twin_other_given_name": twin_other_given_name,
    "same_surname_near_date": same_surname_near_date,
    "common_name_near_date": common_name_near_date,
}


def build_queries(
    people: Sequence,
    *,
    count: int,
    seed: int,
    strangers: Sequence = (),
    positive_share: float = 0.6,
    positive_kinds: dict | None = None,
    negative_kinds: dict | None = None,
    placeholders: Sequence = (),
    group_of: Callable | None = None,
) -> list[EvalQuery]:
    """`count` labelled queries: positives by their kinds' weights, negatives evenly by kind
    (POSITIVE_KINDS and NEGATIVE_KINDS unless others are given; a kind that does not apply to a
    person returns None and another person is drawn)."""
    positive_kinds = positive_kinds or POSITIVE_KINDS
    negative_kinds = negative_kinds or NEGATIVE_KINDS
    rng = random.Random(seed)
    population = Population.of(people)
    population.placeholders = placeholders
    loaded = [p for p in people if p.cases]
    kinds = list(positive_kinds)
    weights = [positive_kinds[k][1] for k in kinds]
    queries: list[EvalQuery] = []
    negative_names = list(negative_kinds)
    for index in range(count):
        query_id = f"e{index:06d}"
        if rng.random() < positive_share:
            while True:
                person = rng.choice(loaded)
                kind = rng.choices(kinds, weights)[0]
                make = positive_kinds[kind][0]
                if make is new_surname_with_case_number:
                    query = make(person, rng, surnames=population.surnames)
                else:
                    query = make(person, rng)
                if query is not None:
                    break
            truth = frozenset(case_normalize_number(c["case_number"]) for c in person.cases)
            group = group_of(person) if group_of else ""
            queries.append(EvalQuery(query_id, kind, True, query, truth, group))
        else:
            kind = negative_names[index % len(negative_names)]
            while True:
                person = rng.choice(loaded)
                query = negative_kinds[kind](person, population, rng, strangers=strangers)
                if query is not None and not population.is_loaded(query):
                    break
            group = group_of(person) if group_of else ""
            queries.append(EvalQuery(query_id, kind, False, query, group=group))
    return queries


# --- figures ----------------------------------------------------------------------------------


@dataclass
class KindFigures:
    queries: int = 0
    true_cases: int = 0
    cases_in_match: int = 0
    cases_in_match_or_possible: int = 0
    matched_cases: int = 0
    wrong_matched_cases: int = 0
    query_outcomes: Counter = field(default_factory=Counter)


@dataclass
class Figures:
    by_kind: dict[str, KindFigures] = field(default_factory=dict)
    # Positives and negatives of each group (EvalQuery.group), for the fairness table.
    by_group: dict[tuple[str, bool], KindFigures] = field(default_factory=dict)
    positive_kinds: set[str] = field(default_factory=set)

    def add(self, item: EvalQuery, result: MatchResult) -> None:
        if item.positive:
            self.positive_kinds.add(item.kind)
        targets = [self.by_kind.setdefault(item.kind, KindFigures())]
        if item.group:
            targets.append(self.by_group.setdefault((item.group, item.positive), KindFigures()))
        found = {
            case_normalize_number(c.case_number): c.outcome
            for c in result.candidates
            if c.outcome in ("match", "possible")
        }
        matched = [n for n, outcome in found.items() if outcome == "match"]
        for figures in targets:
            figures.queries += 1
            figures.query_outcomes[result.outcome] += 1
            figures.true_cases += len(item.truth)
            figures.cases_in_match += sum(found.get(n) == "match" for n in item.truth)
            figures.cases_in_match_or_possible += sum(n in found for n in item.truth)
            figures.matched_cases += len(matched)
            figures.wrong_matched_cases += sum(n not in item.truth for n in matched)

    @staticmethod
    def combine(parts: Iterable[KindFigures]) -> KindFigures:
        out = KindFigures()
        for f in parts:
            out.queries += f.queries
            out.true_cases += f.true_cases
            out.cases_in_match += f.cases_in_match
            out.cases_in_match_or_possible += f.cases_in_match_or_possible
            out.matched_cases += f.matched_cases
            out.wrong_matched_cases += f.wrong_matched_cases
            out.query_outcomes.update(f.query_outcomes)
        return out

    def total(self, kinds: Iterable[str]) -> KindFigures:
        return self.combine(self.by_kind[k] for k in kinds if k in self.by_kind)

    @property
    def negative_kinds(self) -> list[str]:
        return [k for k in self.by_kind if k not in self.positive_kinds]

    def summary(self) -> dict[str, float]:
        everything = self.total(self.by_kind)
        positives = self.total(self.positive_kinds)
        negatives = self.total(self.negative_kinds)
        return {
            "match_precision": _ratio(
                everything.matched_cases - everything.wrong_matched_cases,
                everything.matched_cases,
            ),
            "recall_match": _ratio(positives.cases_in_match, positives.true_cases),
            "recall_match_or_possible": _ratio(
                positives.cases_in_match_or_possible, positives.true_cases
            ),
            "negatives_to_review": _ratio(negatives.query_outcomes["possible"], negatives.queries),
            "negatives_matched": _ratio(negatives.query_outcomes["match"], negatives.queries),
            "false_matches": everything.wrong_matched_cases,
            "matched_cases": everything.matched_cases,
        }


def _ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def _kind_line(kind: str, f: KindFigures, positive: bool) -> str:
    if positive:
        match = 100 * _ratio(f.cases_in_match, f.true_cases)
        both = 100 * _ratio(f.cases_in_match_or_possible, f.true_cases)
    else:
        match = 100 * _ratio(f.query_outcomes["match"], f.queries)
        both = 100 * _ratio(f.query_outcomes["match"] + f.query_outcomes["possible"], f.queries)
    review = 100 * _ratio(f.query_outcomes["possible"], f.queries)
    return (
        f"{kind:32} {f.queries:7d} {match:7.2f} {both:7.2f} {review:8.2f} "
        f"{f.wrong_matched_cases:6d}"
    )


def report_lines(figures: Figures, order: Sequence[str] = ()) -> list[str]:
    """A plain-text table: per kind (in `order`, then as met), per group (when grouped), then
    the totals against the targets. For positives match% and m+p% are shares of true cases; for
    negatives, of queries."""
    lines = [
        f"{'kind':32} {'queries':>7} {'match%':>7} {'m+p%':>7} {'review%':>8} {'wrong':>6}",
    ]
    rank: dict[str, int] = {}
    for kind in [*order, *figures.by_kind]:
        rank.setdefault(kind, len(rank))
    positives = sorted(figures.positive_kinds, key=lambda k: rank[k])
    negatives = sorted(figures.negative_kinds, key=lambda k: rank[k])
    for group, kinds, positive in (
        ("positives", positives, True),
        ("negatives", negatives, False),
    ):
        lines.append(f"-- {group}")
        lines += [_kind_line(kind, figures.by_kind[kind], positive) for kind in kinds]
    if figures.by_group:
        lines.append("-- fairness: by group (positives, then negatives)")
        for positive in (True, False):
            for (group, is_positive), f in sorted(figures.by_group.items()):
                if is_positive == positive:
                    label = f"{group} ({'pos' if positive else 'neg'})"
                    lines.append(_kind_line(label, f, positive))
    s = figures.summary()
    lines += [
        "-- totals (target)",
        f"precision of match (cases)        {100 * s['match_precision']:.3f}%  (>= 99.95%)"
        f"  [{s['false_matches']} wrong of {s['matched_cases']} matched cases]",
        f"recall of true cases into match   {100 * s['recall_match']:.2f}%  (>= 93%)",
        f"recall into match + possible      {100 * s['recall_match_or_possible']:.2f}%  (>= 99.5%)",
        f"negatives sent to review          {100 * s['negatives_to_review']:.2f}%  (<= 2%)",
        f"negatives matched                 {100 * s['negatives_matched']:.3f}%",
    ]
    if set(negatives) - set(NEGATIVE_KINDS):
        # The harder kinds (twins typing the sibling's middle name, a name in the other
        # language) look exactly like a positive: staff must see them, by design.
        plain = figures.total(k for k in negatives if k in NEGATIVE_KINDS)
        share = 100 * _ratio(plain.query_outcomes["possible"], plain.queries)
        lines.append(f"  of the demo generator's negative kinds {share:.2f}%  (<= 2%)")
    return lines
