"""Row locks beside the audit chain's lock (audit.locking): no deadlock on PostgreSQL.

The shape seen under launch-day load: a worker locks a lookup and then audits (lookup_check); a
web request audits and then inserts a notification for that lookup (a hold telling the earlier
contact). With FOR UPDATE each waited for the other and PostgreSQL failed one of them.
"""

import threading

import pytest
from django.conf import settings
from django.db import connections, transaction

from audit.actions import Action
from audit.locking import for_change
from audit.services import audit_record
from screener.models import Lookup, Notification
from tests.screener.factories import LookupFactory

POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.integration
@pytest.mark.skipif(not POSTGRESQL, reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_locked_lookup_and_the_chain_lock_do_not_deadlock():
    lookup = LookupFactory()
    locked, audited = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def worker() -> None:
        # lookup_check's order: the row lock, then the audit row.
        try:
            with transaction.atomic():
                for_change(Lookup.objects).get(pk=lookup.pk)
                locked.set()
                audited.wait(10)
                audit_record(actor=None, action=Action.LOOKUP_CHECK_STARTED, obj=lookup)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    assert locked.wait(10)
    try:
        # The web request's order: the audit row (the chain lock, held to commit), then a child row.
        with transaction.atomic():
            audit_record(actor=None, action=Action.LOOKUP_HELD, obj=lookup)
            audited.set()
            with connections["default"].cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            Notification.objects.create(
                lookup=lookup,
                channel=Notification.Channel.EMAIL,
                kind=Notification.Kind.SOMEONE_ELSE_ASKED,
                language="en",
                recipient=lookup.email,
                subject="s",
                body_text="t",
            )
    finally:
        audited.set()
        thread.join(20)
    assert errors == []
    assert Notification.objects.filter(lookup=lookup).count() >= 1
