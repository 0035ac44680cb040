import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from screener.models import InboundWebhook, Notification, Suppression
from screener.notifications.links import unsubscribe_token
from screener.notifications.outbox import notifications_queue
from screener.notifications.suppressions import is_suppressed, suppression_add
from screener.sms import outbox as sms_outbox
from screener.sms import twilio_signature
from tests.screener.notifying import _clear_sms_outbox, submit  # noqa: F401

pytestmark = pytest.mark.django_db

AUTH_TOKEN = "twilio-auth-token"
ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
INBOUND_PATH = "/notifications/sms/inbound/"


@pytest.fixture(autouse=True)
def _twilio_settings(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SITE_URL = "https://reliefcheck.example.org"


def inbound(
    client,
    body: str,
    *,
    sender: str = "+12135550123",
    signature: str | None = None,
    message_sid: str | None = None,
    account_sid: str = ACCOUNT_SID,
):
    params = {
        # Each message Twilio sends has its own id.
        "MessageSid": message_sid or f"SM{uuid.uuid4().hex}",
        "AccountSid": account_sid,
        "From": sender,
        "To": "+13235550100",
        "Body": body,
        "NumMedia": "0",
    }
    if signature is None:
        signature = twilio_signature(
            url=f"https://reliefcheck.example.org{INBOUND_PATH}",
            params=params,
            auth_token=AUTH_TOKEN,
        )
    return client.post(INBOUND_PATH, params, HTTP_X_TWILIO_SIGNATURE=signature)


def sms_suppressed(number: str = "+12135550123") -> bool:
    return is_suppressed(channel=Notification.Channel.SMS, recipient=number)


def test_a_replayed_start_is_dropped(client):
    inbound(client, "STOP", message_sid="SMaaaa")
    inbound(client, "START", message_sid="SMbbbb")
    inbound(client, "STOP", message_sid="SMcccc")
    # An attacker sends the captured, validly signed START again.
    replay = inbound(client, "START", message_sid="SMbbbb")
    assert replay.status_code == 200
    assert sms_suppressed()


def test_a_message_id_is_remembered_for_a_day(client):
    inbound(client, "STOP", message_sid="SMold")
    InboundWebhook.objects.update(received_at=timezone.now() - timedelta(days=1, minutes=1))
    inbound(client, "START", message_sid="SMnew")
    assert list(InboundWebhook.objects.values_list("message_sid", flat=True)) == ["SMnew"]


def test_a_request_for_another_twilio_account_is_refused(client):
    response = inbound(client, "STOP", account_sid="AC" + "f" * 32)
    assert response.status_code == 403
    assert not sms_suppressed()


def test_the_webhook_refuses_everything_when_no_account_is_configured(client, settings):
    settings.TWILIO_ACCOUNT_SID = ""
    assert inbound(client, "STOP").status_code == 403
    assert not sms_suppressed()


def test_inbound_url_is_named():
    assert reverse("notifications:twilio_inbound") == INBOUND_PATH


@pytest.mark.parametrize("body", ["STOP", "stop", " Stop. ", "UNSUBSCRIBE", "Alto", "PARAR"])
def test_stop_suppresses_the_number_and_answers_with_empty_twiml(client, body):
    response = inbound(client, body)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.decode().endswith("<Response></Response>")
    assert sms_suppressed()
    entry = AuditLog.objects.get(action=Action.SUPPRESSION_ADDED)
    assert "2135550123" not in entry.summary


def test_after_stop_the_person_gets_no_more_texts():
    client = Client()
    inbound(client, "STOP")
    lookup = submit()

    with TestCase.captureOnCommitCallbacks(execute=True):
        notifications_queue(lookup=lookup, kind=Notification.Kind.RECEIVED)

    sms = Notification.objects.get(lookup=lookup, channel=Notification.Channel.SMS)
    assert sms.status == Notification.Status.SUPPRESSED
    assert sms_outbox == []
    assert len(mail.outbox) == 1  # email is a separate choice


def test_stop_holds_back_a_text_already_waiting_in_the_outbox(client):
    lookup = submit()
    notifications_queue(lookup=lookup, kind=Notification.Kind.RECEIVED)  # not yet committed/sent

    inbound(client, "STOP")

    sms = Notification.objects.get(lookup=lookup, channel=Notification.Channel.SMS)
    assert sms.status == Notification.Status.SUPPRESSED


def test_start_allows_texts_again(client):
    inbound(client, "STOP")
    response = inbound(client, "START")
    assert response.status_code == 200
    assert not sms_suppressed()
    assert AuditLog.objects.filter(action=Action.SUPPRESSION_REMOVED).exists()


def test_other_replies_change_nothing(client):
    response = inbound(client, "Thanks, when will I know?")
    assert response.status_code == 200
    assert not Suppression.objects.exists()


def test_a_request_with_a_wrong_signature_is_refused(client):
    response = inbound(client, "STOP", signature="bm90IGEgc2lnbmF0dXJl")
    assert response.status_code == 403
    assert not sms_suppressed()


def test_a_request_without_a_signature_is_refused(client):
    response = client.post(INBOUND_PATH, {"From": "+12135550123", "Body": "STOP"})
    assert response.status_code == 403
    assert not sms_suppressed()


def test_the_webhook_refuses_everything_when_no_auth_token_is_configured(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    response = inbound(client, "STOP")
    assert response.status_code == 403


def test_the_webhook_accepts_only_post(client):
    assert client.get(INBOUND_PATH).status_code == 405


def test_the_webhook_needs_no_csrf_token():
    response = inbound(Client(enforce_csrf_checks=True), "STOP")
    assert response.status_code == 200


# --- Email unsubscribe --------------------------------------------------------


def unsubscribe_path(lookup) -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(lookup.pk)})


def test_sent_email_carries_a_working_unsubscribe_link(client):
    lookup = submit(phone="")
    with TestCase.captureOnCommitCallbacks(execute=True):
        notifications_queue(lookup=lookup, kind=Notification.Kind.RECEIVED)
    [message] = mail.outbox
    path = unsubscribe_path(lookup)
    assert f"https://reliefcheck.example.org{path}" in message.body
    assert f"https://reliefcheck.example.org{path}" in message.alternatives[0][0]
    assert "maria" not in path.lower() and "example.org" not in path

    assert client.get(path).status_code == 200


def test_unsubscribe_page_asks_for_confirmation_showing_only_a_masked_address(client):
    lookup = submit(phone="")
    path = unsubscribe_path(lookup)
    response = client.get(path)

    content = response.content.decode()
    assert response.status_code == 200
    assert "m••••••••••@example.org" in content
    assert "maria.lopez@example.org" not in content
    assert f'<form method="post" action="{path}">' in content
    assert not Suppression.objects.exists()
    assert 'name="robots" content="noindex"' in content


def test_unsubscribe_page_speaks_the_persons_language(client):
    lookup = submit(phone="", language="es")
    response = client.get(unsubscribe_path(lookup))
    assert 'lang="es"' in response.content.decode()


def test_confirming_unsubscribe_suppresses_the_address_and_later_email(client):
    lookup = submit(phone="")
    response = client.post(unsubscribe_path(lookup))

    assert response.status_code == 200
    assert is_suppressed(channel=Notification.Channel.EMAIL, recipient="maria.lopez@example.org")
    with TestCase.captureOnCommitCallbacks(execute=True):
        [row] = notifications_queue(lookup=lookup, kind=Notification.Kind.RESULT_NO_MATCH)
    assert row.status == Notification.Status.SUPPRESSED
    assert mail.outbox == []


def test_one_click_unsubscribe_from_a_mail_provider_works_without_csrf_token():
    lookup = submit(phone="")
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(lookup), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Suppression.objects.filter(channel=Notification.Channel.EMAIL).exists()


def test_an_address_already_unsubscribed_sees_it_is_done(client):
    lookup = submit(phone="")
    suppression_add(channel=Notification.Channel.EMAIL, recipient=lookup.email, reason="test")
    path = unsubscribe_path(lookup)
    response = client.get(path)
    assert response.status_code == 200
    assert f'action="{path}"' not in response.content.decode()
    assert "We will not send more emails" in response.content.decode()


def test_a_tampered_unsubscribe_link_is_not_found(client):
    lookup = submit(phone="")
    path = unsubscribe_path(lookup)
    response = client.post(path[:-3] + "xx/")
    assert response.status_code == 404
    assert not Suppression.objects.exists()
