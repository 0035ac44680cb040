"""Dates of birth: agreement levels and the dates a typing slip could give."""

import contextlib
from datetime import date

import pytest

from cases.matching.dates import DobAgreement, compare_dob, dob_variants

D = date(1983, 3, 4)


@pytest.mark.parametrize(
    ("typed", "recorded", "expected"),
    [
        (D, D, DobAgreement.EXACT),
        (D, date(1983, 4, 3), DobAgreement.TRANSPOSED),
        (D, date(1983, 3, 5), DobAgreement.ONE_DIGIT),
        (D, date(1983, 8, 4), DobAgreement.ONE_DIGIT),
        (D, date(1988, 3, 4), DobAgreement.ONE_DIGIT),
        (date(1989, 3, 4), date(1990, 3, 4), DobAgreement.YEAR_OFF),
        (date(1958, 3, 4), date(1985, 3, 4), DobAgreement.YEAR_OFF),
        (date(1968, 3, 31), date(1968, 4, 1), DobAgreement.DAY_APART),
        (date(1977, 8, 30), date(1977, 8, 29), DobAgreement.DAY_APART),
        (date(1999, 12, 31), date(2000, 1, 1), DobAgreement.DAY_APART),
        (D, date(1983, 3, 6), DobAgreement.ONE_DIGIT),
        (D, date(1983, 3, 7), DobAgreement.ONE_DIGIT),
        (date(1968, 3, 31), date(1968, 4, 2), DobAgreement.DIFFERENT),
        (D, date(1983, 5, 17), DobAgreement.DIFFERENT),
        (D, date(1990, 3, 4), DobAgreement.DIFFERENT),
        (None, D, DobAgreement.MISSING),
    ],
)
def test_compare_dob(typed, recorded, expected):
    assert compare_dob(typed, recorded) == expected


def test_variants_cover_every_slip_and_exclude_the_date_itself():
    variants = dob_variants(D)
    assert D not in variants
    assert {date(1983, 4, 3), date(1983, 3, 5), date(1984, 3, 4), date(1982, 3, 4)} <= variants
    # A day early or late across a month's end, as a record shifted by a time zone shows it.
    assert {date(1968, 3, 30), date(1968, 4, 1)} <= dob_variants(date(1968, 3, 31))
    assert all(compare_dob(D, v) != DobAgreement.DIFFERENT for v in variants)


def test_variants_are_few_and_plausible_birth_years():
    variants = dob_variants(date(1979, 12, 31))
    assert 20 <= len(variants) <= 80
    assert all(1890 <= v.year < 2030 for v in variants)


def _one_digit_in_text(typed: date) -> set[date]:
    """The definition: every valid date (years 1890-2029) with one digit of YYYYMMDD changed."""
    text = f"{typed.year:04d}{typed.month:02d}{typed.day:02d}"
    found = set()
    for i, digit in enumerate(text):
        for other in "0123456789":
            if other == digit:
                continue
            changed = text[:i] + other + text[i + 1 :]
            year, month, day = int(changed[:4]), int(changed[4:6]), int(changed[6:])
            if 1890 <= year < 2030:
                with contextlib.suppress(ValueError):
                    found.add(date(year, month, day))
    return found


@pytest.mark.parametrize(
    "typed",
    [date(1970, 3, 27), date(1999, 12, 31), date(2000, 2, 29), date(1890, 1, 1),
     date(2029, 10, 10), date(1981, 1, 9), date(1905, 11, 30)],
)  # fmt: skip
def test_one_digit_variants_are_the_dates_one_digit_of_the_text_away(typed):
    from cases.matching.dates import _one_digit_variants

    assert _one_digit_variants(typed) == _one_digit_in_text(typed)
