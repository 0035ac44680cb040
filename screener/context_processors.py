"""Facts that pages and messages repeat, read from settings so that they are written once.

Pages get them from this context processor; messages are rendered without a request, so
screener/notifications/content.py passes the same dictionary into their context.
"""

from functools import lru_cache
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


@lru_cache(maxsize=8)
def phone_tel(phone: str, setting: str = "PUBLIC_DEFENDER_PHONE") -> str:
    """The number in E.164, for a `tel:` link that phones can dial ("+13237606763")."""
    try:
        number = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException as exc:
        message = f"{setting} is not a phone number: {phone!r}"
        raise ImproperlyConfigured(message) from exc
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def url_display(url: str) -> str:
    """A web address as people read it aloud: no scheme, no trailing slash."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}".rstrip("/")


def service_facts(request: HttpRequest | None = None) -> dict[str, object]:
    return {
        "review_business_days": settings.REVIEW_BUSINESS_DAYS,
        "public_defender_phone": settings.PUBLIC_DEFENDER_PHONE,
        "public_defender_tel": phone_tel(settings.PUBLIC_DEFENDER_PHONE),
        "public_defender_url": settings.PUBLIC_DEFENDER_URL,
        "public_defender_site": url_display(settings.PUBLIC_DEFENDER_URL),
        # Who runs the service, named on every page, message and letter.
        "service_operator": settings.SERVICE_OPERATOR,
        "service_operator_email": settings.SERVICE_OPERATOR_EMAIL,
        "service_operator_phone": settings.SERVICE_OPERATOR_PHONE,
        "service_operator_tel": (
            phone_tel(settings.SERVICE_OPERATOR_PHONE, "SERVICE_OPERATOR_PHONE")
            if settings.SERVICE_OPERATOR_PHONE
            else ""
        ),
    }
