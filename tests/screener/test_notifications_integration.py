"""Notifications travel through the real broker and worker into the file email backend.

CI starts the worker with EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend,
EMAIL_FILE_PATH and SMS_BACKEND=screener.sms.ConsoleSMSBackend; this test reads the same
EMAIL_FILE_PATH.
"""

import os
from pathlib import Path

import pytest
from django.db import transaction

from screener.models import Notification
from screener.notifications.outbox import notifications_queue
from tests.conftest import wait_for
from tests.screener.notifying import submit

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

Kind = Notification.Kind
Status = Notification.Status


@pytest.fixture
def email_dir() -> Path:
    path = os.environ.get("EMAIL_FILE_PATH")
    if not path:
        pytest.fail("EMAIL_FILE_PATH must name the worker's email directory")
    return Path(path)


def mail_files_with(directory: Path, needle: str) -> list[Path]:
    if not directory.is_dir():
        return []
    return [path for path in directory.iterdir() if needle in path.read_text(errors="replace")]


def sent_rows(lookup, kind: str) -> list[Notification]:
    rows = list(Notification.objects.filter(lookup=lookup, kind=kind))
    return rows if rows and all(row.status == Status.SENT for row in rows) else []


def test_a_submitted_lookup_gets_its_messages_from_the_real_worker(real_worker, email_dir):
    # Committed for real: the submit's after-commit work queues the "received" messages and the
    # check, and the worker sends them.
    lookup = submit(email="worker-delivery@example.org", phone="+12135550199", language="es")

    received = wait_for(lambda: sent_rows(lookup, Kind.RECEIVED))
    by_channel = {row.channel: row for row in received}
    assert set(by_channel) == {Notification.Channel.EMAIL, Notification.Channel.SMS}
    email = by_channel[Notification.Channel.EMAIL]
    assert email.attempts == 1 and email.sent_at is not None
    assert by_channel[Notification.Channel.SMS].provider_message_id.startswith("console-")

    [mail_file] = wait_for(lambda: mail_files_with(email_dir, email.provider_message_id))
    content = mail_file.read_text(errors="replace")
    assert "To: worker-delivery@example.org" in content
    assert lookup.reference in content
    assert "List-Unsubscribe:" in content

    # Nobody by that name is in the (empty) case table: the result follows the same way.
    wait_for(lambda: sent_rows(lookup, Kind.RESULT_NO_MATCH))


def test_queueing_again_sends_nothing_more(real_worker, email_dir):
    lookup = submit(email="worker-twice@example.org", phone="")
    [email] = wait_for(lambda: sent_rows(lookup, Kind.RECEIVED))

    with transaction.atomic():
        [again] = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)

    assert again.pk == email.pk
    assert again.status == Status.SENT
    assert len(mail_files_with(email_dir, email.provider_message_id)) == 1
