"""Health checks: `GET /healthz` for load balancers and compose, the details for staff.

The public check says only whether the site can take requests (200 "ok", or 503
"unavailable"): which part failed, and how, is for staff (`/staff/health/`, behind the staff
login) and the logs. Neither names the database vendor or an exception class.
"""

import logging
import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    ok: bool
    milliseconds: float
    # Only set by the broker check: messages waiting for a worker.
    queued: int | None = None


def check_database() -> Check:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"
        logger.warning("health check: database unreachable (%s)", type(exc).__name__)
        return Check(ok=False, milliseconds=_since(started))
    return Check(ok=True, milliseconds=_since(started))


def check_broker() -> Check:
    """Redis answers (always ok in the embedded set-up, which has no broker)."""
    started = time.monotonic()
    if not settings.REDIS_URL:
        return Check(ok=True, milliseconds=0.0)
    import redis

    # from_url only parses; the connection is made by the first command.
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        # The worker's backlog: the messages waiting in every queue it takes from.
        queued = sum(int(client.llen(queue)) for queue in _celery_queues())
    except redis.RedisError as exc:
        logger.warning("health check: broker unreachable (%s)", type(exc).__name__)
        return Check(ok=False, milliseconds=_since(started))
    finally:
        client.close()
    return Check(ok=True, milliseconds=_since(started), queued=queued)


def _celery_queues() -> list[str]:
    return [queue.name for queue in settings.CELERY_TASK_QUEUES]


def health_checks() -> dict[str, Check]:
    return {"database": check_database(), "broker": check_broker()}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy = all(check.ok for check in health_checks().values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable"}, status=200 if healthy else 503
    )


def health_details(request: HttpRequest) -> JsonResponse:
    """For staff (behind the staff site's login): each dependency, its answer time, the queue."""
    checks = health_checks()
    healthy = all(check.ok for check in checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {name: asdict(check) for name, check in checks.items()},
        },
        status=200 if healthy else 503,
    )


def _since(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
