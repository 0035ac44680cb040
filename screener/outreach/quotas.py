"""Daily intake quotas per worker and per event, in place of the public per-IP limits.

A community center's laptop is one address for hundreds of walk-ins, so the public form's limits
would refuse the 11th person of the hour. The intake is signed in instead, and each worker and
each event has a day's quota sized for an event (OUTREACH_WORKER_DAILY_QUOTA,
OUTREACH_EVENT_DAILY_QUOTA): enough for the busiest Week of Action site, small enough that a
stolen staff session cannot be used to look up a county's worth of people.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from screener.models import Lookup, OutreachEvent


@dataclass(frozen=True)
class QuotaUse:
    by_worker: int
    by_event: int
    worker_quota: int
    event_quota: int


def quota_message(use: QuotaUse) -> str:
    """Why one more walk-in cannot be entered today, or "" when it can."""
    if use.by_worker >= use.worker_quota:
        return _(
            "You have entered %(count)s walk-ins today, the most one worker may enter in a day. "
            "Ask the event's coordinator to continue, or continue tomorrow."
        ) % {"count": use.worker_quota}
    if use.by_event >= use.event_quota:
        return _(
            "This event has had %(count)s walk-ins today, the most for one event in a day. "
            "Ask the Relief Check team to raise the event's limit."
        ) % {"count": use.event_quota}
    return ""


def _day_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def quota_use(*, worker, event: OutreachEvent, now: datetime | None = None) -> QuotaUse:
    """Walk-ins entered since local midnight by `worker` and at `event`."""
    start = _day_start(now or timezone.now())
    today = Lookup.objects.filter(
        channel=Lookup.Channel.OUTREACH, created_at__gte=start, created_at__lt=start + timedelta(1)
    )
    return QuotaUse(
        by_worker=today.filter(submitted_by=worker).count(),
        by_event=today.filter(event=event).count(),
        worker_quota=settings.OUTREACH_WORKER_DAILY_QUOTA,
        event_quota=settings.OUTREACH_EVENT_DAILY_QUOTA,
    )
