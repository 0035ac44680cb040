"""Celery tasks for lookups: thin wrappers that own only the retry policy."""

import logging
import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError

from screener import services
from screener.access import retention as access_retention
from screener.models import Notification
from screener.notifications import alerts, delivery, outbox

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (DatabaseError, ConnectionError, TimeoutError)


@shared_task(bind=True, acks_late=True, max_retries=5, soft_time_limit=60, time_limit=90)
def check_lookup(self, lookup_id: int) -> str:
    try:
        return services.lookup_check(lookup_id=lookup_id).status
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc
        logger.exception("check_lookup gave up on lookup id=%s", lookup_id)
        services.lookup_mark_failed(lookup_id=lookup_id, error=type(exc).__name__)
        alerts.operations_alert()
        raise
    except Exception as exc:
        # Not worth retrying: leave the lookup in a definite state that staff can see.
        logger.exception("check_lookup failed on lookup id=%s", lookup_id)
        services.lookup_mark_failed(lookup_id=lookup_id, error=type(exc).__name__)
        alerts.operations_alert()
        raise


@shared_task(soft_time_limit=120, time_limit=180)
def requeue_stuck_lookups() -> int:
    return len(services.lookups_requeue_stuck())


@shared_task(soft_time_limit=600, time_limit=660)
def anonymize_expired_lookups() -> int:
    return services.lookups_anonymize_expired()


@shared_task(soft_time_limit=600, time_limit=660)
def expire_access_records() -> dict[str, int]:
    return access_retention.access_records_expire()


# Notifications: 5 tries, waiting about 30 s, 1, 2 and 4 min between them (the settings).
NOTIFICATION_MAX_TRIES = settings.NOTIFICATION_MAX_TRIES
NOTIFICATION_RETRY_ERRORS = (delivery.TransientSendError, SoftTimeLimitExceeded, DatabaseError)


def notification_backoff(retries: int) -> float:
    """Exponential wait before try `retries + 2`, plus jitter so retries after an outage spread."""
    delay = settings.NOTIFICATION_BACKOFF_SECONDS * 2**retries
    return delay + random.uniform(0, delay / 2)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=NOTIFICATION_MAX_TRIES - 1,
    soft_time_limit=45,
    time_limit=75,
)
def send_notification(self, notification_id: int) -> str:
    try:
        return delivery.notification_send(notification_id=notification_id).status
    except Notification.DoesNotExist:
        # The lookup and its messages were deleted before this ran: nothing to send.
        return "missing"
    except NOTIFICATION_RETRY_ERRORS as exc:
        if self.request.retries < self.max_retries:
            countdown = notification_backoff(self.request.retries)
            raise self.retry(exc=exc, countdown=countdown) from exc
        delivery.notification_mark_failed(
            notification_id=notification_id,
            error="" if isinstance(exc, delivery.TransientSendError) else type(exc).__name__,
        )
        return Notification.Status.FAILED
    except Exception as exc:
        # A bug, not the provider: leave a definite state that staff see, and surface the error.
        logger.exception("send_notification failed on notification id=%s", notification_id)
        delivery.notification_mark_failed(notification_id=notification_id, error=type(exc).__name__)
        raise


@shared_task(soft_time_limit=120, time_limit=180)
def requeue_stale_notifications() -> int:
    return len(outbox.notifications_requeue_stale())


@shared_task(soft_time_limit=60, time_limit=90)
def send_operations_alert() -> bool:
    """Report failures the last alert's window held back (beat, every window)."""
    return alerts.operations_alert()
