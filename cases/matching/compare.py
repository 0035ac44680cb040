"""Field agreement: how a typed surname, given names or case number agree with a recorded one.

Each comparison gives a `Level` (the date of birth's is `dates.DobAgreement`); the texts below say
in plain English what each level means, for the explanation staff read. The review screen shows
these same levels (explain.py), so staff see the verdict the engine weighed. Pure: no database.
"""

import enum
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.utils.translation import gettext_noop as N_
from rapidfuzz.distance import OSA, JaroWinkler

from .dates import DobAgreement
from .names import (
    are_nicknames,
    is_known_given_name,
    is_known_surname,
    name_roots,
    translations_of,
)
from .normalize import Surname, phonetic, skeleton


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
    # One or two letters added, dropped or doubled (SARAA/SARA, MELIND/MELINDA, STUBX/STUBBS),
    # where neither a sound-alike nor a typing slip explains it; or a brother's and a sister's
    # names (MARIO/MARIA). Never a match: at most `possible`, and only beside an exact date of
    # birth and an exact other name (rules.py).
    NEAR = "one_or_two_letters_off"
    # Both given names typed, in the other order (JORGE FRANCISCO for FRANCISCO JORGE).
    OTHER_ORDER = "given_names_in_other_order"


# First-name levels that can carry a match (an initial, or a different name, cannot).
GIVEN_FOR_MATCH = (
    Level.EXACT,
    Level.NICKNAME,
    Level.MIDDLE_AS_FIRST,
    Level.OTHER_ORDER,
    Level.PHONETIC,
    Level.TYPO,
)
NAME_CONFLICTS = (Level.DIFFERENT, Level.MISSING)


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


# Names this many letters apart at most, of at least NEAR_MIN_LENGTH letters, are NEAR.
NEAR_DISTANCE = 2
NEAR_MIN_LENGTH = 3


def is_near(a: str, b: str) -> bool:
    """One or two letters added, dropped, doubled or changed: SARAA/SARA, STUBX/STUBBS."""
    return min(len(a), len(b)) >= NEAR_MIN_LENGTH and OSA.distance(a, b) <= NEAR_DISTANCE


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
    if any(is_near(t, r) for t in whole_typed for r in whole_recorded):
        return Level.NEAR, typed.joined
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


@lru_cache(maxsize=65536)
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
    elif t1 in middle_recorded and r1 in middle_typed:
        return Level.OTHER_ORDER, None, r1
    elif t1 in middle_recorded or r1 in middle_typed:
        return Level.MIDDLE_AS_FIRST, None, r1
    elif is_gender_pair(t1, r1):
        # MARIO and MARIA: a brother's and a sister's names, but only a letter apart.
        level = Level.NEAR if is_known_given_name(t1) and is_known_given_name(r1) else Level.TYPO
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
    elif is_near(t1, r1):
        level = Level.NEAR
    else:
        level = Level.DIFFERENT
    middle = None
    if middle_typed and middle_recorded:
        middle = _compare_middle(middle_typed[0], middle_recorded[0])
    return level, middle, r1


def _compare_middle(mt: str, mr: str) -> Level:
    """Agreement of a typed and a recorded middle name (the first of each)."""
    if mt == mr:
        return Level.EXACT
    if are_nicknames(mt, mr):
        return Level.NICKNAME
    if (len(mt) == 1 or len(mr) == 1) and mt[0] == mr[0]:
        return Level.INITIAL
    if misspelling_of(mt, mr, is_known_given_name) and (
        phonetic(mt) == phonetic(mr) or _typo_close(mt, mr)
    ):
        return Level.TYPO
    return Level.DIFFERENT


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


@lru_cache(maxsize=65536)
def translation_slip(typed: str, recorded: str) -> bool:
    """The recorded spelling is as near the typed name's translation as a slip is, and no nearer
    the typed name itself: ANTONYO for ANTHONY is ANTONIO misspelled as much as ANTHONY;
    ROBEROT for ROBERT is ROBERTO too. ROBRET for ROBERT and JUUAN for JUAN are slips of the
    name typed (nearer it than JOHN or ROBERTO), as a person's own name is misspelled on record.
    Only for a recorded spelling that is no name of its own (a real one is compared as itself)."""
    if is_known_given_name(recorded):
        return False
    to_typed = OSA.distance(typed, recorded)
    sounds_as_typed = phonetic(typed) == phonetic(recorded)
    return any(
        (_typo_close(other, recorded) and OSA.distance(other, recorded) <= to_typed)
        or (not sounds_as_typed and phonetic(other) == phonetic(recorded))
        for other in translations_of(typed)
    )


def misspelling_of(a: str, b: str, is_known: Callable[[str], bool]) -> str | None:
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


# What each level means, in plain English: stored in the explanation staff read, in English;
# marked for translation so that the review screen can show them in the reviewer's language.
SURNAME_TEXT = {
    Level.EXACT: N_("The surname is the same."),
    Level.SPACING: N_("The surname is the same once spaces, hyphens and particles are ignored."),
    Level.PARTIAL: N_("The surname typed is one part of a double surname (or the reverse)."),
    Level.SECOND_PART: N_(
        "Only the second part of a double surname agrees (people usually keep the first)."
    ),
    Level.PHONETIC: N_("The surname sounds the same but is spelled differently."),
    Level.TYPO: N_("The surname differs by a typing slip."),
    Level.NEAR: N_("The surname is one or two letters off."),
    Level.DIFFERENT: N_("The surname is different."),
    Level.MISSING: N_("No surname to compare."),
}
GIVEN_TEXT = {
    Level.EXACT: N_("The first name is the same."),
    Level.NICKNAME: N_("The first name typed is a nickname of the recorded one (or the reverse)."),
    Level.MIDDLE_AS_FIRST: N_("A middle name was used as the first name (or the reverse)."),
    Level.OTHER_ORDER: N_("The first and middle names are the same, in the other order."),
    Level.PHONETIC: N_("The first name sounds the same but is spelled differently."),
    Level.TYPO: N_("The first name differs by a typing slip."),
    Level.INITIAL: N_("Only an initial was given, and it agrees."),
    Level.NEAR: N_("The first name is one or two letters off."),
    Level.DIFFERENT: N_("The first name is different."),
    Level.MISSING: N_("No first name to compare."),
}
MIDDLE_TEXT = {
    Level.EXACT: N_("The middle name is the same."),
    Level.NICKNAME: N_("The middle name is a nickname of the recorded one."),
    Level.TYPO: N_("The middle name differs by a spelling slip."),
    Level.INITIAL: N_("The middle initial agrees."),
    Level.DIFFERENT: N_("The middle name is different."),
}
DOB_TEXT = {
    DobAgreement.EXACT: N_("The date of birth is the same."),
    DobAgreement.TRANSPOSED: N_("The date of birth has day and month swapped."),
    DobAgreement.ONE_DIGIT: N_("The date of birth differs in one digit."),
    DobAgreement.YEAR_OFF: N_("The year of birth is one off or has two digits swapped."),
    DobAgreement.DAY_APART: N_("The dates of birth are a day apart, across a month's end."),
    DobAgreement.DIFFERENT: N_("The date of birth is different."),
    DobAgreement.MISSING: N_("No date of birth was given."),
}
CASE_NUMBER_TEXT = {
    Level.EXACT: N_("The case number typed is this case's number."),
    Level.CLOSE: N_("The case number typed is one character off this case's number."),
    Level.DIFFERENT: N_(
        "The case number typed is a different one (a person with several cases may type only one)."
    ),
}
