"""Delivery: hand a queued row to its provider once, and classify what went wrong."""

import logging
import smtplib
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from audit.locking import for_change
from screener.contact import contact_redact
from screener.models import Notification
from screener.notifications.alerts import operations_alert
from screener.notifications.links import unsubscribe_url
from screener.notifications.secrets import message_with_secrets
from screener.notifications.suppressions import is_suppressed, suppression_add
from screener.sms import (
    PermanentSMSError,
    RecipientOptedOutError,
    TransientSMSError,
    get_sms_backend,
)

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 500

Channel = Notification.Channel
Status = Notification.Status


class SendError(Exception):
    """Delivery failed. The message never holds the recipient (it may reach the logs)."""


class TransientSendError(SendError):
    """The provider or network may accept it later: the task retries."""


class PermanentSendError(SendError):
    """Sending again gives the same answer: the notification is marked failed at once."""

    def __init__(self, message: str, *, opted_out: bool = False) -> None:
        super().__init__(message)
        self.opted_out = opted_out


def _error_text(exc: BaseException) -> str:
    return contact_redact(str(exc) or type(exc).__name__)[:MAX_ERROR_LENGTH]


def _smtp_error(exc: Exception) -> SendError:
    """Classify an SMTP failure: 4xx replies and lost connections are worth retrying."""
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        text = f"{name}: recipient refused ({', '.join(str(c) for c in codes)})"
        if codes and all(400 <= code < 500 for code in codes):
            return TransientSendError(text)
        return PermanentSendError(text)
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = (
            exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
        )
        text = contact_redact(f"{name}: {exc.smtp_code} {detail}".strip())
        if exc.smtp_code >= 500:
            return PermanentSendError(text)
        return TransientSendError(text)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TransientSendError(name)
    if isinstance(exc, smtplib.SMTPException):
        return PermanentSendError(name)
    # Connection refused, DNS, timeouts: the server may be back soon.
    return TransientSendError(name)


def _deliver_email(notification: Notification) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    message_id = make_msgid(domain=domain)
    unsubscribe = unsubscribe_url(notification.lookup_id)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={
            "Message-ID": message_id,
            # One-click unsubscribe (RFC 8058), which large mailbox providers ask senders for.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if settings.MORE_INFO_REPLY_TO:
        # Answers go to a mailbox staff read, not to the sender. Every message carries it, so
        # a request for more information looks like any other update (screener/disclosure.py).
        message.reply_to = [settings.MORE_INFO_REPLY_TO]
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        raise _smtp_error(exc) from exc
    return message_id.strip("<>")


def _deliver_sms(notification: Notification) -> str:
    try:
        return get_sms_backend().send(notification.recipient, notification.body_text)
    except TransientSMSError as exc:
        raise TransientSendError(_error_text(exc)) from exc
    except RecipientOptedOutError as exc:
        raise PermanentSendError(_error_text(exc), opted_out=True) from exc
    except PermanentSMSError as exc:
        raise PermanentSendError(_error_text(exc)) from exc


def notification_deliver(notification: Notification) -> str:
    """Hand one message to its provider; return the provider's message id."""
    if notification.channel == Channel.EMAIL:
        return _deliver_email(notification)
    return _deliver_sms(notification)


def notification_send(*, notification_id: int) -> Notification:
    """Send a queued notification once. Safe to run twice: only a QUEUED row is sent.

    The row stays locked while the provider is called, so a second worker running the same task
    waits and then finds it sent. Raises TransientSendError (after saving the attempt) so that the
    task can retry; a permanent error marks the row failed and returns it.
    """
    transient: TransientSendError | None = None
    with transaction.atomic():
        notification = for_change(Notification.objects).get(pk=notification_id)
        if notification.status != Status.QUEUED:
            return notification
        if is_suppressed(channel=notification.channel, recipient=notification.recipient):
            notification.status = Status.SUPPRESSED
            notification.save(update_fields=["status", "updated_at"])
            return notification
        if not notification.recipient:
            # The lookup was anonymized before the message went out.
            notification.status = Status.FAILED
            notification.last_error = "No recipient: the lookup's contact details were erased."
            notification.save(update_fields=["status", "last_error", "updated_at"])
            return notification
        notification.attempts += 1
        try:
            # The code or link is made now and sent, never written to the row.
            provider_id = notification_deliver(message_with_secrets(notification))
        except TransientSendError as exc:
            notification.last_error = _error_text(exc)
            transient = exc
        except PermanentSendError as exc:
            notification.status = Status.FAILED
            notification.last_error = _error_text(exc)
            if exc.opted_out:
                suppression_add(
                    channel=notification.channel,
                    recipient=notification.recipient,
                    reason="provider reports opt-out",
                )
        else:
            notification.status = Status.SENT
            notification.provider_message_id = provider_id[:100]
            notification.sent_at = timezone.now()
        notification.save()
    if transient is not None:
        raise transient
    if notification.status == Status.FAILED:
        # An opt-out is the person's choice, not something for operations to fix.
        if not is_suppressed(channel=notification.channel, recipient=notification.recipient):
            operations_alert()
        logger.warning(
            "notification id=%s (%s %s) failed: %s",
            notification.pk,
            notification.kind,
            notification.channel,
            notification.last_error,
        )
    return notification


def notification_mark_failed(*, notification_id: int, error: str = "") -> Notification:
    """The send task gave up: staff see the row as failed, with the last error kept."""
    with transaction.atomic():
        notification = for_change(Notification.objects).get(pk=notification_id)
        if notification.status != Status.QUEUED:
            return notification
        notification.status = Status.FAILED
        if error or not notification.last_error:
            notification.last_error = contact_redact(error or "Gave up")[:MAX_ERROR_LENGTH]
        notification.save(update_fields=["status", "last_error", "updated_at"])
    logger.warning(
        "notification id=%s failed after %s attempts", notification_id, notification.attempts
    )
    operations_alert()
    return notification
