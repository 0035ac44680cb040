import re
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import responses
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.test import TestCase
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from screener.access.codes import CODE_DIGITS
from screener.access.links import LINK_PLACEHOLDER, token_hash
from screener.disclosure import PublicOutcome
from screener.models import Lookup, Notification, ResultLink
from screener.notifications.content import (
    LINK_KINDS,
    MessageContext,
    message_language,
    message_render,
)
from screener.notifications.delivery import notification_send
from screener.notifications.links import unsubscribe_lookup_id, unsubscribe_token
from screener.notifications.outbox import (
    notification_resend,
    notifications_queue,
    notifications_requeue_stale,
)
from screener.notifications.secrets import CODE_PLACEHOLDER
from screener.notifications.suppressions import is_suppressed, suppression_add
from screener.sms import outbox as sms_outbox
from screener.sms import sms_segments
from screener.tasks import send_notification
from tests.screener.notifying import (  # noqa: F401
    _clear_sms_outbox,
    import_cases,
    mark_matched,
    submit,
)

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
Channel = Notification.Channel
Status = Notification.Status

TWILIO_SID = "AC00000000000000000000000000000000"
TWILIO_URL = f"https://api.twilio.com/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"

# Long but realistic values: a real host name, a result link of a real token's length.
LONG_SITE = "https://reliefcheck.lacounty.gov"
LINK_URL = f"{LONG_SITE}/r/{LINK_PLACEHOLDER}/"


def sample_context(**overrides) -> MessageContext:
    values = {
        "reference": "RC-7KQ-93M",
        "site_url": LONG_SITE,
        "status_url": f"{LONG_SITE}/status/",
        "link_url": LINK_URL,
        "outcome": PublicOutcome.FOUND,
        "request_text": "Please send the case number on your court papers.",
        "has_email": True,
    }
    values.update(overrides)
    return MessageContext(**values)


UNSUBSCRIBE = f"{LONG_SITE}/notifications/unsubscribe/MTIzNDU2Nw:1tAbCd:{'y' * 43}/"
STOP_LINES = {"en": "Reply STOP to opt out", "es": "Responda STOP para no recibir m"}
# A long operator name, as a county office would write it.
LONG_OPERATOR = "Los Angeles County Office of the Public Defender"


# --- Rendering --------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_renders_an_email_in_both_languages(kind, language):
    message = message_render(
        kind=kind,
        channel=Channel.EMAIL,
        language=language,
        context=sample_context(),
        unsubscribe_url=UNSUBSCRIBE,
    )
    assert message.subject and "\n" not in message.subject
    if kind != Kind.CODE:
        assert "RC-7KQ-93M" in message.subject
    assert "RC-7KQ-93M" in message.text
    assert "RC-7KQ-93M" in message.html
    assert UNSUBSCRIBE in message.text
    assert f'href="{UNSUBSCRIBE}"' in message.html
    assert f'<html lang="{language}">' in message.html
    assert "{{" not in message.text and "{%" not in message.text
    if language == "es":
        assert "Hola:" in message.text
        assert "Relief Check es gratuito" in message.text
    else:
        assert "Hello," in message.text
        assert "Relief Check is free" in message.text


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_renders_an_sms_in_both_languages(kind, language):
    message = message_render(
        kind=kind, channel=Channel.SMS, language=language, context=sample_context()
    )
    assert message.subject == "" and message.html == ""
    assert message.text.startswith("Relief Check (Relief Check Project):")
    if kind != Kind.CODE:
        assert "RC-7KQ-93M" in message.text
    assert message.text.splitlines()[-1].startswith(STOP_LINES[language])


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("has_email", [True, False])
def test_every_sms_fits_in_two_segments_with_long_values(settings, kind, language, has_email):
    settings.SERVICE_OPERATOR = LONG_OPERATOR
    settings.SERVICE_OPERATOR_EMAIL = "cannabis-relief-check@pubdef.lacounty.gov"
    context = sample_context(has_email=has_email)
    message = message_render(kind=kind, channel=Channel.SMS, language=language, context=context)
    assert LONG_OPERATOR in message.text
    assert sms_segments(message.text) <= 2, (len(message.text), message.text)


@pytest.mark.parametrize("channel", Channel.values)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", sorted(LINK_KINDS))
def test_a_message_with_an_answer_carries_only_the_reference_and_the_link(kind, language, channel):
    context = sample_context(request_text="Is case BA123456 from 1995 yours?")
    message = message_render(kind=kind, channel=channel, language=language, context=context)
    everything = message.subject + message.text + message.html
    assert LINK_URL in message.text
    for detail in ("BA123456", "Superior Court", "AB 1793", "1995", "11359", "sealed", "sellad"):
        assert detail not in everything


def test_the_code_message_carries_the_placeholder_not_a_code():
    message = message_render(
        kind=Kind.CODE, channel=Channel.EMAIL, language="en", context=sample_context()
    )
    assert len(CODE_PLACEHOLDER) == CODE_DIGITS
    assert f"Your Relief Check code: {CODE_PLACEHOLDER}" == message.subject
    assert f"Your Relief Check code is: {CODE_PLACEHOLDER}" in message.text
    assert "It works for 10 minutes." in message.text
    assert not re.search(r"\b\d{6}\b", message.text + message.html)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_message_names_who_runs_the_service(settings, language):
    settings.SERVICE_OPERATOR = LONG_OPERATOR
    settings.SERVICE_OPERATOR_EMAIL = "help@pd.example.gov"
    settings.SERVICE_OPERATOR_PHONE = "(213) 974-2811"
    for kind in Kind.values:
        email = message_render(
            kind=kind, channel=Channel.EMAIL, language=language, context=sample_context()
        )
        assert LONG_OPERATOR in email.text and LONG_OPERATOR in email.html, kind
        assert "help@pd.example.gov" in email.text and "(213) 974-2811" in email.text, kind
        assert 'href="mailto:help@pd.example.gov"' in email.html, kind
        sms = message_render(
            kind=kind, channel=Channel.SMS, language=language, context=sample_context()
        )
        assert sms.text.startswith(f"Relief Check ({LONG_OPERATOR}):"), kind


def test_unknown_language_falls_back_to_english():
    message = message_render(
        kind=Kind.RECEIVED, channel=Channel.EMAIL, language="fr", context=sample_context()
    )
    assert "We received your request" in message.subject
    assert message_language("es-MX") == "es"


# --- Queue ------------------------------------------------------------------


def test_queue_writes_one_rendered_row_per_channel_in_the_persons_language():
    lookup = submit(language="es")

    rows = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)

    assert {(row.channel, row.recipient) for row in rows} == {
        (Channel.EMAIL, "maria.lopez@example.org"),
        (Channel.SMS, "+12135550123"),
    }
    for row in rows:
        assert row.status == Status.QUEUED
        assert row.language == "es"
        assert lookup.reference in row.body_text
        assert "solicitud" in row.body_text
    email = next(row for row in rows if row.channel == Channel.EMAIL)
    assert email.subject == f"Recibimos su solicitud {lookup.reference}"
    assert email.body_html


def test_queue_only_uses_the_channels_the_lookup_has():
    lookup = submit(phone="")
    rows = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)
    assert [row.channel for row in rows] == [Channel.EMAIL]


def test_queue_twice_returns_the_same_rows_and_sends_once():
    lookup = submit()
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)
    with TestCase.captureOnCommitCallbacks(execute=True):
        second = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)

    assert {row.pk for row in first} == {row.pk for row in second}
    assert Notification.objects.filter(lookup=lookup).count() == 2
    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1


def test_queued_messages_are_sent_after_commit_and_recorded():
    lookup = submit()
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        notifications_queue(lookup=lookup, kind=Kind.RECEIVED)
        assert mail.outbox == [] and sms_outbox == []  # nothing leaves before commit
    assert callbacks

    email = Notification.objects.get(lookup=lookup, channel=Channel.EMAIL)
    text = Notification.objects.get(lookup=lookup, channel=Channel.SMS)
    for row in (email, text):
        assert row.status == Status.SENT
        assert row.attempts == 1
        assert row.sent_at is not None
        assert row.provider_message_id

    [message] = mail.outbox
    assert message.to == ["maria.lopez@example.org"]
    assert message.subject == email.subject
    assert message.body == email.body_text
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Message-ID"].strip("<>") == email.provider_message_id

    [texted] = sms_outbox
    assert texted.to == "+12135550123"
    assert texted.body == text.body_text
    assert texted.provider_message_id == text.provider_message_id


def test_a_result_is_queued_with_a_placeholder_and_sent_with_a_fresh_link():
    cases = import_cases({}, {"case_number": "KA057009", "batch": "LASC-REVIEW-2022"})
    lookup = mark_matched(submit(), cases)
    with TestCase.captureOnCommitCallbacks(execute=True):
        rows = notifications_queue(lookup=lookup, kind=Kind.RESULT_MATCH)

    # The outbox keeps the placeholder; each message went out with a link of its own.
    for row in Notification.objects.filter(pk__in=[r.pk for r in rows]):
        assert LINK_PLACEHOLDER in row.body_text
        assert row.status == Status.SENT
    [message] = mail.outbox
    [texted] = sms_outbox
    tokens = {
        re.search(r"/r/([\w-]+)/", message.body).group(1),
        re.search(r"/r/([\w-]+)/", texted.body).group(1),
    }
    assert LINK_PLACEHOLDER not in tokens and len(tokens) == 2
    assert {link.token_hash for link in ResultLink.objects.filter(lookup=lookup)} == {
        token_hash(token) for token in tokens
    }
    html = message.alternatives[0][0]
    assert re.search(r"/r/([\w-]+)/", html).group(1) in tokens
    for text in (message.body, html, texted.body):
        assert "BA123456" not in text and "KA057009" not in text


def test_the_whole_flow_tells_the_person_it_was_received_and_that_the_result_is_ready():
    import_cases({})
    lookup = submit(run_follow_up=True)

    kinds = set(Notification.objects.filter(lookup=lookup).values_list("kind", "status"))
    assert (Kind.RECEIVED, Status.SENT) in kinds
    assert lookup.status in (Lookup.Status.MATCHED, Lookup.Status.NEEDS_REVIEW)
    assert len(mail.outbox) == 2
    assert len(sms_outbox) == 2


def test_more_info_never_carries_the_reviewers_request():
    lookup = submit()
    rows = notifications_queue(
        lookup=lookup, kind=Kind.MORE_INFO, request_text="Please call us about case BA123456."
    )
    for row in rows:
        assert "BA123456" not in row.body_text + row.body_html + row.subject
        assert "there is an update on your request" in row.body_text.lower()


def test_codes_and_answers_again_are_queued_each_time_other_kinds_once():
    lookup = submit()
    for _ in range(2):
        notifications_queue(lookup=lookup, kind=Kind.CODE, channels=[Channel.SMS])
        notifications_queue(lookup=lookup, kind=Kind.ANSWER_AGAIN)
        notifications_queue(lookup=lookup, kind=Kind.RECEIVED)
    counts = dict(
        Notification.objects.filter(lookup=lookup)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    assert counts == {Kind.CODE: 2, Kind.ANSWER_AGAIN: 4, Kind.RECEIVED: 2}
    assert not Notification.objects.filter(kind=Kind.CODE, channel=Channel.EMAIL).exists()


# --- Sending ----------------------------------------------------------------


def test_a_second_run_of_the_send_task_sends_nothing():
    lookup = submit()
    with TestCase.captureOnCommitCallbacks(execute=True):
        rows = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)

    for row in rows:
        assert send_notification.delay(row.pk).get() == Status.SENT
        row.refresh_from_db()
        assert row.attempts == 1
    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1


def test_suppressed_recipient_gets_a_suppressed_row_and_nothing_sent():
    suppression_add(channel=Channel.SMS, recipient="(213) 555-0123", reason="SMS STOP")
    lookup = submit()
    with TestCase.captureOnCommitCallbacks(execute=True):
        rows = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)

    assert {row.channel for row in rows} == {Channel.EMAIL, Channel.SMS}
    statuses = dict(Notification.objects.filter(lookup=lookup).values_list("channel", "status"))
    assert statuses == {Channel.EMAIL: Status.SENT, Channel.SMS: Status.SUPPRESSED}
    assert sms_outbox == []
    assert len(mail.outbox) == 1


def test_opting_out_holds_back_messages_already_queued():
    lookup = submit()
    rows = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)  # not committed: not sent yet
    suppression_add(channel=Channel.EMAIL, recipient="Maria.Lopez@example.org", reason="test")

    email = next(row for row in rows if row.channel == Channel.EMAIL)
    assert notification_send(notification_id=email.pk).status == Status.SUPPRESSED
    assert mail.outbox == []


@pytest.fixture
def eager_retries():
    """Let eager tasks retry in-process, as a worker would (propagation stops at the first)."""
    from config.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.fixture
def twilio(settings, eager_retries):
    settings.SMS_BACKEND = "screener.sms.TwilioSMSBackend"
    settings.TWILIO_ACCOUNT_SID = TWILIO_SID
    settings.TWILIO_AUTH_TOKEN = "secret"
    settings.TWILIO_FROM_NUMBER = "+13235550100"
    with responses.RequestsMock() as mocked:
        yield mocked


def queued_sms(lookup: Lookup) -> Notification:
    rows = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)
    return next(row for row in rows if row.channel == Channel.SMS)


def test_the_task_retries_a_transient_failure_and_then_sends(twilio):
    twilio.post(TWILIO_URL, json={"code": 20500, "message": "Internal Server Error"}, status=503)
    twilio.post(TWILIO_URL, json={"sid": "SM42"}, status=201)
    notification = queued_sms(submit(email=""))

    assert send_notification.delay(notification.pk).get() == Status.SENT

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 2
    assert notification.provider_message_id == "SM42"
    assert len(twilio.calls) == 2


def test_the_task_gives_up_after_the_last_try_and_keeps_the_error(twilio):
    twilio.post(TWILIO_URL, json={"code": 20429, "message": "Too Many Requests"}, status=429)
    notification = queued_sms(submit(email=""))

    assert send_notification.delay(notification.pk).get() == Status.FAILED

    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.attempts == 5
    assert "429" in notification.last_error and "Too Many Requests" in notification.last_error
    assert notification.sent_at is None
    assert len(twilio.calls) == 5


def test_a_permanent_error_fails_at_once_without_the_number_in_the_error(twilio):
    twilio.post(
        TWILIO_URL,
        json={
            "code": 21211,
            "message": "The 'To' number +12135550123 is not a valid phone number.",
        },
        status=400,
    )
    notification = queued_sms(submit(email=""))

    assert send_notification.delay(notification.pk).get() == Status.FAILED

    notification.refresh_from_db()
    assert notification.attempts == 1
    assert "21211" in notification.last_error
    assert "2135550123" not in notification.last_error
    assert len(twilio.calls) == 1


def test_the_providers_opt_out_error_suppresses_the_number(twilio):
    twilio.post(
        TWILIO_URL,
        json={"code": 21610, "message": "Attempt to send to unsubscribed recipient"},
        status=400,
    )
    notification = queued_sms(submit(email=""))
    send_notification.delay(notification.pk)
    assert is_suppressed(channel=Channel.SMS, recipient="+12135550123")


def test_backoff_doubles_with_jitter():
    from screener.tasks import notification_backoff

    waits = [notification_backoff(n) for n in range(4)]
    for n, wait in enumerate(waits):
        assert 30 * 2**n <= wait <= 1.5 * 30 * 2**n


@pytest.fixture
def smtp(settings, eager_retries):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "smtp.invalid"
    # The SMTP server is the only thing replaced: it would be on another machine.
    with mock.patch("smtplib.SMTP") as server_class:
        yield server_class.return_value


def queued_email(lookup: Lookup) -> Notification:
    rows = notifications_queue(lookup=lookup, kind=Kind.RECEIVED)
    return next(row for row in rows if row.channel == Channel.EMAIL)


def test_smtp_disconnects_are_retried_then_marked_failed(smtp):
    smtp.sendmail.side_effect = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    notification = queued_email(submit(phone=""))

    assert send_notification.delay(notification.pk).get() == Status.FAILED

    notification.refresh_from_db()
    assert notification.attempts == 5
    assert "SMTPServerDisconnected" in notification.last_error


def test_smtp_refused_mailbox_fails_at_once_without_the_address(smtp):
    smtp.sendmail.side_effect = smtplib.SMTPRecipientsRefused(
        {"maria.lopez@example.org": (550, b"5.1.1 mailbox unavailable")}
    )
    notification = queued_email(submit(phone=""))

    send_notification.delay(notification.pk)

    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.attempts == 1
    assert "550" in notification.last_error
    assert "maria" not in notification.last_error


def test_smtp_temporary_reply_is_retried(smtp):
    smtp.sendmail.side_effect = [smtplib.SMTPDataError(451, b"4.3.0 try again later"), {}]
    notification = queued_email(submit(phone=""))

    assert send_notification.delay(notification.pk).get() == Status.SENT
    notification.refresh_from_db()
    assert notification.attempts == 2


def test_a_lookup_erased_before_sending_fails_with_a_clear_reason():
    notification = queued_email(submit(phone=""))
    Notification.objects.filter(pk=notification.pk).update(recipient="")
    assert notification_send(notification_id=notification.pk).status == Status.FAILED
    assert mail.outbox == []


def test_a_deleted_lookup_leaves_the_task_nothing_to_do():
    notification = queued_email(submit(phone=""))
    Lookup.objects.filter(pk=notification.lookup_id).delete()
    assert send_notification.delay(notification.pk).get() == "missing"


# --- Staff: resend, requeue -------------------------------------------------


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(username="sofia.staff", is_staff=True)


def failed_email() -> Notification:
    notification = queued_email(submit(phone=""))
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.FAILED, attempts=5, last_error="SMTPServerDisconnected"
    )
    return notification


def test_staff_resend_a_failed_notification_and_it_is_audited(staff_user):
    notification = failed_email()

    with TestCase.captureOnCommitCallbacks(execute=True):
        notification_resend(notification_id=notification.pk, actor=staff_user)

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 6
    assert len(mail.outbox) == 1
    entry = AuditLog.objects.get(action=Action.NOTIFICATION_RESENT)
    assert entry.actor == staff_user
    assert entry.object_id == str(notification.pk)
    assert "maria" not in entry.summary


def test_resend_refuses_a_notification_that_did_not_fail(staff_user):
    notification = queued_email(submit(phone=""))
    with pytest.raises(ValidationError):
        notification_resend(notification_id=notification.pk, actor=staff_user)
    assert not AuditLog.objects.filter(action=Action.NOTIFICATION_RESENT).exists()


def test_requeue_sends_notifications_left_queued_by_a_lost_task_message():
    old = queued_email(submit(phone=""))
    recent = queued_email(submit(phone="", email="other@example.org", first_name="Ana"))
    Notification.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(minutes=30))

    assert notifications_requeue_stale() == [old.pk]

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.SENT
    assert recent.status == Status.QUEUED


def test_requeue_is_scheduled_every_few_minutes(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["requeue-stale-notifications"]
    assert schedule["task"] == "screener.tasks.requeue_stale_notifications"
    assert schedule["schedule"] <= 600


def test_unsubscribe_token_round_trips_and_rejects_tampering():
    token = unsubscribe_token(42)
    assert unsubscribe_lookup_id(token) == 42
    assert unsubscribe_lookup_id(token[:-2] + "xx") is None
    assert unsubscribe_lookup_id("42") is None
