"""The notification outbox: what we tell a person about their lookup, by email and SMS.

Each message is a Notification row, rendered when it is queued in the person's language, then
sent by the `send_notification` task. A message goes out at most once per lookup, kind and
channel: the row is unique on those three, and sending re-checks the row's status under a lock.

What a message may say is decided here, not in templates: an SMS never carries case details or
a reviewer's words, only that there is news and where to read it.
"""

import logging
import re
import smtplib
from dataclasses import dataclass, replace
from datetime import timedelta
from email.utils import make_msgid
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from audit.actions import Action
from audit.services import audit_record
from screener.contact import contact_redact, phone_normalize
from screener.letters import LetterCase, letter_cases, result_letter_url
from screener.models import Lookup, Notification, Suppression
from screener.sms import (
    PermanentSMSError,
    RecipientOptedOutError,
    TransientSMSError,
    get_sms_backend,
    sms_fit,
)

logger = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
UNSUBSCRIBE_SALT = "screener.notifications.unsubscribe"
MAX_ERROR_LENGTH = 500

Kind = Notification.Kind
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


# --- What a message says (pure) ---------------------------------------------


@dataclass(frozen=True)
class MessageContext:
    """Everything a template may use. Built from the lookup, trimmed per channel."""

    reference: str
    site_url: str
    status_url: str
    letter_url: str = ""
    found: bool = False
    cases: tuple[LetterCase, ...] = ()
    request_text: str = ""
    is_self: bool = True
    has_email: bool = False
    letter_days: int = 30


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def message_language(language: str) -> str:
    """The template language for a lookup's preferred language ("es-MX" → "es")."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    return code if code in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def message_disclosable(context: MessageContext, *, channel: str) -> MessageContext:
    """Drop what a channel must not carry.

    A text message can be read on a lock screen or a shared phone: it says that there is news
    and links to the page that asks for the date of birth again, nothing more.
    """
    if channel == Channel.SMS:
        return replace(context, cases=(), request_text="")
    return context


def _tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def message_template_names(*, kind: str, channel: str, language: str) -> dict[str, str]:
    base = f"notifications/{kind}.{message_language(language)}"
    if channel == Channel.SMS:
        return {"text": f"{base}.sms.txt"}
    return {"subject": f"{base}.subject.txt", "text": f"{base}.txt", "html": f"{base}.html"}


def message_render(
    *,
    kind: str,
    channel: str,
    language: str,
    context: MessageContext,
    unsubscribe_url: str = "",
) -> RenderedMessage:
    """Render one message from its templates. No database access."""
    language = message_language(language)
    context = message_disclosable(context, channel=channel)
    names = message_template_names(kind=kind, channel=channel, language=language)
    values = {
        "reference": context.reference,
        "site_url": context.site_url,
        "status_url": context.status_url,
        "letter_url": context.letter_url,
        "found": context.found,
        "cases": context.cases,
        "request_text": context.request_text,
        "is_self": context.is_self,
        "has_email": context.has_email,
        "letter_days": context.letter_days,
        "unsubscribe_url": unsubscribe_url,
    }
    with translation.override(language):
        if channel == Channel.SMS:
            text = render_to_string(names["text"], values)
            return RenderedMessage(subject="", text=sms_fit(_tidy_text(text)), html="")
        subject = " ".join(render_to_string(names["subject"], values).split())
        text = _tidy_text(render_to_string(names["text"], values)) + "\n"
        html = render_to_string(names["html"], values).strip() + "\n"
    return RenderedMessage(subject=subject, text=text, html=html)


# --- Links ------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def status_url() -> str:
    return absolute_url(reverse("screener:status"))


def unsubscribe_token(lookup_id: int) -> str:
    """Signed lookup id: the link names no address, and works as long as the lookup exists."""
    return signing.dumps(lookup_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_lookup_id(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def unsubscribe_url(lookup_id: int) -> str:
    return absolute_url(
        reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(lookup_id)})
    )


def unsubscribe_recipient(lookup_id: int) -> str:
    """The email address an unsubscribe link stands for, even after the lookup was anonymized."""
    sent_to = (
        Notification.objects.filter(lookup_id=lookup_id, channel=Channel.EMAIL)
        .exclude(recipient="")
        .values_list("recipient", flat=True)
        .first()
    )
    if sent_to:
        return sent_to
    return Lookup.objects.filter(pk=lookup_id).values_list("email", flat=True).first() or ""


# --- Context from the database ----------------------------------------------


def message_context(*, lookup: Lookup, kind: str, request_text: str = "") -> MessageContext:
    found = lookup.status == Lookup.Status.MATCHED
    shows_result = kind == Kind.RESULT_MATCH or (kind == Kind.REVIEW_DECIDED and found)
    # The letter's labels (batch names) are translated when read: read them in the message's.
    with translation.override(message_language(lookup.language)):
        cases = tuple(letter_cases(lookup)) if shows_result else ()
    return MessageContext(
        reference=lookup.reference,
        site_url=settings.SITE_URL.rstrip("/"),
        status_url=status_url(),
        letter_url=result_letter_url(lookup) if shows_result else "",
        found=found,
        cases=cases,
        request_text=request_text.strip() if kind == Kind.MORE_INFO else "",
        is_self=lookup.is_self,
        has_email=bool(lookup.email),
        letter_days=settings.RESULT_LINK_MAX_AGE_DAYS,
    )


def lookup_recipients(lookup: Lookup) -> list[tuple[str, str]]:
    """(channel, recipient) for each way the lookup can be reached."""
    recipients = []
    if lookup.email:
        recipients.append((Channel.EMAIL, recipient_normalize(Channel.EMAIL, lookup.email)))
    if lookup.phone:
        recipients.append((Channel.SMS, recipient_normalize(Channel.SMS, lookup.phone)))
    return recipients


# --- Suppressions -----------------------------------------------------------


def recipient_normalize(channel: str, value: str) -> str:
    value = (value or "").strip()
    if channel == Channel.EMAIL:
        return value.lower()
    try:
        return phone_normalize(value)
    except ValidationError:
        # Inbound webhooks carry the number as the carrier gave it; keep it comparable as is.
        return value


def is_suppressed(*, channel: str, recipient: str) -> bool:
    recipient = recipient_normalize(channel, recipient)
    return Suppression.objects.filter(channel=channel, recipient=recipient).exists()


def suppression_add(
    *, channel: str, recipient: str, reason: str = "", actor=None
) -> tuple[Suppression, bool]:
    """Stop all messages on a channel to a recipient, including ones already queued."""
    recipient = recipient_normalize(channel, recipient)
    with transaction.atomic():
        suppression, created = Suppression.objects.get_or_create(
            channel=channel, recipient=recipient, defaults={"reason": reason[:100]}
        )
        held = Notification.objects.filter(
            channel=channel, recipient=recipient, status=Status.QUEUED
        ).update(status=Status.SUPPRESSED, updated_at=timezone.now())
        if created:
            audit_record(
                actor=actor,
                action=Action.SUPPRESSION_ADDED,
                obj=suppression,
                summary=f"{channel} recipient opted out ({reason[:60]}); {held} queued held back",
                detail={"channel": channel, "reason": reason[:100], "held": held},
            )
    return suppression, created


def suppression_remove(*, channel: str, recipient: str, reason: str = "", actor=None) -> bool:
    """Allow messages again (SMS START, or staff at the person's request)."""
    recipient = recipient_normalize(channel, recipient)
    with transaction.atomic():
        suppression = Suppression.objects.filter(channel=channel, recipient=recipient).first()
        if suppression is None:
            return False
        audit_record(
            actor=actor,
            action=Action.SUPPRESSION_REMOVED,
            obj=suppression,
            summary=f"{channel} recipient opted back in ({reason[:60]})",
            detail={"channel": channel, "reason": reason[:100]},
        )
        suppression.delete()
    return True


# --- Queue ------------------------------------------------------------------


def notifications_queue(*, lookup: Lookup, kind: str, request_text: str = "") -> list[Notification]:
    """Write one outbox row per channel the lookup has, and send them after commit.

    Idempotent: a row that already exists for the lookup, kind and channel is returned as it is.
    `request_text` is the reviewer's question for a MORE_INFO message (email only, plain text).
    """
    kind = Kind(kind)
    language = message_language(lookup.language)
    rows: list[Notification] = []
    context: MessageContext | None = None
    for channel, recipient in lookup_recipients(lookup):
        existing = Notification.objects.filter(lookup=lookup, kind=kind, channel=channel).first()
        if existing is not None:
            rows.append(existing)
            continue
        if context is None:
            context = message_context(lookup=lookup, kind=kind, request_text=request_text)
        rendered = message_render(
            kind=kind,
            channel=channel,
            language=language,
            context=context,
            unsubscribe_url=unsubscribe_url(lookup.pk) if channel == Channel.EMAIL else "",
        )
        suppressed = is_suppressed(channel=channel, recipient=recipient)
        try:
            # Savepoint: losing a race to a concurrent call must not spoil the caller's transaction.
            with transaction.atomic():
                notification = Notification.objects.create(
                    lookup=lookup,
                    channel=channel,
                    kind=kind,
                    language=language,
                    recipient=recipient,
                    subject=rendered.subject[:200],
                    body_text=rendered.text,
                    body_html=rendered.html,
                    status=Status.SUPPRESSED if suppressed else Status.QUEUED,
                )
        except IntegrityError:
            rows.append(Notification.objects.get(lookup=lookup, kind=kind, channel=channel))
            continue
        if not suppressed:
            transaction.on_commit(partial(notification_enqueue, notification.pk))
        rows.append(notification)
    return rows


def notification_enqueue(notification_id: int) -> None:
    from screener.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except BrokerUnavailable:
        # The row stays queued; notifications_requeue_stale sends it when the broker is back.
        logger.warning("notification id=%s not enqueued: broker unavailable", notification_id)


def notifications_requeue_stale(
    *, older_than: timedelta = timedelta(minutes=10), limit: int = 500
) -> list[int]:
    """Enqueue again notifications still queued long after their last try (lost task message).

    `older_than` exceeds the task's longest retry wait, so a pending retry is not doubled; and if
    it were, the status check under lock still sends once.
    """
    cutoff = timezone.now() - older_than
    stale_ids = list(
        Notification.objects.filter(status=Status.QUEUED, updated_at__lt=cutoff)
        .order_by("updated_at")
        .values_list("pk", flat=True)[:limit]
    )
    for notification_id in stale_ids:
        notification_enqueue(notification_id)
    return stale_ids


# --- Send -------------------------------------------------------------------


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
        notification = Notification.objects.select_for_update().get(pk=notification_id)
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
            provider_id = notification_deliver(notification)
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
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status != Status.QUEUED:
            return notification
        notification.status = Status.FAILED
        if error or not notification.last_error:
            notification.last_error = contact_redact(error or "Gave up")[:MAX_ERROR_LENGTH]
        notification.save(update_fields=["status", "last_error", "updated_at"])
    logger.warning(
        "notification id=%s failed after %s attempts", notification_id, notification.attempts
    )
    return notification


def notification_resend(*, notification_id: int, actor) -> Notification:
    """Staff send a failed notification again: it is queued and sent after commit (audited)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("lookup")
            .get(pk=notification_id)
        )
        if notification.status != Status.FAILED:
            raise ValidationError(
                _("Only a failed notification can be sent again."), code="not_failed"
            )
        notification.status = Status.QUEUED
        notification.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.NOTIFICATION_RESENT,
            obj=notification,
            summary=(
                f"{notification.kind} {notification.channel} notification for lookup "
                f"{notification.lookup.reference} queued again"
            ),
            detail={
                "lookup_id": notification.lookup_id,
                "kind": notification.kind,
                "channel": notification.channel,
                "previous_error": notification.last_error,
                "attempts": notification.attempts,
            },
        )
        transaction.on_commit(partial(notification_enqueue, notification.pk))
    return notification
