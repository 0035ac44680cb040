"""Where a request came from, for audit rows and rate limits."""

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as the web server saw it (REMOTE_ADDR).

    The one place that decides this: audit rows, the public views and the rate limits all ask
    here, so that teaching it a trusted proxy's header changes them together.
    """
    return request.META.get("REMOTE_ADDR") or None


def ratelimit_ip(request: HttpRequest) -> str:
    """client_ip for django-ratelimit's "ip" key (RATELIMIT_IP_META_KEY), which masks IPv6 to /64.

    With no address every request would share one counter, so it is refused as django-ratelimit
    refuses an empty REMOTE_ADDR: a server set-up problem, not a visitor's.
    """
    ip = client_ip(request)
    if ip is None:
        raise ImproperlyConfigured("The request has no client address (REMOTE_ADDR is empty).")
    return ip
