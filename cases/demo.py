"""Fictitious, deterministic dismissal-batch extracts that look like Los Angeles County's.

`generate_people(case_count=..., seed=...)` yields `DemoPerson`s: a true identity (the name as the
person writes it, with accents and the full double surname, and the true date of birth) and the
extract rows of their cases, each recorded with the variations real records carry. `demo_rows`
flattens people into rows and `demo_write_csv` writes them in the documented extract format, so
the rows go through the real importer. Same seed, same output (given the same Faker version,
whose es_MX and en_US name lists are the name source); streamable: a million cases take about
a minute on a 2-core machine (CSV included) and memory stays flat.

Who is in it, after the published figures (DOMAIN.md): about 1.25 cases per person (53,000
people for 66,000 cases); about 45% Latino, 32% Black, 20% White; mostly men; convictions from
1961 up to November 8, 2016, always at 18 or older; the 2020 DOJ batch mostly felonies, the 2022
court batch mostly misdemeanors. Case numbers follow LA formats: felony = courthouse prefix + 6
digits (KA057009), misdemeanor = digit + court code + 5 digits (6CJ00651), and older 8-digit
numbers; unique within a seed.

How one person's records differ (per case): upper case; accents dropped (mostly) or kept;
double surnames with a space, hyphenated, joined or first part only; particle surnames
(De La Cruz, Del Río) spaced, joined or without particles; compound given names (José Luis) as
one first name or split into first and middle; middle names full, as an initial or missing; a
phonetic or keyboard misspelling (HERNANDES); a nickname recorded as the first name; first and
last name swapped; a mistyped date of birth (day and month swapped, a day or a year off);
married women under another surname in later cases; "JR" on a son's surname; AKA aliases
(nickname, the other surname, a maiden name, an unrelated name).

Confusers, people who are not the same person but look alike (`confuser_kind`, pointing with
`confuser_of` to the person they resemble):
- natural namesakes: name frequencies are skewed as in LA County, so thousands share JOSE
  GARCIA, JUAN HERNANDEZ, MARIA LOPEZ...;
- ``same_name_same_year``: same first and last name and birth year, another birthday;
- ``twin``: same surname and date of birth, another given name;
- ``sibling``: same surname, born one to eight years apart;
- ``parent_child``: same first and last name, born 18 to 35 years apart (sometimes "JR").
"""

import csv
import random
from bisect import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import TextIO

from faker.providers.person.en_US import Provider as EnglishNames
from faker.providers.person.es_MX import Provider as SpanishNames
from nicknames import NickNamer

from .importer.extract import COLUMNS, DEFAULT_COURT
from .normalize import collapse_spaces, strip_accents

CUTOFF = date(2016, 11, 8)  # the last day a covered conviction can be from
EARLIEST_CONVICTION = date(1961, 1, 1)
BATCHES = (
    # slug, relief date, share of cases, share of felonies
    ("DOJ-AB1793-2020", date(2020, 2, 13), 66, 62 / 66),
    ("LASC-REVIEW-2022", date(2022, 9, 29), 58, 20 / 58),
)


@dataclass
class DemoPerson:
    """A fictitious person and the extract rows of their cases."""

    person_key: str
    # The true identity, written as the person writes it (what they would type in a form).
    first_name: str
    middle_name: str
    last_name: str
    date_of_birth: date
    sex: str  # "F" or "M"
    group: str  # "latino", "black", "white", "other"
    nickname: str = ""  # the name they go by, when it differs (Chuy for Jesús)
    suffix: str = ""  # "Jr" for a son named after his father
    married_last_name: str = ""  # a surname taken later; cases after the first use it
    cii_number: str = ""
    confuser_kind: str = ""
    confuser_of: str = ""  # person_key of the person this one was made to resemble
    cases: list[dict[str, str]] = field(default_factory=list)


class _Weighted:
    """Draw from a fixed population with weights, in O(log n) per draw."""

    def __init__(self, items: Iterable[tuple[str, float]]):
        pairs = [(name, weight) for name, weight in items if weight > 0]
        self.values = [name for name, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> str:
        return self.values[bisect(self.cumulative, rng.random() * self.total)]


# Frequent in Los Angeles County, in the spelling people use; these weights sit on top of a
# uniform draw over Faker's es_MX lists, which supply the long tail.
_LATINO_SURNAMES = {
    "García": 100, "Hernández": 90, "López": 80, "Martínez": 75, "González": 70,
    "Rodríguez": 70, "Sánchez": 55, "Pérez": 55, "Ramírez": 50, "Flores": 45, "Torres": 35,
    "Rivera": 30, "Gómez": 30, "Díaz": 30, "Reyes": 28, "Cruz": 25, "Morales": 25,
    "Gutiérrez": 25, "Ortiz": 22, "Castillo": 20, "Mendoza": 20, "Ruiz": 20, "Chávez": 20,
    "Álvarez": 18, "Jiménez": 18, "Vásquez": 18, "Romero": 17, "Herrera": 17, "Medina": 16,
    "Aguilar": 16, "Ramos": 16, "Castro": 15, "Vargas": 15, "Salazar": 14, "Guzmán": 14,
    "Muñoz": 14, "Moreno": 13, "Juárez": 13, "Domínguez": 12, "Contreras": 12, "Estrada": 12,
    "Rojas": 11, "Navarro": 11, "Sandoval": 11, "Delgado": 10, "Cervantes": 10, "Ortega": 10,
    "Luna": 10, "Valenzuela": 9, "Espinoza": 9, "Figueroa": 9, "Campos": 9, "Peña": 8,
    "Soto": 8, "Avila": 8, "Ibarra": 7, "Velásquez": 7, "Guerrero": 7, "Orozco": 7,
}  # fmt: skip
_PARTICLE_SURNAMES = {
    "De La Cruz": 12, "De León": 6, "Del Río": 5, "De La Torre": 5, "De Los Santos": 4,
    "Del Toro": 4, "De La Rosa": 4, "De Jesús": 3, "Del Valle": 3, "De La O": 2,
}  # fmt: skip
_LATINO_MALE = {
    "José": 60, "Juan": 40, "Luis": 28, "Carlos": 28, "Jesús": 26, "Miguel": 24,
    "Antonio": 22, "Francisco": 22, "Jorge": 20, "Manuel": 18, "Ricardo": 15, "Roberto": 15,
    "Alejandro": 14, "Eduardo": 14, "Mario": 13, "Raúl": 12, "David": 12, "Daniel": 12,
    "Fernando": 12, "Javier": 12, "Sergio": 11, "Óscar": 11, "Rafael": 10, "Arturo": 10,
    "Martín": 10, "Pedro": 10, "Salvador": 9, "Guillermo": 8, "Alberto": 8, "Ignacio": 6,
    "Víctor": 8, "Héctor": 8, "Ramón": 7, "Rubén": 7, "Armando": 7, "Enrique": 7,
}  # fmt: skip
_LATINO_FEMALE = {
    "María": 70, "Guadalupe": 18, "Rosa": 14, "Ana": 12, "Patricia": 11, "Elizabeth": 10,
    "Martha": 9, "Verónica": 9, "Laura": 8, "Claudia": 8, "Silvia": 8, "Gloria": 7,
    "Yolanda": 7, "Leticia": 7, "Alejandra": 7, "Adriana": 7, "Teresa": 6, "Margarita": 6,
    "Sandra": 6, "Araceli": 5, "Carmen": 5, "Blanca": 5, "Rosario": 4, "Josefina": 4,
}  # fmt: skip
_COMPOUND_MALE = (
    "José Luis", "Juan Carlos", "José Antonio", "Juan Manuel", "Luis Miguel", "José Manuel",
    "Juan José", "Miguel Ángel", "José Guadalupe", "Jesús Manuel",
)  # fmt: skip
_COMPOUND_FEMALE = (
    "María Guadalupe", "María Elena", "Ana María", "María del Carmen", "María de Jesús",
    "María Teresa", "María Isabel", "Rosa María",
)  # fmt: skip
# Spanish hypocorisms (the `nicknames` package covers English names only).
_SPANISH_NICKNAMES = {
    "JESUS": ("Chuy",), "JOSE": ("Pepe", "Joe"), "FRANCISCO": ("Paco", "Pancho", "Frank"),
    "IGNACIO": ("Nacho",), "GUILLERMO": ("Memo",), "ALBERTO": ("Beto",), "ROBERTO": ("Beto",),
    "EDUARDO": ("Lalo",), "SALVADOR": ("Chava",), "GUADALUPE": ("Lupe",), "ROSARIO": ("Chayo",),
    "REFUGIO": ("Cuco",), "ANTONIO": ("Tony",), "ENRIQUE": ("Quique", "Henry"),
    "MANUEL": ("Manny",), "MIGUEL": ("Mike",), "RICARDO": ("Ricky",), "ALEJANDRO": ("Alex",),
}  # fmt: skip

_FELONY_PREFIXES = {
    "BA": 30, "VA": 12, "KA": 10, "TA": 10, "LA": 9, "PA": 6, "YA": 6, "NA": 6, "SA": 5,
    "GA": 4, "MA": 4,
}  # fmt: skip
_MISDEMEANOR_COURTS = {
    "CJ": 25, "WL": 8, "PY": 8, "MT": 7, "CA": 7, "VY": 6, "AV": 4, "EA": 4, "LB": 5,
    "PD": 4, "SP": 3, "TO": 3, "BH": 2, "SM": 3, "WH": 3,
}  # fmt: skip
_FELONY_CHARGES = {
    "HS 11359": 40, "HS 11360(a)": 30, "HS 11358": 18, "HS 11357(a)": 8, "HS 11360(b)": 4,
}  # fmt: skip
_MISDEMEANOR_CHARGES = {
    "HS 11357(b)": 35, "HS 11357(c)": 25, "HS 11360(b)": 15, "HS 11357(a)": 10,
    "HS 11359": 6, "HS 11360(a)": 5, "HS 11358": 4,
}  # fmt: skip
_CASES_PER_PERSON = _Weighted(
    (str(n), w) for n, w in ((1, 845), (2, 100), (3, 33), (4, 13), (5, 6), (6, 3))
)
_GROUPS = _Weighted([("latino", 45), ("black", 32), ("white", 20), ("other", 3)])


def _latino_given(table: dict[str, int], faker_names: Sequence[str]) -> _Weighted:
    tail_weight = sum(table.values()) * 0.6 / len(faker_names)
    weights = {collapse_spaces(name): float(tail_weight) for name in faker_names}
    for name, weight in table.items():
        weights[name] = weights.get(name, 0.0) + weight
    return _Weighted(weights.items())


_NAMES = {
    ("latino", "M"): _latino_given(_LATINO_MALE, SpanishNames.first_names_male),
    ("latino", "F"): _latino_given(_LATINO_FEMALE, SpanishNames.first_names_female),
    ("english", "M"): _Weighted(EnglishNames.first_names_male.items()),
    ("english", "F"): _Weighted(EnglishNames.first_names_female.items()),
}
_LATINO_SURNAME = _latino_given({**_LATINO_SURNAMES, **_PARTICLE_SURNAMES}, SpanishNames.last_names)
_ENGLISH_SURNAME = _Weighted(EnglishNames.last_names.items())
_NICKNAMER = NickNamer()
# The `nicknames` package knows rare forms too (Thys for Matthew); keep those common enough to be
# first names themselves.
_ENGLISH_GIVEN = frozenset(
    n.lower() for n in (*EnglishNames.first_names_male, *EnglishNames.first_names_female)
)


# Cached: a million generated rows fold the same few thousand names.
_ascii = lru_cache(maxsize=8192)(strip_accents)


@lru_cache(maxsize=8192)
def _nicknames(given: str) -> tuple[str, ...]:
    key = _ascii(given).upper()
    if key in _SPANISH_NICKNAMES:
        return _SPANISH_NICKNAMES[key]
    found = _NICKNAMER.nicknames_of(key.lower()) & _ENGLISH_GIVEN
    return tuple(n.title() for n in sorted(found))


class _Permutation:
    """A keyed pseudo-random permutation of range(size) (Feistel with cycle walking).

    Gives every case a distinct, random-looking number without remembering the ones used.
    """

    def __init__(self, size: int, rng: random.Random):
        self.size = size
        bits = max(2, (size - 1).bit_length())
        # Unbalanced halves keep the domain at the next power of two, so cycle walking needs
        # fewer than two steps on average.
        self.left_bits, self.right_bits = bits // 2, bits - bits // 2
        self.keys = [rng.getrandbits(32) for _ in range(4)]
        self.left_mask = (1 << self.left_bits) - 1
        self.right_mask = (1 << self.right_bits) - 1

    def __call__(self, index: int) -> int:
        k1, k2, k3, k4 = self.keys
        left_mask, right_mask, right_bits = self.left_mask, self.right_mask, self.right_bits
        value = index
        while True:
            # Four rounds (L, R) → (R, L ^ F(R)); the halves swap widths each round, so after
            # an even number of rounds they are back in place.
            left, right = value >> right_bits, value & right_mask
            left, right = right, (left ^ (((right * 0x9E3779B1) ^ k1) >> 7)) & left_mask
            left, right = right, (left ^ (((right * 0x85EBCA6B) ^ k2) >> 7)) & right_mask
            left, right = right, (left ^ (((right * 0xC2B2AE35) ^ k3) >> 7)) & left_mask
            left, right = right, (left ^ (((right * 0x27D4EB2F) ^ k4) >> 7)) & right_mask
            value = (left << right_bits) | right
            if value < self.size:
                return value


class _Numbers:
    """Unique case numbers per format, drawn in a seed-determined order."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.streams: dict[str, tuple[_Permutation, list[int]]] = {}
        self.felony = _Weighted(_FELONY_PREFIXES.items())
        self.misdemeanor = _Weighted(_MISDEMEANOR_COURTS.items())

    def _next(self, stream: str, size: int) -> int:
        if stream not in self.streams:
            self.streams[stream] = (_Permutation(size, self.rng), [0])
        permutation, counter = self.streams[stream]
        if counter[0] >= size:
            raise ValueError("demo case number space exhausted")
        counter[0] += 1
        return permutation(counter[0] - 1)

    def felony_number(self, convicted: date) -> str:
        # Older cases often carry the 8-digit numbers of the earlier system.
        if self.rng.random() < (0.45 if convicted.year < 1995 else 0.1):
            return str(10_000_000 + self._next("8", 90_000_000))
        prefix = self.felony.pick(self.rng)
        return f"{prefix}{self._next(prefix, 1_000_000):06d}"

    def misdemeanor_number(self, convicted: date) -> str:
        if self.rng.random() < (0.3 if convicted.year < 1995 else 0.08):
            return str(10_000_000 + self._next("8", 90_000_000))
        stream = f"{1 + int(self.rng.random() * 9)}{self.misdemeanor.pick(self.rng)}"
        return f"{stream}{self._next(stream, 100_000):05d}"


_PHONETIC_SWAPS = (
    ("Z", "S"), ("S", "Z"), ("V", "B"), ("B", "V"), ("Y", "I"), ("I", "Y"), ("LL", "Y"),
    ("H", ""), ("CE", "SE"), ("CI", "SI"), ("QU", "K"), ("J", "H"), ("G", "J"), ("X", "J"),
)  # fmt: skip


def _misspell(word: str, rng: random.Random) -> str:
    """A recording error: a Spanish sound-alike spelling, or a slip of the keyboard."""
    if len(word) < 4:
        return word
    if rng.random() < 0.6:
        swaps = [(a, b) for a, b in _PHONETIC_SWAPS if a in word[1:]]
        if swaps:
            old, new = rng.choice(swaps)
            at = word.rindex(old)
            if at > 0:
                return word[:at] + new + word[at + len(old) :]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:  # transposed letters
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind < 0.7:  # dropped letter
        return word[:at] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]  # doubled letter


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29
        return day.replace(year=day.year + years, day=28)


def _random_day(rng: random.Random, start: date, end: date) -> date:
    first = start.toordinal()
    return date.fromordinal(first + int(rng.random() * (max(end.toordinal() - first, 0) + 1)))


LATEST_BIRTH = _years_later(CUTOFF, -18)
RECENT_PEOPLE = 4000


class _Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.numbers = _Numbers(random.Random(self.rng.getrandbits(64)))
        self.cii = _Permutation(90_000_000, self.rng)
        self.batches = _Weighted((slug, share) for slug, _, share, _ in BATCHES)
        self.batch_facts = {slug: (relief, felony) for slug, relief, _, felony in BATCHES}
        self.felony_charges = _Weighted(_FELONY_CHARGES.items())
        self.misdemeanor_charges = _Weighted(_MISDEMEANOR_CHARGES.items())
        # People a confuser can be made to resemble: a ring of the most recent ones.
        self.recent: list[DemoPerson] = []
        self.count = 0

    # --- identities -----------------------------------------------------------------------
    def given_name(self, group: str, sex: str) -> str:
        if group == "latino":
            if self.rng.random() < 0.1:
                return self.rng.choice(_COMPOUND_MALE if sex == "M" else _COMPOUND_FEMALE)
            return _NAMES["latino", sex].pick(self.rng)
        return _NAMES["english", sex].pick(self.rng)

    def surname(self, group: str) -> str:
        if group != "latino":
            return _ENGLISH_SURNAME.pick(self.rng)
        first = collapse_spaces(_LATINO_SURNAME.pick(self.rng))
        if self.rng.random() < 0.22 and " " not in first:
            second = collapse_spaces(_LATINO_SURNAME.pick(self.rng))
            if second != first:
                return f"{first} {second}"
        return first

    def birth_date(self) -> date:
        year = int(self.rng.triangular(1925, 1999, 1975))
        return min(_random_day(self.rng, date(year, 1, 1), date(year, 12, 31)), LATEST_BIRTH)

    def new_person(self) -> DemoPerson:
        rng = self.rng
        key = f"P{self.count:07d}"
        roll = rng.random()
        earlier = self.recent[int(rng.random() * len(self.recent))] if self.recent else None
        if earlier is not None and roll < 0.075:
            person = self.confuser(key, earlier, roll)
        else:
            group = _GROUPS.pick(rng)
            sex = "M" if rng.random() < 0.85 else "F"
            person = DemoPerson(
                person_key=key,
                first_name=self.given_name(group, sex),
                middle_name="",
                last_name=self.surname(group),
                date_of_birth=self.birth_date(),
                sex=sex,
                group=group,
            )
        middle_share = 0.35 if person.group == "latino" else 0.6
        if not person.middle_name and " " not in person.first_name and rng.random() < middle_share:
            middle = self.given_name(person.group, person.sex).split()[0]
            if middle != person.first_name:
                person.middle_name = middle
        nicknames = _nicknames(person.first_name.split()[0])
        if nicknames and rng.random() < 0.5:
            person.nickname = rng.choice(nicknames)
        if rng.random() < 0.65:
            person.cii_number = f"A{10_000_000 + self.cii(self.count):08d}"
        if len(self.recent) < RECENT_PEOPLE:
            self.recent.append(person)
        else:
            self.recent[self.count % RECENT_PEOPLE] = person
        self.count += 1
        return person

    def confuser(self, key: str, earlier: DemoPerson, roll: float) -> DemoPerson:
        rng = self.rng
        base = {"group": earlier.group, "sex": earlier.sex, "confuser_of": earlier.person_key}
        if roll < 0.03:
            year = earlier.date_of_birth.year
            dob = earlier.date_of_birth
            while dob == earlier.date_of_birth:
                dob = min(_random_day(rng, date(year, 1, 1), date(year, 12, 31)), LATEST_BIRTH)
            return DemoPerson(
                person_key=key,
                first_name=earlier.first_name,
                middle_name="",
                last_name=earlier.last_name,
                date_of_birth=dob,
                confuser_kind="same_name_same_year",
                **base,
            )
        if roll < 0.065:
            twin = roll < 0.04
            sex = earlier.sex if rng.random() < 0.6 else ("F" if earlier.sex == "M" else "M")
            first = earlier.first_name
            while first == earlier.first_name:
                first = self.given_name(earlier.group, sex)
            if twin:
                dob = earlier.date_of_birth
            else:
                offset = rng.choice((-1, 1)) * rng.randint(365, 8 * 365)
                dob = min(earlier.date_of_birth + timedelta(days=offset), LATEST_BIRTH)
            base["sex"] = sex
            return DemoPerson(
                person_key=key,
                first_name=first,
                middle_name=earlier.middle_name if twin and rng.random() < 0.3 else "",
                last_name=earlier.last_name,
                date_of_birth=dob,
                confuser_kind="twin" if twin else "sibling",
                **base,
            )
        gap = rng.randint(18, 35)
        child = _years_later(earlier.date_of_birth, gap)
        dob = child if child <= LATEST_BIRTH else _years_later(earlier.date_of_birth, -gap)
        dob = _random_day(rng, dob - timedelta(days=120), min(dob + timedelta(120), LATEST_BIRTH))
        return DemoPerson(
            suffix="Jr" if dob > earlier.date_of_birth else "",
            person_key=key,
            first_name=earlier.first_name,
            middle_name=earlier.middle_name if rng.random() < 0.5 else "",
            last_name=earlier.last_name,
            date_of_birth=dob,
            confuser_kind="parent_child",
            **base,
        )

    # --- how records write a person -------------------------------------------------------
    def recorded_surname(self, true_last: str) -> str:
        rng = self.rng
        words = true_last.split()
        roll = rng.random()
        if words[0].lower() in {"de", "del"}:
            if roll < 0.7:
                return true_last
            if roll < 0.85:
                return "".join(words)
            if roll < 0.95:
                return words[-1]
            return "".join(words[:-1]) + " " + words[-1]
        if len(words) == 2:
            if roll < 0.5:
                return true_last
            if roll < 0.65:
                return "-".join(words)
            if roll < 0.7:
                return "".join(words)
            return words[0]
        return true_last

    def recorded_names(self, person: DemoPerson, case_index: int) -> tuple[str, str, str]:
        rng = self.rng
        first, middle = person.first_name, person.middle_name
        if " " in first:  # a compound given name
            roll = rng.random()
            if roll < 0.4:
                first, middle = first.split(" ", 1)
            elif roll < 0.5:
                first = first.split(" ", 1)[0]
        last = self.recorded_surname(person.last_name)
        if person.married_last_name and case_index > 0:
            last = person.married_last_name
        if middle:
            roll = rng.random()
            if roll < 0.25:
                middle = ""
            elif roll < 0.4:
                middle = middle[0]
        if person.nickname and rng.random() < 0.02:
            first = person.nickname
        if person.suffix and rng.random() < 0.3:
            last = f"{last} {person.suffix}"
        names = [first, middle, last]
        if rng.random() < 0.035:
            which = rng.randrange(3 if middle else 2)
            words = names[(0, 2, 1)[which]].split()
            if words:
                spot = rng.randrange(len(words))
                words[spot] = _misspell(_ascii(words[spot]).upper(), rng)
                names[(0, 2, 1)[which]] = " ".join(words)
        first, middle, last = names
        if rng.random() < 0.005:
            first, last = last, first
        keep_accents = rng.random() < 0.1
        return tuple(  # type: ignore[return-value]
            (name if keep_accents else _ascii(name)).upper() for name in (last, first, middle)
        )

    def recorded_birth_date(self, true_dob: date) -> date:
        rng = self.rng
        if rng.random() >= 0.02:
            return true_dob
        roll = rng.random()
        if roll < 0.4 and true_dob.day <= 12 and true_dob.day != true_dob.month:
            return true_dob.replace(month=true_dob.day, day=true_dob.month)
        if roll < 0.75:
            return true_dob + timedelta(days=rng.choice((-1, 1)))
        return _years_later(true_dob, rng.choice((-1, 1)))

    def aliases(self, person: DemoPerson, last: str) -> str:
        rng = self.rng
        count = 0 if rng.random() >= 0.1 else (1 if rng.random() < 0.8 else 2)
        found: list[str] = []
        for _ in range(count):
            roll = rng.random()
            surname_words = person.last_name.split()
            if roll < 0.35 and person.nickname:
                alias = f"{person.nickname} {last}"
            elif roll < 0.55 and len(surname_words) == 2 and surname_words[0].lower() != "de":
                alias = f"{person.first_name.split()[0]} {surname_words[1]}"
            elif roll < 0.75 and person.sex == "F":
                alias = f"{person.first_name.split()[0]} {self.surname(person.group)}"
            else:
                alias = f"{self.given_name(person.group, person.sex).split()[0]} {last}"
            alias = _ascii(alias).upper()
            if alias not in found:
                found.append(alias)
        return ";".join(found)

    def case_row(self, person: DemoPerson, case_index: int) -> dict[str, str]:
        rng = self.rng
        dob = person.date_of_birth
        start = max(_years_later(dob, 18), EARLIEST_CONVICTION)
        latest = min(_years_later(dob, 18 + int(rng.expovariate(1 / 12))), CUTOFF)
        convicted = _random_day(rng, start, max(start, latest))
        batch = self.batches.pick(rng)
        relief_date, felony_share = self.batch_facts[batch]
        felony = rng.random() < felony_share
        if felony:
            number = self.numbers.felony_number(convicted)
            charges_from = self.felony_charges
            relief = "dismissed_and_sealed" if rng.random() < 0.93 else "reduced"
        else:
            number = self.numbers.misdemeanor_number(convicted)
            charges_from = self.misdemeanor_charges
            relief = "dismissed_and_sealed" if rng.random() < 0.98 else "other"
        charges: list[str] = []
        for _ in range(1 if rng.random() < 0.65 else (2 if rng.random() < 0.8 else 3)):
            code = charges_from.pick(rng)
            if code not in charges:
                charges.append(code)
        last, first, middle = self.recorded_names(person, case_index)
        recorded_cii = person.cii_number if rng.random() < (0.9 if felony else 0.5) else ""
        return {
            "case_number": number,
            "last_name": last,
            "first_name": first,
            "middle_name": middle,
            "date_of_birth": self.recorded_birth_date(dob).isoformat(),
            "aliases": self.aliases(person, last),
            "charge_codes": ";".join(charges),
            "conviction_date": convicted.isoformat(),
            "court": DEFAULT_COURT,
            "batch": batch,
            "relief": relief,
            "relief_date": relief_date.isoformat(),
            "cii_number": recorded_cii,
        }


def generate_people(*, case_count: int, seed: int) -> Iterator[DemoPerson]:
    """Yield people until their cases add up to `case_count`; deterministic for a seed."""
    generator = _Generator(seed)
    remaining = case_count
    while remaining > 0:
        person = generator.new_person()
        count = min(int(_CASES_PER_PERSON.pick(generator.rng)), remaining)
        if person.sex == "F" and count > 1 and generator.rng.random() < 0.15:
            person.married_last_name = generator.surname(person.group)
        person.cases = [generator.case_row(person, index) for index in range(count)]
        remaining -= count
        yield person


def demo_rows(people: Iterable[DemoPerson]) -> Iterator[dict[str, str]]:
    """The extract rows of `people`, in order."""
    for person in people:
        yield from person.cases


def demo_write_csv(rows: Iterable[dict[str, str]], output: TextIO) -> int:
    """Write rows as an extract CSV (header first); returns the number of rows written."""
    writer = csv.DictWriter(output, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    written = 0
    for row in rows:
        writer.writerow(row)
        written += 1
    return written
