"""Staff sessions end after 15 minutes without activity and 10 hours after sign-in; pages say when,
and the beat job erases expired sessions from the database."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from config.staff_sessions import LAST_SEEN_KEY, STARTED_KEY, staff_session_end
from eligibility.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    user = User.objects.create_user("sam.staff", password="x" * 12, is_staff=True)
    client.force_login(user)
    return client


def age_session(client, *, idle: float = 0, since_sign_in: float = 0) -> None:
    session = client.session
    now = time.time()
    session[STARTED_KEY] = now - since_sign_in
    session[LAST_SEEN_KEY] = now - idle
    session.save()


def test_the_defaults_are_fifteen_minutes_idle_and_ten_hours_in_all():
    assert (settings.STAFF_SESSION_IDLE_MINUTES, settings.STAFF_SESSION_MAX_HOURS) == (15, 10)


@pytest.mark.parametrize(
    ("started", "last_seen", "end"),
    [
        (0, 0, 900),  # just signed in: fifteen minutes
        (0, 3000, 3900),  # each request pushes the end back
        (0, 35_500, 36_000),  # but never past ten hours after sign-in
    ],
)
def test_a_session_ends_at_the_sooner_of_its_two_limits(started, last_seen, end):
    assert staff_session_end(started=started, last_seen=last_seen, idle=900, absolute=36_000) == end


def test_pages_state_when_the_session_ends(signed_in):
    page = signed_in.get("/staff/").content.decode()
    assert "Your session ends at" in page
    assert "15 minutes without activity" in page
    assert "admin_staff/session.js" in page


def test_sixteen_minutes_without_activity_end_the_session(signed_in):
    age_session(signed_in, idle=16 * 60, since_sign_in=16 * 60)
    response = signed_in.get("/staff/screener/lookup/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
    assert "_auth_user_id" not in signed_in.session
    expired = AuditLog.objects.get(action=Action.STAFF_SESSION_EXPIRED)
    assert expired.detail == {"limit": "idle"}


def test_ten_hours_after_sign_in_the_session_ends_even_when_busy(signed_in):
    age_session(signed_in, idle=60, since_sign_in=10 * 3600 + 1)
    assert signed_in.get("/staff/").status_code == 302
    assert AuditLog.objects.get(action=Action.STAFF_SESSION_EXPIRED).detail == {"limit": "absolute"}


def test_activity_keeps_the_session(signed_in):
    age_session(signed_in, idle=14 * 60, since_sign_in=3 * 3600)
    assert signed_in.get("/staff/").status_code == 200
    assert signed_in.get("/staff/").status_code == 200


def test_the_stored_session_expires_with_the_idle_limit_and_beat_erases_it(signed_in):
    signed_in.get("/staff/")
    stored = Session.objects.get()
    assert stored.expire_date <= timezone.now() + timedelta(minutes=15, seconds=5)

    clear_expired_sessions()
    assert Session.objects.exists()
    later = timezone.now() + timedelta(minutes=16)
    with mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=later):
        clear_expired_sessions()
    assert not Session.objects.exists()
    assert "clear-expired-sessions" in settings.CELERY_BEAT_SCHEDULE


def test_public_visitors_keep_their_sessions(client):
    client.get("/eligibility/")
    assert not AuditLog.objects.filter(action=Action.STAFF_SESSION_EXPIRED).exists()
