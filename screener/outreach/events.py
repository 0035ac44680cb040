"""Which outreach events a worker may enter walk-ins at, and the one they chose this session."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from screener.models import OutreachEvent

EVENT_SESSION_KEY = "outreach_event"
# Staff who may see every lookup may also work at, and report on, every event.
VIEW_ALL_PERMISSION = "screener.view_all_lookups"


def events_visible(user) -> QuerySet[OutreachEvent]:
    """The events whose walk-ins and report `user` may see: their own, or all for staff."""
    events = OutreachEvent.objects.all()
    if user.has_perm(VIEW_ALL_PERMISSION):
        return events
    return events.filter(workers=user)


def events_open(user, *, today: date | None = None) -> QuerySet[OutreachEvent]:
    """The events `user` may enter walk-ins at today: open for intake, on one of their days."""
    today = today or timezone.localdate()
    return (
        events_visible(user)
        .filter(active=True, starts_on__lte=today)
        .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on=today))
        .order_by("starts_on", "name")
    )


def event_choose(request: HttpRequest, event_id: int) -> OutreachEvent | None:
    """Keep the worker's choice in the session; None when they may not work that event today."""
    event = events_open(request.user).filter(pk=event_id).first()
    if event is not None:
        request.session[EVENT_SESSION_KEY] = event.pk
    return event


def event_current(request: HttpRequest) -> OutreachEvent | None:
    """The event chosen this session, while the worker may still work it."""
    event_id = request.session.get(EVENT_SESSION_KEY)
    if not isinstance(event_id, int):
        return None
    return events_open(request.user).filter(pk=event_id).first()
