"""The broker, sweep and task time limits fit together (config/settings/base.py)."""

from django.conf import settings

from config.celery import app

CHECK_TASK = "screener.tasks.check_lookup"


def registered_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_the_visibility_timeout_outlasts_every_task_and_every_retry_wait():
    from screener.tasks import NOTIFICATION_MAX_TRIES

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    tasks = registered_tasks()
    for name, task in tasks.items():
        limit = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert visibility > limit, name
    # A retry waits unacknowledged in the worker until its countdown ends, plus jitter of half.
    longest_wait = 1.5 * settings.NOTIFICATION_BACKOFF_SECONDS * 2 ** (NOTIFICATION_MAX_TRIES - 2)
    assert visibility > longest_wait + tasks["screener.tasks.send_notification"].time_limit
    assert visibility > 300 + tasks[CHECK_TASK].time_limit  # check_lookup's longest countdown


def test_a_check_is_swept_only_after_it_can_no_longer_be_running():
    check_limit = registered_tasks()[CHECK_TASK].time_limit
    assert check_limit < settings.LOOKUP_CHECKING_STUCK_SECONDS


def test_a_lookup_stored_while_redis_was_down_is_checked_within_two_minutes_of_its_return():
    # The worker and beat reconnect (Celery waits up to 30 s between tries), the lookup's age
    # passes LOOKUP_STUCK_SECONDS, then the next sweep (one interval at most) sends it.
    reconnect = 30
    assert reconnect + settings.LOOKUP_STUCK_SECONDS + settings.LOOKUP_SWEEP_SECONDS <= 120
    sweep = settings.CELERY_BEAT_SCHEDULE["requeue-stuck-lookups"]
    assert sweep["schedule"] == settings.LOOKUP_SWEEP_SECONDS
