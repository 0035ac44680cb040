"""Celery tasks for lookups: thin wrappers that own only the retry policy."""

import logging

from celery import shared_task
from django.db import DatabaseError

from screener import services

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
        raise
    except Exception as exc:
        # Not worth retrying: leave the lookup in a definite state that staff can see.
        logger.exception("check_lookup failed on lookup id=%s", lookup_id)
        services.lookup_mark_failed(lookup_id=lookup_id, error=type(exc).__name__)
        raise


@shared_task(soft_time_limit=120, time_limit=180)
def requeue_stuck_lookups() -> int:
    return len(services.lookups_requeue_stuck())


@shared_task(soft_time_limit=600, time_limit=660)
def anonymize_expired_lookups() -> int:
    return services.lookups_anonymize_expired()
