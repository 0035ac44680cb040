"""Secrets a message carries are made as it is sent: the outbox stores placeholders only.

A one-time code and a result link let whoever reads them further in, so the outbox (which staff
read and backups keep) never holds them: a queued row has CODE_PLACEHOLDER where the code goes
and a link whose token is LINK_PLACEHOLDER, and `message_with_secrets` makes the code or the link
as the send task hands the message to its provider. Each placeholder is as long as what replaces
it, so a text message's segments are counted right when it is written. A retried send makes new
ones; the code it replaces stops working (one live code per lookup).
"""

import copy

from screener.models import Notification

CODE_PLACEHOLDER = "[code]"  # as long as a code (screener.access.codes.CODE_DIGITS)


def message_with_secrets(notification: Notification) -> Notification:
    """An unsaved copy of `notification` with its code and link made; the row keeps neither."""
    from screener.access.codes import contact_code_mint
    from screener.access.links import LINK_PLACEHOLDER, result_link_mint

    parts = [notification.subject, notification.body_text, notification.body_html]
    if notification.kind == Notification.Kind.CODE and any(CODE_PLACEHOLDER in p for p in parts):
        code = contact_code_mint(lookup_id=notification.lookup_id, channel=notification.channel)
        parts = [part.replace(CODE_PLACEHOLDER, code) for part in parts]
    if any(LINK_PLACEHOLDER in part for part in parts):
        token = result_link_mint(lookup_id=notification.lookup_id)
        parts = [part.replace(LINK_PLACEHOLDER, token) for part in parts]
    outgoing = copy.copy(notification)
    outgoing.subject, outgoing.body_text, outgoing.body_html = parts
    return outgoing
