"""The outbox: one row per lookup, kind and channel, sent by a task after commit."""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from audit.actions import Action
from audit.locking import for_change
from audit.services import audit_record
from screener.models import REPEATABLE_NOTIFICATION_KINDS, Lookup, Notification
from screener.notifications.content import (
    MessageContext,
    message_context,
    message_language,
    message_render,
)
from screener.notifications.links import unsubscribe_url
from screener.notifications.suppressions import is_suppressed, recipient_normalize

logger = logging.getLogger(__name__)

Kind = Notification.Kind
Channel = Notification.Channel
Status = Notification.Status


def lookup_recipients(lookup: Lookup) -> list[tuple[str, str]]:
    """(channel, recipient) for each way the lookup can be reached."""
    recipients: list[tuple[str, str]] = []
    if lookup.email:
        recipients.append((Channel.EMAIL, recipient_normalize(Channel.EMAIL, lookup.email)))
    if lookup.phone:
        recipients.append((Channel.SMS, recipient_normalize(Channel.SMS, lookup.phone)))
    return recipients


def notifications_queue(
    *,
    lookup: Lookup,
    kind: str,
    request_text: str = "",
    channels: Iterable[str] | None = None,
) -> list[Notification]:
    """Write one outbox row per channel the lookup has (or those of `channels`), and send them
    after commit.

    Idempotent: a row that already exists for the lookup, kind and channel is returned as it is,
    except for the kinds sent each time the person asks (a code, the answer again).
    `request_text` is a reviewer's question, which the disclosure policy keeps out of messages.
    """
    kind = Kind(kind)
    language = message_language(lookup.language)
    rows: list[Notification] = []
    context: MessageContext | None = None
    wanted = set(channels) if channels is not None else None
    for channel, recipient in lookup_recipients(lookup):
        if wanted is not None and channel not in wanted:
            continue
        existing = (
            None
            if kind in REPEATABLE_NOTIFICATION_KINDS
            else Notification.objects.filter(lookup=lookup, kind=kind, channel=channel).first()
        )
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
        row = Notification(
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
        if kind in REPEATABLE_NOTIFICATION_KINDS:
            # No uniqueness to race for, so no savepoint: two round trips fewer on every
            # submission (each sends a code).
            row.save(force_insert=True)
            notification = row
        else:
            try:
                # Savepoint: losing a race to a concurrent call must not spoil the caller's
                # transaction.
                with transaction.atomic():
                    row.save(force_insert=True)
                notification = row
            except IntegrityError:
                rows.append(Notification.objects.get(lookup=lookup, kind=kind, channel=channel))
                continue
        if not suppressed:
            transaction.on_commit(partial(notification_enqueue, notification.pk, kind=kind))
        rows.append(notification)
    return rows


def notification_queue_name(kind: str) -> str:
    """The broker queue a notification of `kind` is sent from: codes before everything else."""
    if kind == Kind.CODE:
        return settings.CELERY_CODES_QUEUE
    return settings.CELERY_TASK_DEFAULT_QUEUE


def notification_enqueue(notification_id: int, *, kind: str = "") -> None:
    from screener.tasks import send_notification

    try:
        send_notification.apply_async((notification_id,), queue=notification_queue_name(kind))
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
    stale = list(
        Notification.objects.filter(status=Status.QUEUED, updated_at__lt=cutoff)
        .order_by("updated_at")
        .values_list("pk", "kind")[:limit]
    )
    for notification_id, kind in stale:
        notification_enqueue(notification_id, kind=kind)
    return [notification_id for notification_id, _kind in stale]


def notification_resend(*, notification_id: int, actor) -> Notification:
    """Staff send a failed notification again: it is queued and sent after commit (audited)."""
    with transaction.atomic():
        notification = (
            for_change(Notification.objects).select_related("lookup").get(pk=notification_id)
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
        transaction.on_commit(
            partial(notification_enqueue, notification.pk, kind=notification.kind)
        )
    return notification
