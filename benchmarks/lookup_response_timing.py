"""Timing of the public lookup form's response: found vs not found, eager and with a broker.

    .venv/bin/python benchmarks/lookup_response_timing.py            # copy of make run's database
    .venv/bin/python benchmarks/lookup_response_timing.py --runs 40 --database other.sqlite3

In the embedded set-up the check runs in-process inside the POST (eager Celery), so the time
taken could tell a person whether someone else's details are in the batches: the view pads those
responses to LOOKUP_RESPONSE_MIN_SECONDS (screener/views.py). With a broker the POST only stores
the lookup and enqueues its check, so its time does not depend on what matching finds, and the
floor is not applied. This prints, for people in the cases ("found") and people who are not:
the eager times without the floor (what the floor must cover, with room), with it (what a
visitor sees), and the broker times (an in-memory broker here: the same code path as Redis up to
the publish, with no worker, so nothing runs the check inside the request).
It works on a copy of db.sqlite3 (run `make demo` first), so the dev database is not changed.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--floor", type=float, default=1.5)
    parser.add_argument("--database", type=Path, default=ROOT / "db.sqlite3", help="SQLite file")
    args = parser.parse_args()

    source = args.database
    if not source.exists():
        print("db.sqlite3 is missing: run `make demo` first.", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="reliefcheck-timing-"))
    shutil.copy(source, workdir / "db.sqlite3")
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", workdir / f"db.sqlite3{suffix}")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["SMS_BACKEND"] = "screener.sms.LocmemSMSBackend"
    os.environ["RATELIMIT_ENABLE"] = "false"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from cases.models import Case
    from screener.models import Lookup

    settings.ALLOWED_HOSTS = ["testserver"]
    rng = random.Random(7)
    # Other people for each floor: the same person asked about again from another contact would
    # be held for staff (screener.access.abuse) instead of checked.
    people = list(
        Case.objects.order_by("?").values("first_name", "last_name", "date_of_birth")[
            : 3 * args.runs
        ]
    )
    if len(people) < 3 * args.runs:
        print("Not enough demo cases: run `make demo` first.", file=sys.stderr)
        return 1

    def form(first: str, last: str, born, n: int) -> dict[str, str]:
        return {
            "first_name": first,
            "last_name": last,
            "date_of_birth_month": str(born.month),
            "date_of_birth_day": str(born.day),
            "date_of_birth_year": str(born.year),
            "email": f"timing{n}@example.org",
            "language": "en",
            "is_self": "yes",
            "consent_to_contact": "on",
        }

    def timed(data: dict) -> float:
        started = time.perf_counter()
        response = Client().post("/check/", data)
        elapsed = time.perf_counter() - started
        assert response.status_code == 303, response.status_code
        return elapsed

    from config.celery import app

    results: dict[tuple[str, float, str], list[float]] = {}
    statuses: dict[tuple[str, float, str], set[str]] = {}
    n = 0
    # Each round asks about other people: the same person asked from a new contact is held.
    rounds = (("eager", 0.0), ("eager", args.floor), ("broker", args.floor))
    for round_, (mode, floor) in enumerate(rounds):
        settings.LOOKUP_RESPONSE_MIN_SECONDS = floor
        app.conf.task_always_eager = mode == "eager"
        for person in people[round_ * args.runs : (round_ + 1) * args.runs]:
            n += 1
            found = form(
                person["first_name"].title(),
                person["last_name"].title(),
                person["date_of_birth"],
                n,
            )
            n += 1
            nobody = form(
                "Zenaida", f"Quintanar{rng.randint(1000, 9999)}", person["date_of_birth"], n
            )
            for kind, data in (("found", found), ("not found", nobody)):
                results.setdefault((mode, floor, kind), []).append(timed(data))
                status = Lookup.objects.order_by("-id").values_list("status", flat=True).first()
                statuses.setdefault((mode, floor, kind), set()).add(status)

    print(
        f"lookup POST timings over {args.runs} found + {args.runs} not-found submissions "
        f"({Case.objects.count()} cases)"
    )
    print(
        f"{'mode':>7} {'floor s':>8} {'person':>10} {'n':>4} {'median s':>9} {'p95 s':>7} "
        f"{'max s':>7}  statuses after the POST"
    )
    for (mode, floor, kind), values in results.items():
        values.sort()
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        applied = floor if mode == "eager" else 0.0
        print(
            f"{mode:>7} {applied:>8.2f} {kind:>10} {len(values):>4} "
            f"{statistics.median(values):>9.3f} {p95:>7.3f} {values[-1]:>7.3f}  "
            + ", ".join(sorted(statuses[(mode, floor, kind)]))
        )
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
