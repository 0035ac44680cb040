"""Markup for the HTML part of a notification email (templates/notifications/*.html).

Mail clients drop style sheets, so links carry their style inline. Used inside
`{% blocktranslate with ... %}`, these filters let the HTML and the plain-text part of a message
share one translated sentence: only the value put into it differs.
"""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

register = template.Library()

LINK_STYLE = "color:#005ea2;"


@register.filter
def strong(value: object) -> SafeString:
    return format_html("<strong>{}</strong>", value)


@register.filter
def email_link(url: str, text: str) -> SafeString:
    return format_html('<a href="{}" style="{}">{}</a>', url, LINK_STYLE, text)


@register.filter
def tel_link(phone: str, tel: str) -> SafeString:
    """A phone number that dials `tel` when tapped, kept on one line."""
    first, *rest = phone.split(" ")
    unbroken = escape(first)
    for part in rest:
        unbroken = format_html("{}&nbsp;{}", unbroken, part)
    return format_html('<a href="tel:{}" style="{}">{}</a>', tel, LINK_STYLE, unbroken)
