"""Writes of the eligibility check: only the anonymous counts."""

from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from eligibility.models import DeterminationCount


def determinations_count(*, outcomes: Iterable[str], day: date) -> None:
    """Add each outcome to the day's counts."""
    for outcome, number in sorted(Counter(outcomes).items()):
        _count_add(day=day, outcome=outcome, number=number)


def _count_add(*, day: date, outcome: str, number: int) -> None:
    rows = DeterminationCount.objects.filter(day=day, outcome=outcome)
    if rows.update(count=F("count") + number):
        return
    try:
        with transaction.atomic():
            row = DeterminationCount(day=day, outcome=outcome, count=number)
            row.full_clean()
            row.save()
    except IntegrityError:
        # Another request created the day's row between our update and insert.
        rows.update(count=F("count") + number)
