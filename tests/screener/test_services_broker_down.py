"""Redis down at submit: the lookup is stored, the person sees the normal page, the sweep brings it
back. (tests/test_faults_integration.py does the same with a real Redis stopped and started.)"""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client, TestCase
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from screener.models import Lookup, Notification
from screener.services import lookups_requeue_stuck
from tests.screener.public_flow import cases_load, lookup_form_data, post_lookup

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """Tasks go to the broker (not run in-process), and the broker refuses every message."""
    from config.celery import app

    app.conf.task_always_eager = False
    with mock.patch(
        "kombu.messaging.Producer.publish", side_effect=BrokerUnavailable("Connection refused")
    ) as publish:
        yield publish
    app.conf.task_always_eager = True


def test_a_submission_while_the_broker_is_down_is_stored_and_answered_as_usual(broker_down, caplog):
    cases_load()
    response = post_lookup(Client(), lookup_form_data())
    assert response.status_code == 303
    assert Client().get(response["Location"]).status_code in (200, 302)
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.RECEIVED
    # Only the one-time code the page promised is written now, queued until the broker is back
    # (notifications_requeue_stale); the others when the check starts.
    code = Notification.objects.get(lookup=lookup)
    assert (code.kind, code.status) == (Notification.Kind.CODE, Notification.Status.QUEUED)
    assert any("not enqueued: broker unavailable" in r.getMessage() for r in caplog.records)


def age(lookup: Lookup, seconds: float) -> None:
    Lookup.objects.filter(pk=lookup.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


def stored_while_down(broker_down, **overrides) -> Lookup:
    cases_load()
    post_lookup(Client(), lookup_form_data(**overrides))
    return Lookup.objects.get(email=overrides.get("email", "maria@example.org"))


def test_the_sweep_checks_it_once_the_broker_is_back(broker_down, settings):
    lookup = stored_while_down(broker_down)
    age(lookup, settings.LOOKUP_STUCK_SECONDS + 1)
    broker_down.side_effect = None  # Redis is back
    from config.celery import app

    app.conf.task_always_eager = True  # and a worker runs what is sent
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert lookups_requeue_stuck() == [lookup.pk]
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.MATCHED
    kinds = set(Notification.objects.filter(lookup=lookup).values_list("kind", flat=True))
    assert kinds == {
        Notification.Kind.CODE,
        Notification.Kind.RECEIVED,
        Notification.Kind.RESULT_MATCH,
    }


def test_the_sweep_leaves_young_lookups_to_their_own_message(broker_down):
    stored_while_down(broker_down)
    broker_down.side_effect = None
    assert lookups_requeue_stuck() == []


def test_a_check_cut_off_by_a_killed_worker_is_enqueued_again(broker_down, settings):
    lookup = stored_while_down(broker_down)
    Lookup.objects.filter(pk=lookup.pk).update(status=Lookup.Status.CHECKING)
    broker_down.side_effect = None
    # Still within the check's time limit: it may be running.
    age(lookup, settings.LOOKUP_CHECKING_STUCK_SECONDS - 30)
    assert lookups_requeue_stuck() == []
    age(lookup, settings.LOOKUP_CHECKING_STUCK_SECONDS + 1)
    assert lookups_requeue_stuck() == [lookup.pk]


def test_a_backlog_is_not_enqueued_again_at_every_sweep(broker_down, settings):
    lookup = stored_while_down(broker_down)
    age(lookup, settings.LOOKUP_STUCK_SECONDS + 1)
    broker_down.side_effect = None
    assert lookups_requeue_stuck() == [lookup.pk]
    assert lookups_requeue_stuck() == []
    # The code message and the first check (both refused), then one re-enqueue.
    assert broker_down.call_count == 3


def test_a_sweep_while_the_broker_is_still_down_tries_again_next_time(broker_down, settings):
    lookup = stored_while_down(broker_down)
    age(lookup, settings.LOOKUP_STUCK_SECONDS + 1)
    assert lookups_requeue_stuck() == []
    broker_down.side_effect = None
    assert lookups_requeue_stuck() == [lookup.pk]
