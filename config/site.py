"""The site's public address, for links that leave it: emails, text messages, result letters."""

from django.conf import settings


def site_url(path: str = "") -> str:
    """`path` (from `reverse()` or a request) on SITE_URL, the address people reach the site at.

    Behind a proxy the request's own host may be an internal one, so links never use it.
    """
    return f"{settings.SITE_URL.rstrip('/')}{path}"
