"""Which lookup this browser may see, and how far it has proved it may (the Django session).

Only the lookup's id and the time of each step are kept: never a name, a date of birth or a code.
A step older than ACCESS_SESSION_MINUTES counts for nothing, so a shared computer forgets.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "screener_access"


@dataclass(frozen=True)
class AccessState:
    lookup_id: int
    # Set once the one-time code was typed (level 1); None while a code is awaited.
    verified_at: float | None
    # The browser has just sent the form: the code page greets it as a new request.
    just_submitted: bool

    @property
    def contact_verified(self) -> bool:
        return self.verified_at is not None


def _max_age() -> float:
    return settings.ACCESS_SESSION_MINUTES * 60


def access_begin(request: HttpRequest, *, lookup_id: int, just_submitted: bool = False) -> None:
    """This browser may now type the code sent for `lookup_id` (it has not proved anything)."""
    request.session[SESSION_KEY] = {
        "lookup": lookup_id,
        "since": time.time(),
        "verified_at": None,
        "just_submitted": just_submitted,
    }


def access_verified(request: HttpRequest, *, lookup_id: int) -> None:
    """The code was right: this browser controls the lookup's contact (level 1)."""
    # A new session key, so a session id planted before the code was typed is worth nothing.
    request.session.cycle_key()
    now = time.time()
    request.session[SESSION_KEY] = {
        "lookup": lookup_id,
        "since": now,
        "verified_at": now,
        "just_submitted": False,
    }


def access_current(request: HttpRequest) -> AccessState | None:
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return None
    if time.time() - kept.get("since", 0) > _max_age():
        access_end(request)
        return None
    return AccessState(
        lookup_id=kept["lookup"],
        verified_at=kept.get("verified_at"),
        just_submitted=bool(kept.get("just_submitted")),
    )


def access_end(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
