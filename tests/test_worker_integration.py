"""A lookup travels through the real broker and worker into the real database."""

import datetime

import pytest

from audit.actions import Action
from audit.models import AuditLog
from screener.models import Lookup
from screener.services import LookupDetails, lookup_submit
from tests.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_submitted_lookup_is_checked_by_the_real_worker(real_worker):
    details = LookupDetails(
        first_name="Nadie",
        last_name="Inexistente",
        date_of_birth=datetime.date(1970, 1, 2),
        email="worker-roundtrip@example.org",
        language="es",
    )
    lookup, created = lookup_submit(details=details)
    assert created

    def checked():
        lookup.refresh_from_db()
        return lookup.status not in (Lookup.Status.RECEIVED, Lookup.Status.CHECKING)

    wait_for(checked)
    assert lookup.status == Lookup.Status.NOT_FOUND
    assert lookup.checked_at is not None
    # The worker, not this process, wrote the audit row for the check.
    assert AuditLog.objects.filter(action=Action.LOOKUP_CHECKED, object_id=str(lookup.pk)).exists()


def test_worker_is_reachable_through_the_broker(real_worker):
    replies = real_worker.control.ping(timeout=5)
    assert replies, "no Celery worker answered the ping"
