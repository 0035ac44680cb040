"""The one-time code goes out from its own queue, which every worker takes from first: in a surge
the checks wait for minutes, and a person waiting on the page for their code must not."""

from unittest import mock

import pytest
from django.conf import settings
from django.test import Client

from config.celery import app
from screener.models import Notification
from screener.notifications.outbox import notification_queue_name, notifications_requeue_stale
from tests.screener.public_flow import cases_load, lookup_form_data, post_lookup

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.mark.parametrize(
    ("kind", "queue"),
    [
        (Kind.CODE, "codes"),
        (Kind.RECEIVED, "celery"),
        (Kind.RESULT_MATCH, "celery"),
        (Kind.RESULT_NO_MATCH, "celery"),
        (Kind.SOMEONE_ELSE_ASKED, "celery"),
        ("", "celery"),
    ],
)
def test_only_code_messages_go_to_the_codes_queue(kind, queue):
    assert notification_queue_name(kind) == queue


def test_every_worker_takes_from_the_codes_queue_first():
    # Declared in the settings, so a worker started without -Q consumes both, codes first, and
    # the Redis transport asks them in that order (not in turn).
    assert list(app.amqp.queues) == ["codes", "celery"]
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["queue_order_strategy"] == "priority"


@pytest.fixture
def published():
    """Tasks go to the broker (not run in-process); each message's routing key is recorded."""
    app.conf.task_always_eager = False
    try:
        with mock.patch("kombu.messaging.Producer.publish") as publish:
            yield publish
    finally:
        app.conf.task_always_eager = True


def _sent(publish) -> list[tuple[str, str]]:
    """(task name, queue) of each message published."""
    return [
        (call.kwargs["headers"]["task"], call.kwargs["routing_key"])
        for call in publish.call_args_list
    ]


def test_a_submission_sends_its_code_from_the_codes_queue_and_its_check_from_the_other(published):
    cases_load()
    assert post_lookup(Client(), lookup_form_data()).status_code == 303
    assert sorted(_sent(published)) == [
        ("screener.tasks.check_lookup", "celery"),
        ("screener.tasks.send_notification", "codes"),
    ]


def test_a_stale_code_sent_again_by_the_sweep_keeps_to_the_codes_queue(published):
    cases_load()
    post_lookup(Client(), lookup_form_data())
    Notification.objects.update(updated_at="2020-01-01T00:00:00Z")
    published.reset_mock()
    assert len(notifications_requeue_stale()) == 1
    assert _sent(published) == [("screener.tasks.send_notification", "codes")]
