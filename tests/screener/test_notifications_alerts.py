"""Failed messages reach operations as a few alerts, with counts and links, never a recipient."""

import pytest
import responses
from django.core import mail

from screener.models import Notification
from screener.notifications.alerts import operations_alert
from screener.notifications.outbox import notifications_queue
from screener.tasks import send_notification
from tests.screener.notifying import _clear_sms_outbox, submit  # noqa: F401

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
Status = Notification.Status
TWILIO_SID = "AC00000000000000000000000000000000"
TWILIO_URL = f"https://api.twilio.com/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"


@pytest.fixture
def provider_down(settings):
    """Twilio answering 500 to everything; tasks retrying in-process as a worker would."""
    from config.celery import app

    settings.SMS_BACKEND = "screener.sms.TwilioSMSBackend"
    settings.TWILIO_ACCOUNT_SID = TWILIO_SID
    settings.TWILIO_AUTH_TOKEN = "secret"
    settings.TWILIO_FROM_NUMBER = "+13235550100"
    settings.OPERATIONS_ALERT_EMAIL = ["ops@reliefcheck.example"]
    settings.SITE_URL = "https://reliefcheck.example"
    app.conf.task_eager_propagates = False
    with responses.RequestsMock() as mocked:
        mocked.post(
            TWILIO_URL, json={"code": 20500, "message": "Internal Server Error"}, status=500
        )
        yield mocked
    app.conf.task_eager_propagates = True


def fail_sms(n: int) -> Notification:
    lookup = submit(email="", phone=f"+1213555{n:04d}", first_name=f"Persona{n}")
    row = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)[0]
    assert send_notification.delay(row.pk).get() == Status.FAILED
    return row


def test_an_outage_sends_one_alert_not_one_per_message(provider_down):
    for n in range(6):
        fail_sms(n)
    alerts = [m for m in mail.outbox if m.to == ["ops@reliefcheck.example"]]
    assert len(alerts) == 1
    alert = alerts[0]
    assert "1 message(s)" in alert.subject
    assert "Twilio HTTP 500" in alert.body
    assert "https://reliefcheck.example/staff/screener/notification/?status__exact=failed" in (
        alert.body
    )
    # Counts and links only: no number, no name.
    assert "555" not in alert.body and "Persona" not in alert.body


def test_the_next_window_reports_what_the_first_held_back(provider_down):
    from django.core.cache import cache

    from screener.notifications.alerts import WINDOW_KEY

    for n in range(3):
        fail_sms(n)
    cache.delete(WINDOW_KEY)  # the window ends (OPERATIONS_ALERT_MINUTES later)
    assert operations_alert() is True
    alerts = [m for m in mail.outbox if m.to == ["ops@reliefcheck.example"]]
    assert len(alerts) == 2
    assert "2 message(s)" in alerts[1].subject


def test_no_alert_when_nothing_failed(settings):
    settings.OPERATIONS_ALERT_EMAIL = ["ops@reliefcheck.example"]
    assert operations_alert() is False
    assert mail.outbox == []


def test_without_an_address_the_alert_is_logged(provider_down, settings, caplog):
    settings.OPERATIONS_ALERT_EMAIL = []
    fail_sms(1)
    assert any("operations alert" in r.getMessage() for r in caplog.records)
    assert not [m for m in mail.outbox if "failed since" in m.subject]
