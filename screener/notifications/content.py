"""What a message says, and what each channel may carry.

What a message may carry is the disclosure policy's to decide (screener/disclosure.py): whatever
was found, every message carries the reference code and a link, and reads the same. The context
is read from the lookup once; rendering it (templates/notifications/) is pure.
"""

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from cases.normalize import collapse_spaces
from config.site import site_url
from screener.access.codes import CODE_VALID_MINUTES
from screener.access.links import LINK_PLACEHOLDER
from screener.context_processors import service_facts
from screener.disclosure import Level, PublicOutcome, Surface, disclosure, public_outcome
from screener.models import Lookup, Notification
from screener.notifications.links import result_link_url, status_url
from screener.notifications.secrets import CODE_PLACEHOLDER
from screener.sms import sms_fit

Kind = Notification.Kind
Channel = Notification.Channel

# Messages that carry a link to the answer (made when the message is sent).
LINK_KINDS = frozenset(
    {
        Kind.RESULT_MATCH,
        Kind.RESULT_POSSIBLE,
        Kind.RESULT_NO_MATCH,
        Kind.REVIEW_DECIDED,
        Kind.MORE_INFO,
        Kind.ANSWER_AGAIN,
    }
)


@dataclass(frozen=True)
class MessageContext:
    """Everything a template may use. Built from the lookup, trimmed per channel by the policy."""

    reference: str
    site_url: str
    status_url: str
    # A result link; in the outbox its token is LINK_PLACEHOLDER (screener.notifications.secrets).
    link_url: str = ""
    link_days: int = 7
    code_minutes: int = CODE_VALID_MINUTES
    # What was found (a PublicOutcome value) and a reviewer's question: known when the message
    # is written, and left out by the disclosure policy.
    outcome: str = ""
    request_text: str = ""
    is_self: bool = True
    has_email: bool = False


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def message_language(language: str) -> str:
    """The template language for a lookup's preferred language ("es-MX" → "es")."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def message_disclosable(context: MessageContext, *, channel: str) -> MessageContext:
    """Keep only what the disclosure policy lets a message on `channel` carry.

    A message can be read on a lock screen, a shared phone or a shared mailbox, by someone who
    typed another person's name and date of birth with their own address: it says that there is
    news and links to the page that asks for the date of birth and a one-time code.
    """
    shown = disclosure(
        outcome=PublicOutcome(context.outcome or PublicOutcome.PENDING),
        surface=Surface(channel),
        level=Level.SUBMITTED,
        policy=settings.DISCLOSURE_POLICY,
    )
    return replace(
        context,
        reference=context.reference if shown.reference else "",
        outcome=context.outcome if shown.outcome else "",
        request_text=context.request_text if shown.staff_request else "",
    )


def _tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def message_template_names(*, kind: str, channel: str) -> dict[str, str]:
    """One set of templates per kind, in every language: the words are in locale/."""
    base = f"notifications/{kind}"
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
    """Render one message from its templates, in `language`. No database access.

    Every message of a kind, channel and language reads the same but for the lookup's reference
    and its unsubscribe link, so the templates are rendered once per process with stand-ins for
    those two (`_render_shape`), which are then filled in: a surge queues a code per submission
    and a received and a result message per check, and rendering was most of each.
    """
    language = message_language(language)
    context = message_disclosable(context, channel=channel)
    if context.request_text or len(context.reference) not in (0, len(_REFERENCE_SLOT)):
        # A reviewer's own words (rare) are rendered as they are; so is a reference of another
        # length, which the stand-in could not hold in an SMS fitted to its length.
        return _render(kind, channel, language, context, unsubscribe_url)
    shape = _render_shape(
        kind,
        channel,
        language,
        replace(context, reference=_REFERENCE_SLOT if context.reference else ""),
        _UNSUBSCRIBE_SLOT if unsubscribe_url else "",
    )
    return RenderedMessage(
        subject=_fill(shape.subject, context.reference, unsubscribe_url, html=False),
        text=_fill(shape.text, context.reference, unsubscribe_url, html=False),
        html=_fill(shape.html, context.reference, unsubscribe_url, html=True),
    )


# Stand-ins no template, reference or link can hold: "0" is not in the references' alphabet,
# and the reference's stand-in is as long as a reference, so an SMS is fitted to the same length.
_REFERENCE_SLOT = "RC-000-000"
_UNSUBSCRIBE_SLOT = "https://0.invalid/unsubscribe-slot/"


def _fill(rendered: str, reference: str, unsubscribe_url: str, *, html: bool) -> str:
    if html:
        reference, unsubscribe_url = escape(reference), escape(unsubscribe_url)
    return rendered.replace(_REFERENCE_SLOT, reference).replace(_UNSUBSCRIBE_SLOT, unsubscribe_url)


@lru_cache(maxsize=512)
def _render_shape(
    kind: str, channel: str, language: str, context: MessageContext, unsubscribe_url: str
) -> RenderedMessage:
    return _render(kind, channel, language, context, unsubscribe_url)


@receiver(setting_changed)
def _forget_shapes(**kwargs) -> None:
    # The templates read settings (the operator's name and numbers, the reply address).
    _render_shape.cache_clear()


def _render(
    kind: str, channel: str, language: str, context: MessageContext, unsubscribe_url: str
) -> RenderedMessage:
    names = message_template_names(kind=kind, channel=channel)
    values = {
        **service_facts(),
        "reference": context.reference,
        "site_url": context.site_url,
        "status_url": context.status_url,
        "link_url": context.link_url,
        "link_days": context.link_days,
        "code": CODE_PLACEHOLDER,
        "code_minutes": context.code_minutes,
        "outcome": context.outcome,
        "request_text": context.request_text,
        "is_self": context.is_self,
        "has_email": context.has_email,
        "unsubscribe_url": unsubscribe_url,
        # Only "more information" emails invite a reply, and only to a mailbox staff read.
        "reply_to": settings.MORE_INFO_REPLY_TO,
    }
    with translation.override(language):
        if channel == Channel.SMS:
            sms = render_to_string(names["text"], values)
            return RenderedMessage(subject="", text=sms_fit(_tidy_text(sms)), html="")
        subject = collapse_spaces(render_to_string(names["subject"], values))
        text = _tidy_text(render_to_string(names["text"], values)) + "\n"
        html = render_to_string(names["html"], values).strip() + "\n"
    return RenderedMessage(subject=subject, text=text, html=html)


# --- Context from the database ----------------------------------------------


def message_context(*, lookup: Lookup, kind: str, request_text: str = "") -> MessageContext:
    return MessageContext(
        reference=lookup.reference,
        site_url=site_url(),
        status_url=status_url(),
        link_url=result_link_url(LINK_PLACEHOLDER) if kind in LINK_KINDS else "",
        link_days=settings.RESULT_LINK_MAX_AGE_DAYS,
        outcome=public_outcome(lookup.status),
        request_text=request_text.strip(),
        is_self=lookup.is_self,
        has_email=bool(lookup.email),
    )
