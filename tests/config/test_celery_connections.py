"""config/celery.py: the worker keeps its database connection between tasks, checked before each."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection, transaction

from config import celery as celery_config


def task(*, is_eager: bool) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(is_eager=is_eager))


def test_celery_does_not_close_the_connection_around_every_task():
    # Celery's Django fix-up closes connections before and after each task unless this is set.
    assert celery_config.app.conf.get("CELERY_DB_REUSE_MAX") == settings.CELERY_DB_REUSE_MAX > 0


def test_a_worker_task_starts_by_dropping_connections_that_errored_or_aged_out():
    with mock.patch("django.db.close_old_connections") as close_old:
        celery_config.database_connections_checked(sender=task(is_eager=False))
    close_old.assert_called_once_with()


@pytest.mark.django_db(transaction=True)
def test_an_eager_task_leaves_its_callers_transaction_and_connection_alone():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        celery_config.database_connections_checked(sender=task(is_eager=True))
        assert connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
