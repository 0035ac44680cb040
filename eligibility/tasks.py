"""Periodic jobs of the eligibility check (config/settings/base.py, CELERY_BEAT_SCHEDULE)."""

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(soft_time_limit=300, time_limit=360)
def clear_expired_sessions() -> None:
    """Erase expired sessions: the questionnaire's answers must not outlive the session.

    Django leaves expired rows in the database until `clearsessions` runs; this is that command.
    Running it twice is harmless.
    """
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
