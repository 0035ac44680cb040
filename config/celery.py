"""Celery application. Broker and eager mode come from Django settings (CELERY_*)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("relief_check")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def database_connections_checked(sender=None, **kwargs) -> None:
    """Before a task, drop connections that errored or outlived CONN_MAX_AGE, as Django does
    before a request: with CELERY_DB_REUSE_MAX the worker keeps its connection between tasks,
    and a database restart must cost one failed query at most, not every task after it.

    Not for a task run eagerly: it runs inside its caller's request or transaction, whose
    connection is the caller's to manage (closing it would end that transaction)."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
