"""A harder evaluation set: the demo extracts with the errors real court and DOJ data carry, and
queries typed the ways the demo generator leaves out.

The cases (`harder_people`) are the demo generator's people (cases.demo) with, on top:
- identifier recording errors: a case now and then carries another person's CII number;
- day and month confused in the recorded date of birth more often;
- compound given names with particles (MARIA DEL CARMEN, JOSE DE JESUS), recorded whole, split
  into first and middle name, or as the first word only;
- people with two surnames recorded under both, the first or the second alone, case by case;
- placeholder rows that court data carries ("EXPUNGED", "DOE JOHN", "NOT ON FILE", business
  names) with real-looking dates of birth; no one's true cases.

The queries add positives typed with a name one or two letters off (SARAA, MELIND, STUBX), a
compound given name typed in part, the other surname alone, a given name in the other language or
its nickname there (HENRY for ENRIQUE, PETE for PEDRO); and negatives a guard must stop: the twin
not in the batches whose first name is the sibling's middle name (JORGE beside FRANCISCO JORGE),
a twin whose name is the sibling's in the other language (ENRIQUE beside HENRY), and people
named like a placeholder (JOHN DOE) born on a placeholder row's date.

Each query carries its person's group for the fairness table: compound Hispanic surnames (two
surnames or a particle surname) and the rest. Pure; the driver is benchmarks/matching_eval.py
(--generator harder).
"""

import random
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date

from cases.demo import DemoPerson, generate_people
from cases.matching.normalize import SURNAME_PARTICLES, fold
from cases.matching.types import PersonQuery
from cases.normalize import strip_accents

from . import evaluation as ev

# People with a compound given name that carries a particle (one in ten Latino people
# without a middle name here).
COMPOUND_GIVEN = {
    "F": ("María del Carmen", "María de los Ángeles", "María de la Luz", "María de Lourdes"),
    "M": ("José de Jesús", "Juan de Dios", "José del Carmen", "Jesús de la Cruz"),
}
# The same given name in English and Spanish, each a name of its own, and the English nicknames
# of the English form (what people raised in Los Angeles are called at school and work).
CROSS_LANGUAGE = {
    "ENRIQUE": ("Henry", "Hank"),
    "PEDRO": ("Peter", "Pete"),
    "JUAN": ("John", "Johnny"),
    "GUILLERMO": ("William", "Bill", "Willie"),
    "MIGUEL": ("Michael", "Mike"),
    "JOSE": ("Joseph", "Joe"),
    "FRANCISCO": ("Francis", "Frank"),
    "ANTONIO": ("Anthony", "Tony"),
    "RICARDO": ("Richard", "Rick"),
    "EDUARDO": ("Edward", "Eddie"),
    "ROBERTO": ("Robert", "Bobby"),
    "CARLOS": ("Charles", "Charlie"),
    "ESTEBAN": ("Steven", "Steve"),
    "ANDRES": ("Andrew", "Andy"),
    "MARIA": ("Mary",),
    "ALBERTO": ("Albert", "Al"),
}
PLACEHOLDERS = (
    ("EXPUNGED", "EXPUNGED", ""),
    ("DOE", "JOHN", ""),
    ("DOE", "JANE", ""),
    ("NOT ON FILE", "NOT ON FILE", ""),
    ("UNKNOWN", "UNKNOWN", ""),
    ("SEALED", "SEALED", ""),
    ("VALLEY GREEN COLLECTIVE INC", "COLLECTIVE", ""),
    ("SUNSET HEALING CENTER LLC", "CENTER", ""),
)
# Share of cases (after the demo generator's own recording errors) given each harder error.
CII_ERROR = 0.004
DOB_SWAPPED = 0.01
PLACEHOLDER_SHARE = 0.004
GROUP_COMPOUND = "compound_hispanic_surname"
GROUP_REST = "rest"


def person_group(person) -> str:
    words = [w for w in fold(person.last_name).split()]
    compound = len(words) >= 2 or any(w in SURNAME_PARTICLES for w in words)
    return GROUP_COMPOUND if compound else GROUP_REST


def _upper(text: str) -> str:
    return strip_accents(text).upper()


def _recorded_given(first: str, rng: random.Random) -> tuple[str, str]:
    words = _upper(first).split()
    roll = rng.random()
    if roll < 0.45:
        return " ".join(words), ""
    if roll < 0.8:
        return words[0], " ".join(words[1:])
    return words[0], ""


def _recorded_surname(last: str, rng: random.Random) -> str | None:
    words = _upper(last).split()
    if len(words) != 2 or words[0] in SURNAME_PARTICLES:
        return None
    roll = rng.random()
    if roll < 0.45:
        return " ".join(words)
    return words[0] if roll < 0.8 else words[1]


def _swapped(day: date) -> date | None:
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)


def harder_people(*, case_count: int, seed: int) -> Iterator[DemoPerson]:
    """The demo generator's people with the harder recording errors, and placeholder rows as
    people of their own (person_key "X...", confuser_kind "placeholder"). Deterministic."""
    rng = random.Random(seed * 7 + 1)
    numbers = 0
    recent_cii: list[str] = []
    for person in generate_people(case_count=case_count, seed=seed):
        if person.group == "latino" and rng.random() < 0.1 and not person.middle_name:
            person.first_name = rng.choice(COMPOUND_GIVEN[person.sex])
            person.nickname = ""
            for case in person.cases:
                case["first_name"], case["middle_name"] = _recorded_given(person.first_name, rng)
        for case in person.cases:
            if person.married_last_name and _upper(person.married_last_name) in case["last_name"]:
                pass
            elif (recorded := _recorded_surname(person.last_name, rng)) is not None:
                case["last_name"] = recorded
            dob = date.fromisoformat(case["date_of_birth"])
            if rng.random() < DOB_SWAPPED and (swapped := _swapped(dob)):
                case["date_of_birth"] = swapped.isoformat()
            if recent_cii and rng.random() < CII_ERROR:
                case["cii_number"] = rng.choice(recent_cii)
        if person.cii_number:
            recent_cii.append(person.cii_number)
            del recent_cii[:-500]
        yield person
        if rng.random() < PLACEHOLDER_SHARE * 1.25:
            last, first, middle = rng.choice(PLACEHOLDERS)
            numbers += 1
            template = person.cases[0]
            placeholder = DemoPerson(
                person_key=f"X{numbers:07d}",
                first_name=first,
                middle_name=middle,
                last_name=last,
                date_of_birth=ev._other_dob(rng),
                sex="M",
                group="other",
                confuser_kind="placeholder",
            )
            placeholder.cases = [
                {
                    **template,
                    "case_number": f"ZZ{numbers:06d}",
                    "last_name": last,
                    "first_name": first,
                    "middle_name": middle,
                    "date_of_birth": placeholder.date_of_birth.isoformat(),
                    "aliases": "",
                    "cii_number": "",
                    "conviction_date": "",
                }
            ]
            yield placeholder


# --- harder ways of typing (positives) ---------------------------------------------------------


def _letters_off(word: str, rng: random.Random) -> str | None:
    """An extra, missing or doubled letter, or two of them: SARAA, MELIND, STUBX, HENRYA."""
    text = _upper(word)
    if len(text) < 3:
        return None
    kind = rng.randrange(5)
    if kind == 0:
        out = text + rng.choice("AEIXSN")
    elif kind == 1:
        out = text[:-1]
    elif kind == 2:
        at = rng.randrange(1, len(text))
        out = text[:at] + text[at - 1] + text[at:]
    elif kind == 3:
        at = rng.randrange(1, len(text) - 1)
        out = text[:at] + text[at + 1 :]
    else:
        out = text[:-2] + rng.choice("XKZ") if len(text) >= 5 else text + "AA"
    return out.title() if out != text and len(out) >= 2 else None


def name_letters_off(person, rng: random.Random) -> PersonQuery | None:
    q = ev._base(person)
    if rng.random() < 0.5:
        words = q.first_name.split()
        changed = _letters_off(words[0], rng)
        return replace(q, first_name=" ".join([changed, *words[1:]])) if changed else None
    words = q.last_name.split()
    changed = _letters_off(words[-1], rng)
    return replace(q, last_name=" ".join([*words[:-1], changed])) if changed else None


def compound_given_in_part(person, rng: random.Random) -> PersonQuery | None:
    """MARIA DEL CARMEN typed as Carmen, Maria or Maria Carmen."""
    words = person.first_name.split()
    if len(words) < 3:
        return None
    last_word = words[-1]
    typed = rng.choice((last_word, words[0], f"{words[0]} {last_word}"))
    return replace(ev._base(person), first_name=typed)


def other_language_name(person, rng: random.Random) -> PersonQuery | None:
    words = person.first_name.split()
    forms = CROSS_LANGUAGE.get(_upper(words[0]))
    if not forms:
        return None
    return replace(ev._base(person), first_name=rng.choice(forms), middle_name="")


def given_names_in_other_order(person, rng: random.Random) -> PersonQuery | None:
    """FRANCISCO JORGE typed as Jorge Francisco."""
    if not person.middle_name or " " in person.first_name:
        return None
    return replace(ev._base(person), first_name=person.middle_name, middle_name=person.first_name)


POSITIVE_KINDS: dict[str, tuple[ev.PositiveKind, float]] = {
    **ev.POSITIVE_KINDS,
    "name_letters_off": (name_letters_off, 0.05),
    "compound_given_in_part": (compound_given_in_part, 0.02),
    "other_language_name": (other_language_name, 0.03),
    "given_names_in_other_order": (given_names_in_other_order, 0.02),
}

# --- harder people who are not in the batches (negatives) --------------------------------------


def twin_middle_name_as_first(person, population, rng: random.Random, **_) -> PersonQuery | None:
    """JORGE, the twin of FRANCISCO JORGE: the sibling's middle name is this twin's first."""
    words = person.first_name.split()
    first = person.middle_name or (words[-1] if len(words) >= 2 else "")
    if not first or fold(first) in SURNAME_PARTICLES:
        return None
    return replace(ev._base(person), first_name=first, middle_name="")


def twin_other_language(person, population, rng: random.Random, **_) -> PersonQuery | None:
    """HENRY, the twin of ENRIQUE: the same name in the other language, each a name of its own."""
    forms = CROSS_LANGUAGE.get(_upper(person.first_name.split()[0]))
    if not forms:
        return None
    return replace(ev._base(person), first_name=forms[0], middle_name="")


def placeholder_namesake(person, population, rng: random.Random, **_) -> PersonQuery | None:
    """Someone named JOHN DOE (or typing a placeholder) born on a placeholder row's date."""
    rows = population.placeholders
    if not rows:
        return None
    row = rng.choice(rows)
    names = {"JOHN": "John", "JANE": "Jane"}
    first = names.get(row.first_name, row.first_name.title())
    return PersonQuery(
        first_name=first, last_name=row.last_name.title(), date_of_birth=row.date_of_birth
    )


NEGATIVE_KINDS = {
    **ev.NEGATIVE_KINDS,
    "twin_middle_name_as_first": twin_middle_name_as_first,
    "twin_other_language": twin_other_language,
    "placeholder_namesake": placeholder_namesake,
}


def build_queries(
    people: Sequence, *, count: int, seed: int, strangers: Sequence = ()
) -> list[ev.EvalQuery]:
    """Queries over the harder kinds; placeholder rows are no one's, and only negatives use them."""
    real = [p for p in people if p.confuser_kind != "placeholder"]
    placeholders = [p for p in people if p.confuser_kind == "placeholder"]
    return ev.build_queries(
        real,
        count=count,
        seed=seed,
        strangers=strangers,
        positive_kinds=POSITIVE_KINDS,
        negative_kinds=NEGATIVE_KINDS,
        placeholders=placeholders,
        group_of=person_group,
    )
