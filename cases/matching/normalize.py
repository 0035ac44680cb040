"""Name normalization: what is left of a name once the ways of writing it are taken out.

Court and DOJ extracts record names in upper case without accents; people type them with accents,
hyphens, particles and suffixes, joined or split. Everything here is pure and deterministic, and
the same functions run on the recorded side (search keys) and on the typed side (queries), so both
land on the same forms.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from cases.normalize import strip_accents

# Particles that Spanish, Portuguese, Dutch, French and Italian surnames carry: "De La Cruz" is
# recorded as DE LA CRUZ, DELACRUZ or just CRUZ. "Y" joins double surnames ("Garcia y Lopez").
SURNAME_PARTICLES = frozenset(
    {
        "DE",
        "DEL",
        "LA",
        "LAS",
        "LOS",
        "DELA",
        "DELOS",
        "DELAS",
        "Y",
        "DA",
        "DAS",
        "DO",
        "DOS",
        "DI",
        "VAN",
        "VON",
        "DER",
        "DEN",
        "LE",
        "ST",
        "SAN",
        "SANTA",
    }
)
# Generational suffixes carry no identity on their own (a father and son differ by date of birth).
NAME_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV", "2ND", "3RD", "JUNIOR", "SENIOR"})

_APOSTROPHES = re.compile(r"['’`´]")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


def fold(text: str) -> str:
    """Upper-case ASCII letters and digits separated by single spaces.

    Accents are dropped (José → JOSE, Muñoz → MUNOZ) because the extracts drop them; apostrophes
    join (O'Brien → OBRIEN); every other punctuation mark, hyphen included, separates words.
    """
    joined = _APOSTROPHES.sub("", strip_accents(text).upper())
    return _NOT_ALNUM.sub(" ", joined).strip()


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> tuple[str, ...]:
    """The words of a name without suffixes or digits: "José-Luis Jr." → ("JOSE", "LUIS")."""
    words = [w for w in fold(text).split() if w not in NAME_SUFFIXES]
    letters = (re.sub(r"[0-9]", "", w) for w in words)
    return tuple(w for w in letters if w)


@dataclass(frozen=True)
class Surname:
    """A surname in the forms it is compared in.

    `parts` are the significant words (particles removed): DE LA CRUZ → ("CRUZ",);
    GARCIA-LOPEZ → ("GARCIA", "LOPEZ"). `joined` is the parts written together (GARCIALOPEZ) and
    `full` every word written together, particles included (DELACRUZ): a person who types the
    surname as one word lands on one of them.
    """

    parts: tuple[str, ...]
    joined: str
    full: str

    @property
    def forms(self) -> frozenset[str]:
        """Every written-together form a person could type for this surname."""
        return frozenset(f for f in {self.joined, self.full, *self.parts} if f)

    def __bool__(self) -> bool:
        return bool(self.full)


@lru_cache(maxsize=65536)
def surname(text: str) -> Surname:
    words = normalize_name(text)
    parts = tuple(w for w in words if w not in SURNAME_PARTICLES)
    # A surname made only of particle-like words ("LA", "DE") is still a surname.
    if not parts:
        parts = words
    return Surname(parts=parts, joined="".join(parts), full="".join(words))


@lru_cache(maxsize=65536)
def given_names(*texts: str) -> tuple[str, ...]:
    """Given-name words from first and middle name, in order, without repeats."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in normalize_name(text):
            seen.setdefault(word, None)
    return tuple(seen)


# Spellings that sound alike in Spanish and are swapped in records and forms: B/V, S/Z/C(e,i),
# GUE/GUI → GE/GI (Rodrigues), initial X before a vowel (Ximenez/Jimenez), initial Y before a
# consonant (Ybarra/Ibarra), and TH → T (Anthony/Antony).
_PHONETIC_REWRITES = (
    (re.compile(r"V"), "B"),
    (re.compile(r"Z"), "S"),
    (re.compile(r"GU(?=[EI])"), "G"),
    (re.compile(r"^Y(?=[^AEIOU])"), "I"),
    (re.compile(r"TH"), "T"),
    (re.compile(r"^X(?=[AEIOU])"), "J"),
)


@lru_cache(maxsize=65536)
def phonetic(word: str) -> str:
    """A sound-alike code for one folded word (metaphone after Spanish spelling rewrites)."""
    if not word:
        return ""
    text = word
    for pattern, replacement in _PHONETIC_REWRITES:
        text = pattern.sub(replacement, text)
    return jellyfish.metaphone(text) or text


# A spelling skeleton for comparing two surnames: the Spanish sound-alike letters merged (LL/Y/I,
# silent H, Z/S, V/B, soft C and G, GUE/GE, QU/K) and doubled letters collapsed. FARRELL and FARREY,
# SULLIVAN and SUYIVAN, DIAZ and DYAZ share one. Finer than `phonetic`, used only to compare.
_SKELETON_REWRITES = (
    (re.compile(r"LL"), "Y"),
    (re.compile(r"Y"), "I"),
    (re.compile(r"(?<![CSP])H"), ""),
    (re.compile(r"Z"), "S"),
    (re.compile(r"V"), "B"),
    (re.compile(r"C(?=[EI])"), "S"),
    (re.compile(r"GU(?=[EI])"), "G"),
    (re.compile(r"G(?=[EI])"), "J"),
    (re.compile(r"QU"), "K"),
    (re.compile(r"C"), "K"),
    (re.compile(r"(.)\1+"), r"\1"),
)


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    text = word
    for pattern, replacement in _SKELETON_REWRITES:
        text = pattern.sub(replacement, text)
    return text
