"""Whether two recorded cases are one person's.

The engine ties a person's other cases to a case that fits what was typed with `same_person`
(decide.py), and the review screen's "other cases of this recorded person" uses the same rule
(engine.same_person_cases), so staff and the engine mean the same thing by "the same person".
Pure: no database.
"""

from .compare import Level, compare_given, compare_surname
from .names import are_translations, is_known_given_name
from .normalize import given_names, normalize_name, surname
from .types import CandidateRecord

_SAME_SURNAME = (Level.EXACT, Level.SPACING, Level.PARTIAL, Level.PHONETIC, Level.TYPO)
_SAME_GIVEN = (Level.EXACT, Level.NICKNAME, Level.PHONETIC)


def same_person(a: CandidateRecord, b: CandidateRecord, *, common_name: bool = False) -> bool:
    """Whether two cases are recorded as one person's: the same CII number when both record one
    (a different CII is a different person, whatever the names); otherwise the same date of
    birth, and first name and surname agreeing as a typed name would (spelling, double surname,
    nickname), or the same two names with first and last swapped, and no second given names
    that differ (`second_given_names_differ`). For a name so common that
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
    if second_given_names_differ(a, b):
        return False
    surname_a, surname_b = surname(a.last_name), surname(b.last_name)
    if {first_a[0], *surname_a.parts} == {first_b[0], *surname_b.parts}:
        return True
    level = compare_given(first_a, first_b)[0]
    both_real = is_known_given_name(first_a[0]) and is_known_given_name(first_b[0])
    if level not in _SAME_GIVEN and not (level == Level.TYPO and not both_real):
        return False
    # JOSEPH and JOSE born the same day under one surname may be twins.
    if are_translations(first_a[0], first_b[0]):
        return False
    return compare_surname(surname_a, surname_b)[0] in _SAME_SURNAME


def same_given_name_and_birth(a: CandidateRecord, b: CandidateRecord) -> bool:
    """The same date of birth and first name (a nickname, the same sound, or a slip in one of
    them), whatever the surnames, and no middle names that differ."""
    given_a = given_names(a.first_name, a.middle_name)
    given_b = given_names(b.first_name, b.middle_name)
    if a.date_of_birth != b.date_of_birth or not given_a or not given_b:
        return False
    first, middle, _ = compare_given(given_a, given_b)
    if middle == Level.DIFFERENT or are_translations(given_a[0], given_b[0]):
        return False
    if first == Level.TYPO:
        return not (is_known_given_name(given_a[0]) and is_known_given_name(given_b[0]))
    return first in (Level.EXACT, Level.NICKNAME, Level.PHONETIC)


def second_given_names_differ(a: CandidateRecord, b: CandidateRecord) -> bool:
    """Both cases record a second given name (as the middle name or within the first name) and
    the two differ: JOSE EMILIO and JOSE MANUEL born the same day are two people (brothers, or
    namesakes of a name as common as JOSE), not one person's cases. An initial, a nickname or
    a slip on one side is no difference."""
    given_a = given_names(a.first_name, a.middle_name)
    given_b = given_names(b.first_name, b.middle_name)
    if not given_a or not given_b:
        return False
    return compare_given(given_a, given_b)[1] == Level.DIFFERENT
