"""Dates of birth: how a typed date relates to a recorded one, and which dates a slip could give.

The slips we allow for are the ones people make typing a date: day and month swapped
(03/04 for 04/03), one digit wrong anywhere (1985-03-14 → 1985-08-14), the year one off
(1989 → 1990, which changes two digits) and two neighbouring digits of the year swapped
(1958 → 1985); and one a record makes, the date a day early or late across a month's end
(03/31 recorded as 04/01: a date stored with a time of day and shifted by a time zone).
Anything else counts as a different date.
"""

import enum
from datetime import date, timedelta
from functools import lru_cache


class DobAgreement(enum.StrEnum):
    EXACT = "exact"
    TRANSPOSED = "day_month_swapped"
    ONE_DIGIT = "one_digit"
    YEAR_OFF = "year_off"
    DAY_APART = "day_apart"
    DIFFERENT = "different"
    MISSING = "missing"


# Years outside this range are not anyone's birth year in the batches; they only add noise.
_YEARS = range(1890, 2030)


def _valid(year: int, month: int, day: int) -> date | None:
    if year not in _YEARS:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _digits(d: date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _transposed(d: date) -> date | None:
    if d.day == d.month:
        return None
    return _valid(d.year, d.day, d.month) if d.day <= 12 else None


def _year_variants(d: date) -> set[date]:
    found = {_valid(d.year - 1, d.month, d.day), _valid(d.year + 1, d.month, d.day)}
    year = f"{d.year:04d}"
    for i in range(3):
        swapped = year[:i] + year[i + 1] + year[i] + year[i + 2 :]
        if swapped != year:
            found.add(_valid(int(swapped), d.month, d.day))
    return {v for v in found if v}


def _one_digit_variants(d: date) -> set[date]:
    """Every valid date with one digit of YYYYMMDD changed (in arithmetic, not in text: this
    runs for every lookup)."""
    found: set[date] = set()
    for value, places, make in (
        (d.year, (1000, 100, 10, 1), lambda v: _valid(v, d.month, d.day)),
        (d.month, (10, 1), lambda v: _valid(d.year, v, d.day)),
        (d.day, (10, 1), lambda v: _valid(d.year, d.month, v)),
    ):
        for place in places:
            digit = value // place % 10
            for other in range(10):
                if other != digit:
                    variant = make(value + (other - digit) * place)
                    if variant:
                        found.add(variant)
    return found


def _days_apart(d: date) -> set[date]:
    found = {d + timedelta(days=step) for step in (-1, 1) if date.min < d < date.max}
    return {v for v in found if v.year in _YEARS}


@lru_cache(maxsize=4096)
def dob_variants(typed: date) -> frozenset[date]:
    """Every recorded date a one-slip typing of `typed` could come from, `typed` excluded."""
    found = _one_digit_variants(typed) | _year_variants(typed) | _days_apart(typed)
    transposed = _transposed(typed)
    if transposed:
        found.add(transposed)
    found.discard(typed)
    return frozenset(found)


def compare_dob(typed: date | None, recorded: date | None) -> DobAgreement:
    if typed is None or recorded is None:
        return DobAgreement.MISSING
    if typed == recorded:
        return DobAgreement.EXACT
    if _transposed(typed) == recorded:
        return DobAgreement.TRANSPOSED
    if sum(a != b for a, b in zip(_digits(typed), _digits(recorded), strict=True)) == 1:
        return DobAgreement.ONE_DIGIT
    if recorded in _year_variants(typed):
        return DobAgreement.YEAR_OFF
    if abs((recorded - typed).days) == 1:
        return DobAgreement.DAY_APART
    return DobAgreement.DIFFERENT
