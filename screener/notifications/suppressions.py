"""Opt-outs: a suppressed recipient gets nothing more on that channel, queued messages included.

The list holds keyed hashes of the normalized addresses (audit.hashing), never the addresses.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.actions import Action
from audit.hashing import keyed_hash
from audit.services import audit_record
from screener.contact import phone_normalize
from screener.models import Notification, Suppression

Channel = Notification.Channel
Status = Notification.Status


def recipient_normalize(channel: str, value: str) -> str:
    value = (value or "").strip()
    if channel == Channel.EMAIL:
        return value.lower()
    try:
        return phone_normalize(value)
    except ValidationError:
        # Inbound webhooks carry the number as the carrier gave it; keep it comparable as is.
        return value


def recipient_hash(channel: str, value: str) -> str:
    """The keyed hash the opt-out list stores for a recipient (normalized first)."""
    return keyed_hash(f"suppression:{channel}", recipient_normalize(channel, value))


def is_suppressed(*, channel: str, recipient: str) -> bool:
    hashed = recipient_hash(channel, recipient)
    return Suppression.objects.filter(channel=channel, recipient_hash=hashed).exists()


def suppression_add(
    *, channel: str, recipient: str, reason: str = "", actor=None
) -> tuple[Suppression, bool]:
    """Stop all messages on a channel to a recipient, including ones already queued."""
    hashed = recipient_hash(channel, recipient)
    recipient = recipient_normalize(channel, recipient)
    with transaction.atomic():
        suppression, created = Suppression.objects.get_or_create(
            channel=channel, recipient_hash=hashed, defaults={"reason": reason[:100]}
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
    hashed = recipient_hash(channel, recipient)
    suppression = Suppression.objects.filter(channel=channel, recipient_hash=hashed).first()
    if suppression is None:
        return False
    suppression_delete(suppression=suppression, reason=reason, actor=actor)
    return True


def suppression_delete(*, suppression: Suppression, reason: str = "", actor=None) -> None:
    """Take one opt-out off the list (staff, from the list, where no address is shown)."""
    channel = suppression.channel
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.SUPPRESSION_REMOVED,
            obj=suppression,
            summary=f"{channel} recipient opted back in ({reason[:60]})",
            detail={"channel": channel, "reason": reason[:100]},
        )
        suppression.delete()
