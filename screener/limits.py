"""Rate limits for the public pages (django-ratelimit), and how long to wait, in words.

Each limit is a setting from the environment ("10/h"). The "ip" key is audit.request.client_ip's
address (RATELIMIT_IP_META_KEY), as in audit rows. A page over a limit answers 429 with the
time to wait in words and a Retry-After header, and keeps what was typed.
"""

import math
from collections.abc import Callable

from django.http import HttpRequest
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

RateKey = str | Callable[[str, HttpRequest], str]


def limit_wait(request: HttpRequest, *, group: str, key: RateKey, rate: str) -> int | None:
    """Count this request against a limit: None when under it, else seconds until it lifts."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    # A cache failure reports -1: wait a minute rather than tell people "0 seconds".
    return usage["time_left"] if usage["time_left"] > 0 else 60


def wait_text(seconds: int) -> str:
    """ "about 40 minutes", "about 3 hours", "about 2 days", in the active language."""
    minutes = max(math.ceil(seconds / 60), 1)
    if minutes <= 90:
        return ngettext("about %(count)d minute", "about %(count)d minutes", minutes) % {
            "count": minutes
        }
    hours = round(minutes / 60)
    if hours <= 36:
        return ngettext("about %(count)d hour", "about %(count)d hours", hours) % {"count": hours}
    days = round(hours / 24)
    return ngettext("about %(count)d day", "about %(count)d days", days) % {"count": days}
