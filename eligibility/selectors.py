"""Reads for staff: determinations per week and outcome (eligibility/admin.py)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum

from eligibility.models import DeterminationCount
from eligibility.rules import Outcome

OUTCOME_ORDER = tuple(Outcome)


@dataclass(frozen=True)
class WeekRow:
    week_of: date  # the Monday
    counts: tuple[int, ...]  # in OUTCOME_ORDER

    @property
    def total(self) -> int:
        return sum(self.counts)


def determinations_per_week(*, weeks: int, today: date) -> list[WeekRow]:
    """The last `weeks` weeks, newest first, each with its count per outcome (zeros shown)."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    totals: dict[tuple[date, str], int] = {}
    rows = (
        DeterminationCount.objects.filter(day__gte=first, day__lte=today)
        .values("day", "outcome")
        .annotate(total=Sum("count"))
    )
    for row in rows:
        monday = row["day"] - timedelta(days=row["day"].weekday())
        key = (monday, row["outcome"])
        totals[key] = totals.get(key, 0) + row["total"]
    return [
        WeekRow(
            week_of=monday,
            counts=tuple(totals.get((monday, outcome.value), 0) for outcome in OUTCOME_ORDER),
        )
        for monday in (this_monday - timedelta(weeks=n) for n in range(weeks))
    ]
