"""Result links: the link a message carries to a person's answer, and "send my answer again".

A link is an opaque random token (no lookup id inside), stored only as its SHA-256 (a 192-bit
random token cannot be found from its hash), made when its message is sent so the outbox never
holds it, valid RESULT_LINK_MAX_AGE_DAYS, and revocable by staff. Opening it asks for the date of
birth, then a fresh one-time code: the link alone, forwarded or read over a shoulder, shows
nothing. Wrong dates of birth lock the link for LINK_LOCK_MINUTES, doubling with each lockout up
to LINK_LOCK_MAX_HOURS: slow for a guesser, never locked for good for the owner, who can also ask
for a fresh link.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.actions import Action
from audit.locking import for_change
from audit.services import audit_record
from screener.access.identity import birth_date_accepted
from screener.models import Lookup, Notification, ResultLink

TOKEN_BYTES = 24  # 32 characters in URL-safe base64
# What the outbox stores in place of a token (the same length, so SMS segments count right).
LINK_PLACEHOLDER = "link-added-when-the-message-goes"
LINK_LOCK_MAX_HOURS = 24
# A result message went out: the engine (or staff) answered, so there is an answer to send again.
ANSWERED_KINDS = (
    Notification.Kind.RESULT_MATCH,
    Notification.Kind.RESULT_POSSIBLE,
    Notification.Kind.RESULT_NO_MATCH,
    Notification.Kind.REVIEW_DECIDED,
    Notification.Kind.MORE_INFO,
)


class LinkUnavailable(Exception):
    """The token names no link we can open. `expired` tells a genuine old link from the rest."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


class LinkOpen(StrEnum):
    OPENED = "opened"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class LinkAttempt:
    result: LinkOpen
    # LOCKED: seconds until the link can be tried again.
    retry_after: int = 0


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def result_link_mint(*, lookup_id: int) -> str:
    """A new link to the lookup's answer; returns its token (called as its message is sent)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    ResultLink.objects.create(
        lookup_id=lookup_id,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.RESULT_LINK_MAX_AGE_DAYS),
    )
    return token


def result_link_find(token: str) -> ResultLink:
    """The live link for `token`. Raises LinkUnavailable(expired=...)."""
    if not token or len(token) > 64:
        raise LinkUnavailable(expired=False)
    link = ResultLink.objects.filter(token_hash=token_hash(token)).select_related("lookup").first()
    if link is None or link.revoked_at is not None or link.lookup.anonymized_at is not None:
        raise LinkUnavailable(expired=False)
    if link.expires_at <= timezone.now():
        raise LinkUnavailable(expired=True)
    return link


def _lock_length(lockouts: int) -> timedelta:
    minutes = settings.LINK_LOCK_MINUTES * 2 ** max(lockouts - 1, 0)
    return min(timedelta(minutes=minutes), timedelta(hours=LINK_LOCK_MAX_HOURS))


def result_link_check_birth_date(*, link_id: int, date_of_birth: date) -> LinkAttempt:
    """Open the link with a date of birth, counting wrong ones against the link's lockout."""
    now = timezone.now()
    with transaction.atomic():
        link = for_change(ResultLink.objects).select_related("lookup").get(pk=link_id)
        if link.locked_until is not None and link.locked_until > now:
            wait = int((link.locked_until - now).total_seconds()) + 1
            return LinkAttempt(LinkOpen.LOCKED, retry_after=wait)
        if birth_date_accepted(link.lookup, date_of_birth):
            link.failed_tries = 0
            link.lockouts = 0
            link.locked_until = None
            link.save(update_fields=["failed_tries", "lockouts", "locked_until"])
            return LinkAttempt(LinkOpen.OPENED)
        link.failed_tries += 1
        if link.failed_tries < settings.LINK_TRIES_BEFORE_LOCK:
            link.save(update_fields=["failed_tries"])
            return LinkAttempt(LinkOpen.WRONG)
        link.failed_tries = 0
        link.lockouts += 1
        link.locked_until = now + _lock_length(link.lockouts)
        link.save(update_fields=["failed_tries", "lockouts", "locked_until"])
        wait = int((link.locked_until - now).total_seconds())
    return LinkAttempt(LinkOpen.LOCKED, retry_after=wait)


def result_links_revoke(*, lookup_id: int, actor, ip_address: str | None = None) -> int:
    """Staff stop every link sent for the lookup (a forwarded message, a lost phone). Audited."""
    with transaction.atomic():
        lookup = for_change(Lookup.objects).get(pk=lookup_id)
        revoked = ResultLink.objects.filter(lookup=lookup, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action=Action.LOOKUP_LINKS_REVOKED,
            obj=lookup,
            summary=f"Lookup {lookup.reference}: {revoked} result links revoked",
            detail={"revoked": revoked},
            ip_address=ip_address,
        )
    return revoked


def answer_send_again(*, lookup: Lookup, ip_address: str | None = None) -> bool:
    """Send a fresh link to the answer to the contact on file, if there is an answer yet.

    Returns False, sending nothing, while the lookup has not been answered: its result message
    will follow. The views limit how often (ANSWER_AGAIN_PER_LOOKUP).
    """
    from screener.notifications.outbox import notifications_queue

    answered = Notification.objects.filter(lookup=lookup, kind__in=ANSWERED_KINDS).exists()
    if not answered or lookup.anonymized_at is not None:
        return False
    with transaction.atomic():
        rows = notifications_queue(lookup=lookup, kind=Notification.Kind.ANSWER_AGAIN)
        audit_record(
            actor=None,
            action=Action.LOOKUP_ANSWER_SENT_AGAIN,
            obj=lookup,
            summary=f"Lookup {lookup.reference}: answer sent again",
            detail={"notification_ids": [row.pk for row in rows]},
            ip_address=ip_address,
        )
    return bool(rows)
