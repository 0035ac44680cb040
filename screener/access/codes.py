"""One-time codes: six digits sent to a lookup's email or phone; typing one proves control of it.

A code works for CODE_VALID_MINUTES and CODE_MAX_TRIES wrong tries. It is made when its message is
sent (screener.notifications.secrets), so the outbox stores only a placeholder, and only a hash
of it is kept, keyed with SECRET_KEY: a plain hash of six digits is undone by trying the million
of them. A new code revokes the one before it, so one code is live at a time.
How often codes may be sent is limited by the views (CODE_SENDS_PER_LOOKUP, CODE_SENDS_PER_IP).
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.actions import Action
from audit.locking import for_change
from audit.services import audit_record
from screener.models import ContactCode, Lookup, Notification

CODE_DIGITS = 6
CODE_VALID_MINUTES = 10
CODE_MAX_TRIES = 5


class CodeResult(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"  # tries are left
    USED_UP = "used_up"  # the last try was wrong, or they had run out
    EXPIRED = "expired"
    REPLACED = "replaced"  # a code from an older message: a newer one was sent
    USED = "used"  # already typed once
    NONE_SENT = "none_sent"


@dataclass(frozen=True)
class CodeCheck:
    result: CodeResult
    tries_left: int = 0

    @property
    def accepted(self) -> bool:
        return self.result == CodeResult.ACCEPTED


def code_hash(*, lookup_id: int, code: str) -> str:
    message = f"contact-code|{lookup_id}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def code_normalize(value: str) -> str:
    """What people type or paste: "123 456", "123-456" → "123456"; anything else → ""."""
    digits = "".join(ch for ch in value or "" if ch not in " -.\u00a0\t")
    return digits if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit() else ""


def code_channel(lookup: Lookup, preferred: str = "") -> str:
    """Where a one-time code goes: `preferred` if the lookup has it, else email, else SMS ("" for
    a lookup whose contact was erased: nothing is sent)."""
    available = [
        channel
        for channel, value in (
            (Notification.Channel.EMAIL, lookup.email),
            (Notification.Channel.SMS, lookup.phone),
        )
        if value
    ]
    if preferred in available:
        return preferred
    return available[0] if available else ""


def contact_code_request(*, lookup: Lookup, channel: str) -> list[Notification]:
    """Queue a message with a new code to the lookup's contact on `channel` (email or SMS)."""
    from screener.notifications.outbox import notifications_queue

    # No savepoint inside the submission's transaction (two round trips fewer per submission):
    # a code that cannot be written fails the submission with it.
    with transaction.atomic(savepoint=False):
        return notifications_queue(lookup=lookup, kind=Notification.Kind.CODE, channels=[channel])


def contact_code_mint(*, lookup_id: int, channel: str) -> str:
    """A new code for the lookup, replacing any live one; called as its message is sent."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        ContactCode.objects.filter(
            lookup_id=lookup_id, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        ContactCode.objects.create(
            lookup_id=lookup_id,
            channel=channel,
            code_hash=code_hash(lookup_id=lookup_id, code=code),
            expires_at=now + timedelta(minutes=CODE_VALID_MINUTES),
        )
    return code


def contact_code_check(*, lookup_id: int, code: str, ip_address: str | None = None) -> CodeCheck:
    """Check a typed code against the lookup's latest one. A right code is used up and audited."""
    now = timezone.now()
    typed = code_hash(lookup_id=lookup_id, code=code_normalize(code))
    with transaction.atomic():
        latest = (
            for_change(ContactCode.objects).filter(lookup_id=lookup_id).order_by("-pk")
        ).first()
        if latest is None:
            return CodeCheck(CodeResult.NONE_SENT)
        if latest.used_at is not None:
            return CodeCheck(CodeResult.USED)
        if latest.revoked_at is not None:
            return CodeCheck(CodeResult.USED_UP)
        if latest.expires_at <= now:
            return CodeCheck(CodeResult.EXPIRED)
        if hmac.compare_digest(latest.code_hash, typed):
            latest.used_at = now
            latest.save(update_fields=["used_at"])
            lookup = Lookup.objects.get(pk=lookup_id)
            audit_record(
                actor=None,
                action=Action.LOOKUP_CONTACT_VERIFIED,
                obj=lookup,
                summary=f"Lookup {lookup.reference}: one-time code typed ({latest.channel})",
                detail={"channel": latest.channel},
                ip_address=ip_address,
            )
            return CodeCheck(CodeResult.ACCEPTED)
        replaced = ContactCode.objects.filter(
            lookup_id=lookup_id, code_hash=typed, created_at__gt=now - timedelta(hours=1)
        ).exclude(pk=latest.pk)
        if replaced.exists():
            return CodeCheck(CodeResult.REPLACED)
        latest.failed_tries += 1
        if latest.failed_tries >= CODE_MAX_TRIES:
            latest.revoked_at = now
        latest.save(update_fields=["failed_tries", "revoked_at"])
    tries_left = CODE_MAX_TRIES - latest.failed_tries
    return CodeCheck(CodeResult.WRONG if tries_left else CodeResult.USED_UP, tries_left)
