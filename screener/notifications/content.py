"""What a message says and what each channel may carry.

Decided here, not in templates: an SMS never carries case details or a reviewer's words. The
context is read from the lookup once; rendering it (templates/notifications/) is pure.
"""

import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from config.site import site_url
from screener.context_processors import service_facts
from screener.letters import LetterCase, letter_cases, result_letter_url
from screener.models import Lookup, Notification
from screener.notifications.links import status_url
from screener.sms import sms_fit

Kind = Notification.Kind
Channel = Notification.Channel


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
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


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
    """Render one message from its templates, in `language`. No database access."""
    language = message_language(language)
    context = message_disclosable(context, channel=channel)
    names = message_template_names(kind=kind, channel=channel)
    values = {
        **service_facts(),
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
        # Only "more information" emails invite a reply, and only to a mailbox staff read.
        "reply_to": settings.MORE_INFO_REPLY_TO,
    }
    with translation.override(language):
        if channel == Channel.SMS:
            text = render_to_string(names["text"], values)
            return RenderedMessage(subject="", text=sms_fit(_tidy_text(text)), html="")
        subject = " ".join(render_to_string(names["subject"], values).split())
        text = _tidy_text(render_to_string(names["text"], values)) + "\n"
        html = render_to_string(names["html"], values).strip() + "\n"
    return RenderedMessage(subject=subject, text=text, html=html)


# --- Context from the database ----------------------------------------------


def message_context(*, lookup: Lookup, kind: str, request_text: str = "") -> MessageContext:
    found = lookup.status == Lookup.Status.MATCHED
    shows_result = kind == Kind.RESULT_MATCH or (kind == Kind.REVIEW_DECIDED and found)
    # The letter's labels (batch names) are translated when read: read them in the message's.
    with translation.override(message_language(lookup.language)):
        cases = tuple(letter_cases(lookup)) if shows_result else ()
    return MessageContext(
        reference=lookup.reference,
        site_url=site_url(),
        status_url=status_url(),
        letter_url=result_letter_url(lookup) if shows_result else "",
        found=found,
        cases=cases,
        request_text=request_text.strip() if kind == Kind.MORE_INFO else "",
        is_self=lookup.is_self,
        has_email=bool(lookup.email),
        letter_days=settings.RESULT_LINK_MAX_AGE_DAYS,
    )
