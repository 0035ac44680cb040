"""The dashboard's operations figures: work waiting for the worker, and what failed."""

import pytest
from django.urls import reverse

from screener.dashboard import operations_summary
from screener.models import Lookup, Notification
from screener.notifications.delivery import notification_mark_failed
from screener.notifications.outbox import notifications_queue
from screener.services import lookup_mark_failed
from tests.screener.notifying import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def trouble():
    waiting = submit(email="waiting@example.org", phone="")
    failed_message = submit(email="", phone="+12135550111", first_name="Ana")
    row = notifications_queue(lookup=failed_message, kind=Notification.Kind.RECEIVED)[0]
    notification_mark_failed(notification_id=row.pk, error="Twilio HTTP 500")
    unchecked = submit(email="unchecked@example.org", phone="", first_name="Luz")
    lookup_mark_failed(lookup_id=unchecked.pk, error="OperationalError")
    return waiting


def test_failures_and_waiting_work_are_counted(trouble):
    from django.utils import timezone

    summary = operations_summary(timezone.now().replace(year=2000))
    assert summary.messages_failed == {"sms": 1}
    assert summary.lookups_failed == 1
    # The two lookups still RECEIVED (their check never ran in this test), not the failed one.
    assert summary.waiting.count == Lookup.objects.filter(status=Lookup.Status.RECEIVED).count()
    assert summary.messages_queued.count == 0


def test_the_dashboard_shows_them_and_links_to_the_failed_messages(trouble, admin_client):
    page = admin_client.get(reverse("admin:dashboard")).content.decode()
    assert 'id="messages-failed"' in page
    assert "?status__exact=failed" in page
    assert reverse("admin:health") in page
