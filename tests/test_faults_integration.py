"""Launch-day faults with real processes: gunicorn, Celery workers and beat on the production
settings (benchmarks/stack.py), a throwaway redis-server stopped and started, PostgreSQL behind a
relay that stops answering, a worker killed by signal, providers that answer with errors.

Each test starts its own stack on loopback and its own Redis (never the shared one), on the test
database, and stops every process it started.
"""

import re
import signal
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection

from audit.actions import Action
from audit.models import AuditLog
from benchmarks.stack import RedisServer, SmtpSink, Stack, TcpProxy, TwilioStandIn, wait_until
from screener.models import Lookup, Notification
from tests.screener.public_flow import cases_load, lookup_form_data, nobody_form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FINAL = (Lookup.Status.MATCHED, Lookup.Status.NEEDS_REVIEW, Lookup.Status.NOT_FOUND)
RESULT_KINDS = (
    Notification.Kind.RESULT_MATCH,
    Notification.Kind.RESULT_POSSIBLE,
    Notification.Kind.RESULT_NO_MATCH,
)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("static")


class Faults:
    """One test's pieces: Redis, the providers, a relay to PostgreSQL, and the stack."""

    def __init__(self, logdir: Path, static_root: Path) -> None:
        self.redis = RedisServer(logdir)
        self.smtp = SmtpSink()
        self.twilio = TwilioStandIn()
        self.database = TcpProxy("127.0.0.1", int(connection.settings_dict["PORT"] or 5432))
        db_name = connection.settings_dict["NAME"]
        relayed = database_url().rsplit("@", 1)[0] + f"@127.0.0.1:{self.database.port}/{db_name}"
        self.stack = Stack(
            database_url=relayed,
            redis_url=self.redis.url(0),
            logdir=logdir,
            smtp_url=self.smtp.url(),
            static_root=static_root,
            extra_env={
                **self.twilio.settings_env(),
                "OPERATIONS_ALERT_EMAIL": "ops@reliefcheck.example",
                "NOTIFICATION_BACKOFF_SECONDS": "0.5",
                "NOTIFICATION_MAX_TRIES": "3",
                "GUNICORN_WORKERS": "2",
                "GUNICORN_THREADS": "2",
            },
        )

    def start(self, *, worker: bool = True, beat: bool = True, **env: str) -> None:
        self.redis.start()
        self.smtp.start()
        self.twilio.start()
        self.database.start()
        self.stack.extra_env.update(env)
        self.stack.collectstatic()
        self.stack.start_web()
        if worker:
            self.stack.start_worker()
        if beat:
            self.stack.start_beat()

    def stop(self) -> None:
        self.stack.stop()
        self.database.stop()
        self.twilio.stop()
        self.smtp.stop()
        self.redis.stop()

    def mail_to(self, address: str) -> list:
        return [m for m in self.smtp.messages if address in m.recipients]


@pytest.fixture
def faults(tmp_path, static_root):
    pieces = Faults(tmp_path, static_root)
    try:
        yield pieces
    except BaseException:
        raise
    finally:
        pieces.stop()
        for name in ("web", "worker", "beat"):
            log = tmp_path / f"{name}.log"
            if log.exists():
                print(f"---- {name}.log (last lines)\n{log.read_text(errors='replace')[-4000:]}")


class Visitor:
    """A browser behind the TLS proxy: X-Forwarded-Proto/For, and its cookies kept here (they are
    Secure, and the proxy speaks http to gunicorn)."""

    def __init__(self, base_url: str, *, address: str = "198.51.100.7", language: str = "en"):
        self.base_url = base_url
        self.origin = base_url.replace("http://", "https://", 1)
        self.headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": address,
            "Accept-Language": language,
        }
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method, self.base_url + path, headers=headers, allow_redirects=False, timeout=30,
            **kwargs,
        )  # fmt: skip
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    def get(self, path: str) -> requests.Response:
        return self._send("GET", path)

    def submit(self, data: dict) -> tuple[requests.Response, requests.Response | None]:
        """GET the form, POST it with its CSRF token, follow the redirect once."""
        form = self.get("/check/")
        token = CSRF_FIELD.search(form.text).group(1)
        posted = self._send(
            "POST",
            "/check/",
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Origin": self.origin, "Referer": f"{self.origin}/check/"},
        )
        if posted.status_code not in (302, 303):
            return posted, None
        return posted, self.get(posted.headers["Location"].split("#")[0])


def heading(response: requests.Response) -> str:
    return H1.search(response.text).group(1).strip()


def final(lookup: Lookup) -> bool:
    lookup.refresh_from_db()
    return lookup.status in FINAL


# --- Redis ---------------------------------------------------------------------------------------


def test_redis_down_at_submit_the_lookup_is_stored_and_checked_soon_after_it_returns(faults):
    cases_load()
    faults.start()
    normal, normal_page = Visitor(faults.stack.web_url, address="198.51.100.1").submit(
        nobody_form_data(email="before@example.org")
    )
    assert normal.status_code == 303

    faults.redis.stop()
    posted, page = Visitor(faults.stack.web_url).submit(lookup_form_data())
    # The normal confirmation: the same redirect and the same page as with Redis up.
    assert posted.status_code == normal.status_code
    assert page is not None and page.status_code == 200
    assert heading(page) == heading(normal_page)
    lookup = Lookup.objects.get(email="maria@example.org")
    assert lookup.status == Lookup.Status.RECEIVED
    assert "not enqueued: broker unavailable" in faults.stack.log("web")

    time.sleep(3)  # an outage, however short, that the lookup lives through
    faults.redis.start()
    returned = time.monotonic()
    wait_until(lambda: final(lookup), timeout=150, what="lookup checked after Redis returned")
    elapsed = time.monotonic() - returned
    print(f"lookup checked {elapsed:.0f} s after Redis returned")
    assert elapsed < 120
    assert (
        AuditLog.objects.filter(action=Action.LOOKUP_CHECKED, object_id=str(lookup.pk)).count() == 1
    )
    wait_until(
        lambda: Notification.objects.filter(
            lookup=lookup, kind__in=RESULT_KINDS, status=Notification.Status.SENT
        ).exists(),
        timeout=30,
        what="result message sent",
    )
    assert Notification.objects.filter(lookup=lookup, kind__in=RESULT_KINDS).count() == 1


# --- PostgreSQL ----------------------------------------------------------------------------------


def test_postgresql_refusing_connections_gives_the_friendly_503_and_keeps_nothing(faults):
    faults.start(worker=False, beat=False)
    english, spanish = (
        Visitor(faults.stack.web_url, address=f"198.51.100.{n}", language=language)
        for n, language in ((2, "en"), (3, "es"))
    )
    forms = {visitor: visitor.get("/check/") for visitor in (english, spanish)}
    assert all(form.status_code == 200 for form in forms.values())
    assert requests.get(f"{faults.stack.web_url}/healthz", timeout=10).status_code == 200

    faults.database.stop()
    health = requests.get(f"{faults.stack.web_url}/healthz", timeout=10)
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable"}
    for visitor, words in (
        (english, "Nothing you entered was saved or sent"),
        (spanish, "No se guardó ni se envió nada"),
    ):
        token = CSRF_FIELD.search(forms[visitor].text).group(1)
        response = visitor._send(
            "POST",
            "/check/",
            data={**lookup_form_data(email=f"{visitor.headers['Accept-Language']}@example.org"),
                  "csrfmiddlewaretoken": token},
            headers={"Origin": visitor.origin, "Referer": f"{visitor.origin}/check/"},
        )  # fmt: skip
        assert response.status_code == 503
        assert words in response.text
        assert response.headers["Retry-After"] == "120"
        assert "psycopg" not in response.text and "5432" not in response.text
    assert Lookup.objects.count() == 0

    faults.database.start()
    wait_until(
        lambda: requests.get(f"{faults.stack.web_url}/healthz", timeout=10).status_code == 200,
        timeout=30,
        what="healthy again",
    )
    posted, _page = Visitor(faults.stack.web_url, address="198.51.100.9").submit(
        nobody_form_data(email="after@example.org")
    )
    assert posted.status_code == 303
    assert Lookup.objects.filter(email="after@example.org").exists()


# --- A worker killed mid-task -------------------------------------------------------------------


@pytest.mark.parametrize("what", ["whole worker", "pool process"])
def test_a_worker_killed_mid_check_leaves_it_to_another_exactly_once(faults, what):
    cases_load()
    faults.start(
        worker=False, beat=True, LOOKUP_SWEEP_SECONDS="3", LOOKUP_CHECKING_STUCK_SECONDS="5"
    )
    posted, _page = Visitor(faults.stack.web_url).submit(lookup_form_data())
    assert posted.status_code == 303
    lookup = Lookup.objects.get(email="maria@example.org")

    # Reading the cases waits behind this lock: the check is caught in the middle.
    blocker = psycopg.connect(database_url())
    blocker.execute("LOCK TABLE cases_case, cases_casesearchkey IN ACCESS EXCLUSIVE MODE")
    try:
        faults.stack.start_worker("worker-a", concurrency=1)
        wait_until(
            lambda: Lookup.objects.filter(pk=lookup.pk, status=Lookup.Status.CHECKING).exists(),
            timeout=60,
            what="check started",
        )
        time.sleep(0.5)
        if what == "whole worker":
            faults.stack.kill("worker-a", signal.SIGKILL)
        else:
            for pid in faults.stack.child_pids("worker-a"):
                import os

                os.kill(pid, signal.SIGKILL)
    finally:
        blocker.rollback()
        blocker.close()

    if what == "whole worker":
        # Its message stays unacknowledged in Redis; the sweep finds the lookup CHECKING too long.
        faults.stack.start_worker("worker-b", concurrency=1)
    wait_until(lambda: final(lookup), timeout=90, what="checked by another worker")
    wait_until(
        lambda: Notification.objects.filter(
            lookup=lookup, kind__in=RESULT_KINDS, status=Notification.Status.SENT
        ).exists(),
        timeout=30,
        what="result message sent",
    )
    assert (
        AuditLog.objects.filter(action=Action.LOOKUP_CHECKED, object_id=str(lookup.pk)).count() == 1
    )
    assert Notification.objects.filter(lookup=lookup, kind__in=RESULT_KINDS).count() == 1
    # The one-time code, "received" and the result, each delivered once.
    time.sleep(2)
    assert len(faults.mail_to("maria@example.org")) == 3
    if what == "whole worker":
        assert "check_lookup" in faults.stack.log("worker-b")


# --- Providers -----------------------------------------------------------------------------------


def test_sms_provider_down_retries_then_fails_visibly_and_alerts_operations_once(
    faults, admin_client
):
    faults.twilio.failing = True
    faults.start()
    posted, _page = Visitor(faults.stack.web_url).submit(
        nobody_form_data(email="", phone="(213) 555-0142")
    )
    assert posted.status_code == 303
    lookup = Lookup.objects.get(phone="+12135550142")
    wait_until(
        lambda: (
            Notification.objects.filter(lookup=lookup, status=Notification.Status.FAILED).count()
            == 3
        ),
        timeout=90,
        what="the code, received and result messages failed",
    )
    for row in Notification.objects.filter(lookup=lookup):
        assert row.attempts == 3  # NOTIFICATION_MAX_TRIES for this stack
        assert "Twilio HTTP 500" in row.last_error
    assert faults.twilio.refused == 9
    wait_until(lambda: faults.mail_to("ops@reliefcheck.example"), timeout=30, what="alert")
    time.sleep(2)
    alerts = faults.mail_to("ops@reliefcheck.example")
    assert len(alerts) == 1
    assert b"2135550142" not in alerts[0].data

    outbox = admin_client.get("/staff/screener/notification/?status__exact=failed")
    assert outbox.status_code == 200
    assert lookup.reference in outbox.content.decode()
    dashboard = admin_client.get("/staff/dashboard/").content.decode()
    assert re.search(r'id="messages-failed"><a [^>]*>3</a>', dashboard)


def test_a_provider_that_recovers_during_the_retries_delivers_each_message_once(faults):
    faults.twilio.failing = True
    faults.start()
    posted, _page = Visitor(faults.stack.web_url).submit(
        nobody_form_data(email="", phone="(213) 555-0143")
    )
    assert posted.status_code == 303
    wait_until(lambda: faults.twilio.refused >= 1, timeout=60, what="a refused try")
    faults.twilio.failing = False
    lookup = Lookup.objects.get(phone="+12135550143")
    wait_until(
        lambda: (
            Notification.objects.filter(lookup=lookup, status=Notification.Status.SENT).count() == 3
        ),
        timeout=60,
        what="the code, received and result messages sent",
    )
    time.sleep(2)
    assert len([m for m in faults.twilio.messages if m["To"] == "+12135550143"]) == 3
    assert not faults.mail_to("ops@reliefcheck.example")
