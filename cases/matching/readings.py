"""Readings of a typed name: as typed, first and last swapped, the middle name as a surname, an
other name given. Each reading is compared with every recorded name (weights.score_candidate);
a reading other than as typed costs bits, since it is a less likely account of what was typed.
Pure: no database.
"""

import enum
import math
from dataclasses import dataclass
from datetime import date

from cases.normalize import case_normalize_number

from .normalize import Surname, given_names, normalize_name, surname
from .types import PersonQuery


class Reading(enum.StrEnum):
    """Where a reading of the typed name comes from; the value is how explanations say it."""

    AS_TYPED = "as typed"
    SWAPPED = "first and last name swapped"
    MIDDLE_AS_SURNAME = "middle name read as the first surname"
    OTHER_NAME = "other name given"


# Typing first and last name in each other's boxes is common on paper forms and phones.
SWAPPED_WEIGHT = math.log2(0.1)
MIDDLE_AS_SURNAME_WEIGHT = math.log2(0.5)


@dataclass(frozen=True)
class NameForm:
    """One reading of a typed name: given names, a surname, and where the reading comes from."""

    given: tuple[str, ...]
    surname: Surname
    reading: Reading
    weight: float = 0.0


@dataclass(frozen=True)
class PreparedQuery:
    readings: tuple[NameForm, ...]
    date_of_birth: date | None
    case_number: str


def prepare_query(query: PersonQuery) -> PreparedQuery:
    """Every reading of what was typed: as typed, first and last swapped, other names given."""
    given = given_names(query.first_name, query.middle_name)
    readings = [NameForm(given, surname(query.last_name), Reading.AS_TYPED)]
    swapped_given = given_names(query.last_name)
    if swapped_given and normalize_name(query.first_name):
        readings.append(
            NameForm(
                swapped_given,
                surname(query.first_name),
                Reading.SWAPPED,
                SWAPPED_WEIGHT,
            )
        )
    if query.middle_name.strip():
        readings.append(
            NameForm(
                given_names(query.first_name),
                surname(f"{query.middle_name} {query.last_name}"),
                Reading.MIDDLE_AS_SURNAME,
                MIDDLE_AS_SURNAME_WEIGHT,
            )
        )
    for other in query.other_names:
        words = normalize_name(other)
        if len(words) >= 2:
            readings.append(NameForm(words[:1], surname(" ".join(words[1:])), Reading.OTHER_NAME))
        if len(words) >= 3:
            readings.append(NameForm(words[:-1], surname(words[-1]), Reading.OTHER_NAME))
    return PreparedQuery(
        readings=tuple(readings),
        date_of_birth=query.date_of_birth,
        case_number=case_normalize_number(query.case_number),
    )
