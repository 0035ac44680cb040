"""Launch-day load test: the production-like stack on loopback, driven through the real form.

    .venv/bin/python benchmarks/load_test.py \\
        --database-url postgres://relief:relief@127.0.0.1:5432/rc_i14_bench --rate 50

Starts, all on 127.0.0.1: a throwaway redis-server, an SMTP sink and a Twilio stand-in (the
providers), gunicorn with gunicorn.conf.py and the production settings, one Celery worker with 2
processes, and beat. The database (its name must contain "bench"; it is created when missing)
gets 125,000 generated cases through the real importer (`load_demo_cases`), once; lookups of
earlier runs are deleted. Locust (headless, benchmarks/locustfile.py) then sends new visitors
at a fixed arrival rate for the duration: GET the form, POST it with CSRF, a fresh contact and a
realistic name (a share of them people in the cases), follow the redirect once. Afterwards it
waits for the queue to drain and checks that every lookup is final (or held for staff) with
exactly one result message (none while held), sent, and that the providers received what the
outbox says was sent.

Prints page latency (p50/p95/p99 per request and overall), the submissions per second reached
at full load (after the users' ramp-up, for --duration seconds), errors, the time from
submission to the code message and to the result message (p50/p95), and PASS or FAIL; exits 1
on FAIL. Every loop is bounded: Locust stops after the ramp-up, --duration and a 5 s tail, the
drain after --drain-timeout.
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.stack import (  # noqa: E402
    BIN,
    LOOPBACK,
    RedisServer,
    SmtpSink,
    Stack,
    TwilioStandIn,
    http_status,
    wait_until,
)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def full_load_count(created: Iterable[datetime], *, ramp: float, duration: float):
    """(submissions stored, seconds) in the full-load window: from `ramp` seconds after the first
    submission, for `duration` seconds. A submission served late (a backlog) falls outside it."""
    times = list(created)
    if not times:
        return 0, float(duration)
    start = times[0] + timedelta(seconds=ramp)
    end = start + timedelta(seconds=duration)
    return sum(1 for at in times if start <= at < end), float(duration)


def database_prepare(database_url: str, env: dict[str, str], cases: int, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    subprocess.run(
        [*manage, "load_demo_cases", "--count", str(cases)], cwd=ROOT, env=env, check=True
    )
    print(f"cases ready ({time.monotonic() - started:.0f} s)", flush=True)


def locust_stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rate", type=float, default=50.0, help="new visitors per second")
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--cases", type=int, default=125_000)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--drain-timeout", type=int, default=900)
    parser.add_argument("--per-user-rate", type=float, default=0.5)
    parser.add_argument("--logdir", type=Path, default=None)
    parser.add_argument(
        "--worker-nice", type=int, default=10, help="the worker's nice level, as in compose"
    )
    args = parser.parse_args()

    parts = urlsplit(args.database_url)
    if "bench" not in parts.path:
        parser.error("the database name must contain 'bench' (it is created and emptied)")
    if parts.hostname not in LOOPBACK_HOSTS:
        parser.error("the load test runs on loopback only: the database must be on 127.0.0.1")

    logdir = args.logdir or Path(tempfile.mkdtemp(prefix="reliefcheck-load-"))
    logdir.mkdir(parents=True, exist_ok=True)
    run = uuid.uuid4().hex[:8]
    redis = RedisServer(logdir)
    smtp = SmtpSink()
    twilio = TwilioStandIn()
    stack = Stack(
        database_url=args.database_url,
        redis_url=redis.url(0),
        logdir=logdir,
        smtp_url=smtp.url(),
        extra_env=twilio.settings_env(),
    )
    env = stack.env()
    try:
        redis.start()
        smtp.start()
        twilio.start()
        database_prepare(args.database_url, env, args.cases, args.fresh)

        os.environ.clear()
        os.environ.update(env)
        import django

        django.setup()
        from django.db.models import Count, F, Q

        from cases.models import Case
        from screener.models import Lookup, Notification

        deleted, _ = Lookup.objects.all().delete()
        if deleted:
            print(f"removed {deleted} rows of earlier runs", flush=True)
        case_count = Case.objects.count()
        sample = list(
            Case.objects.order_by("?").values_list("first_name", "last_name", "date_of_birth")[
                :3000
            ]
        )
        people = logdir / "people.json"
        people.write_text(json.dumps([[f, last, born.isoformat()] for f, last, born in sample]))

        stack.collectstatic()
        stack.start_web()
        stack.start_worker(concurrency=2, nice=args.worker_nice)
        stack.start_beat()
        wait_until(
            lambda: http_status(f"{stack.web_url}/healthz") == 200, timeout=60, what="health"
        )
        gunicorn = {k: v for k, v in env.items() if k.startswith("GUNICORN_")}
        users = max(1, math.ceil(args.rate / args.per_user_rate))
        # Locust starts the users over `ramp` seconds (spread, so they do not all arrive in the
        # same instant every pacing interval), then runs all of them for --duration: the rate
        # reached is counted over that full-load window only.
        spawn_rate = max(1, users // 5)
        ramp = math.ceil(users / spawn_rate)
        # The load goes on a little past the window, so its last second is at full load too:
        # without it, the visits Locust cuts off when it stops fell inside the count.
        tail = 5
        load_before = os.getloadavg()
        print(
            f"{case_count:,} cases; {args.rate:g} visitors/s for {args.duration} s "
            f"({users} users x {args.per_user_rate:g}/s); gunicorn.conf.py {gunicorn or ''}; "
            f"worker nice {args.worker_nice}; "
            f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}",
            flush=True,
        )
        prefix = logdir / "locust"
        started = time.monotonic()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--host",
                stack.web_url,
                "-u",
                str(users),
                "-r",
                str(spawn_rate),
                "-t",
                f"{ramp + args.duration + tail}s",
                "--stop-timeout",
                "15",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "LOADTEST_PEOPLE": str(people),
                "LOADTEST_RUN": run,
                "LOADTEST_PER_USER_RATE": str(args.per_user_rate),
            },
            stdout=open(logdir / "locust.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            timeout=ramp + args.duration + tail + 120,
            check=False,
        )
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()

        drain_started = time.monotonic()
        open_statuses = (Lookup.Status.RECEIVED, Lookup.Status.CHECKING)

        def drained() -> bool:
            return not (
                Lookup.objects.filter(status__in=open_statuses).exists()
                or Notification.objects.filter(status=Notification.Status.QUEUED).exists()
            )

        try:
            wait_until(drained, timeout=args.drain_timeout, what="queue drain", interval=1.0)
            drain = f"{time.monotonic() - drain_started:.0f} s after the load ended"
        except TimeoutError:
            drain = f"NOT drained within {args.drain_timeout} s"

        stats = locust_stats(prefix)
        rows = {row["Name"]: row for row in stats}
        # Counted by the server (its access log): Locust leaves out requests it was still
        # timing when the run stopped.
        submitted = stack.log("web").count('"POST /check/ HTTP/1.1" 303')
        locust_posts = int(rows.get("POST /check/", {}).get("Request Count", 0))
        failures = sum(int(row["Failure Count"]) for row in stats if row["Name"] != "Aggregated")

        print(f"\npage latency, ms ({LOOPBACK}, load client on the same machine)")
        header = ("request", "count", "p50", "p95", "p99", "max", "fail")
        print("{:<20} {:>7} {:>6} {:>6} {:>6} {:>7} {:>5}".format(*header))
        for row in stats:
            name = "all pages" if row["Name"] == "Aggregated" else row["Name"]
            print(
                f"{name:<20} {int(row['Request Count']):>7} {row['50%']:>6} {row['95%']:>6} "
                f"{row['99%']:>6} {float(row['Max Response Time']):>7.0f} "
                f"{int(row['Failure Count']):>5}"
            )

        result_kinds = [
            Notification.Kind.RESULT_MATCH,
            Notification.Kind.RESULT_POSSIBLE,
            Notification.Kind.RESULT_NO_MATCH,
        ]
        lookups = Lookup.objects.annotate(
            results=Count("notifications", filter=Q(notifications__kind__in=result_kinds)),
            results_sent=Count(
                "notifications",
                filter=Q(
                    notifications__kind__in=result_kinds,
                    notifications__status=Notification.Status.SENT,
                ),
            ),
        )
        total = lookups.count()
        by_status = dict(Lookup.objects.order_by().values_list("status").annotate(n=Count("pk")))
        # Where a lookup rests when the load is over. HELD is one of them: the same person was
        # asked about from another contact (a visitor drawn twice from the case sample), so it
        # waits in the staff's queue and gets no answer until staff release it.
        final_statuses = (
            Lookup.Status.MATCHED,
            Lookup.Status.NEEDS_REVIEW,
            Lookup.Status.NOT_FOUND,
            Lookup.Status.HELD,
        )
        final = sum(by_status.get(status, 0) for status in final_statuses)
        held = by_status.get(Lookup.Status.HELD, 0)
        one_result = lookups.filter(results=1, results_sent=1).count()
        held_answered = lookups.filter(status=Lookup.Status.HELD, results__gt=0).count()
        to_result = [
            (sent - created).total_seconds()
            for created, sent in Notification.objects.filter(
                kind__in=result_kinds, status=Notification.Status.SENT
            )
            .annotate(created=F("lookup__created_at"))
            .values_list("created", "sent_at")
        ]
        # The one-time code, which the person waits for on the page.
        to_code = [
            (sent - created).total_seconds()
            for created, sent in Notification.objects.filter(
                kind=Notification.Kind.CODE, status=Notification.Status.SENT
            ).values_list("created_at", "sent_at")
        ]
        sent = dict(
            Notification.objects.filter(status=Notification.Status.SENT)
            .values_list("channel")
            .annotate(n=Count("pk"))
        )
        failed_messages = Notification.objects.filter(status=Notification.Status.FAILED).count()
        received_email = sum(len(m.recipients) for m in smtp.messages)
        received_sms = len(twilio.messages)

        full_load, window = full_load_count(
            Lookup.objects.order_by("created_at").values_list("created_at", flat=True),
            ramp=ramp,
            duration=args.duration,
        )
        print(
            f"\nsubmissions: {submitted:,} in {elapsed:.1f} s ({ramp} s of ramp-up, {tail} s "
            "past the window); "
            f"at full load {full_load:,} in {window:.0f} s = {full_load / window:.1f}/s "
            f"(target {args.rate:g}/s; {locust_posts:,} timed by Locust); errors: {failures}"
        )
        print(
            f"load average after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; "
            f"queue drained {drain}"
        )
        print(
            f"lookups: {total:,}; final {final:,} ("
            + ", ".join(f"{status} {n:,}" for status, n in sorted(by_status.items()))
            + f"); exactly one result message, sent: {one_result:,}; "
            f"held without an answer: {held - held_answered:,} of {held:,}"
        )
        print(
            f"messages sent: email {sent.get('email', 0):,}, sms {sent.get('sms', 0):,}; "
            f"failed {failed_messages}; providers received email {received_email:,}, "
            f"sms {received_sms:,}"
        )
        print(
            f"time to code message, s: p50 {percentile(to_code, 0.5):.1f}, "
            f"p95 {percentile(to_code, 0.95):.1f}, max {max(to_code, default=0):.1f}"
        )
        print(
            f"time to result message, s: p50 {percentile(to_result, 0.5):.1f}, "
            f"p95 {percentile(to_result, 0.95):.1f}, max {max(to_result, default=0):.1f}"
        )

        checks = {
            "no errors": failures == 0,
            "every submission stored": total == submitted,
            "every lookup final": final == total,
            "one result message each (none while held)": one_result == total - held
            and held_answered == 0,
            "providers got what was sent": received_email == sent.get("email", 0)
            and received_sms == sent.get("sms", 0),
        }
        for name, ok in checks.items():
            if not ok:
                print(f"FAILED: {name}")
        verdict = all(checks.values())
        print("PASS" if verdict else "FAIL", f"(logs in {logdir})")
        return 0 if verdict else 1
    finally:
        stack.stop()
        twilio.stop()
        smtp.stop()
        redis.stop()


if __name__ == "__main__":
    sys.exit(main())
