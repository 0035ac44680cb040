"""Figures for the staff dashboard: lookups per day by outcome, the review queue, how long people
wait for a result, decisions per reviewer, and what operations watch (work waiting, failures).

Aggregation runs in the database with functions both SQLite and PostgreSQL have (TruncDate,
Count with filter, date subtraction); the median is read as the middle row(s) of an ordered
query rather than with percentile_cont, which SQLite lacks.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from screener.models import Lookup, Notification, ReviewDecision

PENDING = "pending"  # a lookup the engine has not answered yet (no outcome)
OUTCOME_COLUMNS = (
    Lookup.Outcome.MATCH.value,
    Lookup.Outcome.POSSIBLE.value,
    Lookup.Outcome.NO_MATCH.value,
    PENDING,
)
RESULT_STATUSES = (Lookup.Status.MATCHED, Lookup.Status.NOT_FOUND)


@dataclass(frozen=True)
class QueueSummary:
    count: int
    oldest_created_at: datetime | None

    def oldest_age(self, now: datetime | None = None) -> timedelta | None:
        if self.oldest_created_at is None:
            return None
        return (now or timezone.now()) - self.oldest_created_at


@dataclass(frozen=True)
class DayRow:
    day: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ReviewerRow:
    reviewer: str
    confirm: int
    reject: int
    more_info: int

    @property
    def total(self) -> int:
        return self.confirm + self.reject + self.more_info


@dataclass(frozen=True)
class OperationsSummary:
    """What operations watch: work waiting for the worker, and what failed in the period."""

    waiting: QueueSummary  # lookups the engine has not answered (RECEIVED or CHECKING)
    messages_queued: QueueSummary  # messages not yet taken by their provider
    messages_failed: dict[str, int]  # by channel, in the period
    lookups_failed: int  # could not be checked, in the period

    @property
    def messages_failed_total(self) -> int:
        return sum(self.messages_failed.values())


@dataclass(frozen=True)
class DashboardFigures:
    days: int
    since: datetime
    queue: QueueSummary
    operations: OperationsSummary | None = None
    per_day: list[DayRow] = field(default_factory=list)
    median_to_result: timedelta | None = None
    median_to_decision: timedelta | None = None
    decisions: list[ReviewerRow] = field(default_factory=list)


def review_queue_summary() -> QueueSummary:
    figures = Lookup.objects.filter(status=Lookup.Status.NEEDS_REVIEW).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    return QueueSummary(count=figures["count"], oldest_created_at=figures["oldest"])


def _queue_summary(queryset: QuerySet, field_name: str) -> QueueSummary:
    figures = queryset.aggregate(count=Count("pk"), oldest=Min(field_name))
    return QueueSummary(count=figures["count"], oldest_created_at=figures["oldest"])


def operations_summary(since: datetime) -> OperationsSummary:
    failed = Notification.objects.filter(status=Notification.Status.FAILED, updated_at__gte=since)
    return OperationsSummary(
        waiting=_queue_summary(
            Lookup.objects.filter(status__in=(Lookup.Status.RECEIVED, Lookup.Status.CHECKING)),
            "created_at",
        ),
        messages_queued=_queue_summary(
            Notification.objects.filter(status=Notification.Status.QUEUED), "created_at"
        ),
        messages_failed={
            row["channel"]: row["n"] for row in failed.values("channel").annotate(n=Count("pk"))
        },
        lookups_failed=Lookup.objects.filter(
            status=Lookup.Status.FAILED, updated_at__gte=since
        ).count(),
    )


def median_duration(queryset: QuerySet, *, start: str, end) -> timedelta | None:
    """Median of `end - start` over the rows of `queryset` (rows where `end` is null excluded)."""
    durations = (
        queryset.annotate(
            _end=end,
            _duration=ExpressionWrapper(F("_end") - F(start), output_field=DurationField()),
        )
        .filter(_end__isnull=False)
        .order_by("_duration")
    )
    count = durations.count()
    if not count:
        return None
    middle = list(durations.values_list("_duration", flat=True)[(count - 1) // 2 : count // 2 + 1])
    return sum(middle, timedelta()) / len(middle)


def lookups_per_day(since: datetime) -> list[DayRow]:
    rows = (
        Lookup.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day", "outcome")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    by_day: dict[date, dict[str, int]] = {}
    for row in rows:
        counts = by_day.setdefault(row["day"], dict.fromkeys(OUTCOME_COLUMNS, 0))
        counts[row["outcome"] or PENDING] += row["n"]
    return [DayRow(day=day, counts=counts) for day, counts in by_day.items()]


def decisions_per_reviewer(since: datetime) -> list[ReviewerRow]:
    username = f"reviewer__{get_user_model().USERNAME_FIELD}"
    rows = (
        ReviewDecision.objects.filter(created_at__gte=since)
        .values(username)
        .annotate(
            confirm=Count("pk", filter=Q(decision=ReviewDecision.Decision.CONFIRM)),
            reject=Count("pk", filter=Q(decision=ReviewDecision.Decision.REJECT)),
            more_info=Count("pk", filter=Q(decision=ReviewDecision.Decision.MORE_INFO)),
            total=Count("pk"),
        )
        .order_by("-total", username)
    )
    return [
        ReviewerRow(
            reviewer=row[username],
            confirm=row["confirm"],
            reject=row["reject"],
            more_info=row["more_info"],
        )
        for row in rows
    ]


def dashboard_figures(*, days: int = 30, now: datetime | None = None) -> DashboardFigures:
    now = now or timezone.now()
    since = now - timedelta(days=days)
    answered = Lookup.objects.filter(created_at__gte=since, status__in=RESULT_STATUSES)
    return DashboardFigures(
        days=days,
        since=since,
        queue=review_queue_summary(),
        operations=operations_summary(since),
        per_day=lookups_per_day(since),
        # A result is the engine's answer, or the reviewer's when the lookup was flagged.
        median_to_result=median_duration(
            answered, start="created_at", end=Coalesce("decided_at", "checked_at")
        ),
        median_to_decision=median_duration(
            answered.filter(decided_at__isnull=False), start="created_at", end=F("decided_at")
        ),
        decisions=decisions_per_reviewer(since),
    )
