"""The links a message carries: the status page, the result link and the unsubscribe link."""

from django.core import signing
from django.urls import reverse

from config.site import site_url
from screener.models import Lookup, Notification

# Kept from when this was screener/notifications.py: links already sent must keep working.
UNSUBSCRIBE_SALT = "screener.notifications.unsubscribe"

Channel = Notification.Channel


def status_url() -> str:
    return site_url(reverse("screener:status"))


def result_link_url(token: str) -> str:
    """A result link (screener.access.links) on the public address."""
    return site_url(reverse("screener:link", kwargs={"token": token}))


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
    return site_url(
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
