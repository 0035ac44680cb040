"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request, and at the latest
STAFF_SESSION_MAX_HOURS after sign-in, whatever the activity.

The session's own expiry follows the same end, so the database row expires with it and the
`clear-expired-sessions` beat job erases it. Pages of the staff site state when the session
ends (templates/admin/base_site.html); a small static script counts down to it.
"""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.request import client_ip
from audit.services import audit_record

STARTED_KEY = "staff_session_started"
LAST_SEEN_KEY = "staff_session_last_seen"


def staff_session_end(*, started: float, last_seen: float, idle: float, absolute: float) -> float:
    """When a session started at `started` and last used at `last_seen` ends (epoch seconds)."""
    return min(last_seen + idle, started + absolute)


def _limits() -> tuple[float, float]:
    return settings.STAFF_SESSION_IDLE_MINUTES * 60.0, settings.STAFF_SESSION_MAX_HOURS * 3600.0


def staff_session_start(request: HttpRequest) -> None:
    """The absolute limit counts from sign-in (connected to user_logged_in in config/apps.py)."""
    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[LAST_SEEN_KEY] = now


def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        staff_session_start(request)


class StaffSessionMiddleware:
    """After AuthenticationMiddleware: ends a staff session that is over its time, or renews it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest, user) -> HttpResponse | None:
        now = time.time()
        idle, absolute = _limits()
        session = request.session
        started = session.get(STARTED_KEY)
        last_seen = session.get(LAST_SEEN_KEY)
        if started is None or last_seen is None:
            # A session from before these limits, or made without signing in: start it now.
            started = last_seen = now
            session[STARTED_KEY] = started
        end = staff_session_end(started=started, last_seen=last_seen, idle=idle, absolute=absolute)
        if now >= end:
            reason = "idle" if last_seen + idle <= started + absolute else "absolute"
            audit_record(
                actor=user,
                action=Action.STAFF_SESSION_EXPIRED,
                summary=f"Staff session ended ({reason} limit)",
                detail={"limit": reason},
                ip_address=client_ip(request),
            )
            logout(request)
            messages.info(request, _("Your session ended. Sign in again to go on."))
            login = reverse("admin:login")
            return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        session[LAST_SEEN_KEY] = now
        new_end = staff_session_end(started=started, last_seen=now, idle=idle, absolute=absolute)
        session.set_expiry(max(1, int(new_end - now)))
        request.staff_session = {
            "ends_at": datetime.fromtimestamp(new_end, tz=UTC),
            "idle_minutes": settings.STAFF_SESSION_IDLE_MINUTES,
            "warning_minutes": settings.STAFF_SESSION_WARNING_MINUTES,
            "warning_seconds": settings.STAFF_SESSION_WARNING_MINUTES * 60,
        }
        return None
