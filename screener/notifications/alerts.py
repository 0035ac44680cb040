"""Alerts to operations when messages or lookups fail: a few per outage, not one per message.

A provider outage fails every message that waits for it once their retries run out, maybe
thousands. The first failure sends an alert at once; the next ones within
OPERATIONS_ALERT_MINUTES are counted and reported by the first alert after the window. Alerts
carry counts, error kinds and staff links, never a recipient or a name (the errors are already
redacted). Each alert is also logged, so it reaches the logs when email is the thing that is down.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from config.site import site_url
from screener.models import Lookup, Notification

logger = logging.getLogger(__name__)

WINDOW_KEY = "operations-alert:window"
LAST_KEY = "operations-alert:last"
# The first alert ever (or after the cache was cleared) counts failures this far back.
FIRST_LOOKBACK = timedelta(hours=1)


def failures_since(since: datetime) -> tuple[Counter, int, list[str]]:
    """(failed messages by channel, failed lookups, the most frequent message errors)."""
    failed = Notification.objects.filter(status=Notification.Status.FAILED, updated_at__gt=since)
    by_channel = Counter(
        {row["channel"]: row["n"] for row in failed.values("channel").annotate(n=Count("pk"))}
    )
    errors = Counter(failed.values_list("last_error", flat=True)[:500])
    lookups = Lookup.objects.filter(status=Lookup.Status.FAILED, updated_at__gt=since).count()
    return by_channel, lookups, [error or "(no error text)" for error, _n in errors.most_common(3)]


def operations_alert() -> bool:
    """Send the failures since the last alert to OPERATIONS_ALERT_EMAIL, unless one went out in
    the last OPERATIONS_ALERT_MINUTES. Returns whether an alert was sent (or logged)."""
    now = timezone.now()
    since = cache.get(LAST_KEY) or now - FIRST_LOOKBACK
    by_channel, lookups, errors = failures_since(since)
    messages = sum(by_channel.values())
    if not messages and not lookups:
        return False
    # Atomic in Redis: of the workers failing messages at once, one sends the alert.
    if not cache.add(WINDOW_KEY, 1, timeout=settings.OPERATIONS_ALERT_MINUTES * 60):
        return False
    cache.set(LAST_KEY, now, timeout=None)
    subject = (
        f"[Relief Check] {messages} message(s) and {lookups} lookup(s) failed "
        f"since {since:%Y-%m-%d %H:%M} UTC"
    )
    outbox = site_url(reverse("admin:screener_notification_changelist")) + "?status__exact=failed"
    lines = [subject.removeprefix("[Relief Check] ") + ".", ""]
    lines += [f"- {channel} messages: {count}" for channel, count in sorted(by_channel.items())]
    if lookups:
        lines.append(f"- lookups that could not be checked: {lookups}")
    body = "\n".join(
        [
            *lines,
            "",
            "Most frequent errors:",
            *(f"- {error}" for error in errors),
            "",
            f"Failed messages: {outbox}",
            f"Dashboard: {site_url(reverse('admin:dashboard'))}",
            "",
            f"Failures in the next {settings.OPERATIONS_ALERT_MINUTES} minutes are counted "
            "in the next alert (beat checks every window). Staff can send failed messages again "
            "from the outbox.",
        ]
    )
    logger.error("operations alert: %s", subject)
    if settings.OPERATIONS_ALERT_EMAIL:
        try:
            send_mail(subject, body, None, settings.OPERATIONS_ALERT_EMAIL, fail_silently=False)
        except Exception:
            # Likely the same mail server that failed the messages: the log line above stays.
            logger.exception("operations alert could not be emailed")
    return True
