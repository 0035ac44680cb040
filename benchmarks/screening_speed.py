"""Partner screening's speed beside a hand-built matcher's, and online lookup latency, in one run.

    .venv/bin/python benchmarks/screening_speed.py                  # 125,000 cases, SQLite
    DATABASE_URL=postgres://USER:PASS@HOST/x_bench .venv/bin/python benchmarks/screening_speed.py

Uses the benchmark database benchmarks/matching_eval.py loads (run it first for the size and
generator asked) and the same labelled queries. In one process, one after the other:
1. `screen_csv` on the queries written as a partner's CSV (SCREENING_WORKERS processes);
2. the hand-built matcher (benchmarks/baseline_matcher.py): its index built from the case table,
   then every query, timed together;
3. `match_person` query by query, as the website runs a lookup (p50, p95).
It prints the load average before and after: other work on the machine slows all three, so
compare figures from one run, and run again when the load was high.
"""

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.matching_eval import (  # noqa: E402
    HARDER_QUERY_SEED,
    HELD_OUT_QUERY_SEED,
    _database_url,
    _people,
    _percentile,
)


def _queries_csv(items) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["query_id", "first_name", "middle_name", "last_name", "date_of_birth", "case_number"]
    )
    for item in items:
        q = item.query
        writer.writerow(
            [item.query_id, q.first_name, q.middle_name, q.last_name,
             q.date_of_birth.isoformat() if q.date_of_birth else "", q.case_number]
        )  # fmt: skip
    return out.getvalue()


def run(cases: int, queries: int, seed: int, query_seed: int, generator: str, online: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from benchmarks.baseline_matcher import BaselineMatcher
    from benchmarks.matching import harder
    from benchmarks.matching.evaluation import Figures, build_queries
    from cases.demo import generate_people
    from cases.matching.engine import match_person
    from cases.models import Case
    from cases.screening import screen_csv

    loaded = Case.objects.count()
    if loaded < cases * 0.99:
        sys.exit(f"{loaded:,} cases loaded: run benchmarks/matching_eval.py --cases {cases} first")
    people = []
    for person in _people(generator)(case_count=cases, seed=seed):
        person.cases = [{"case_number": c["case_number"]} for c in person.cases]
        people.append(person)
    strangers = list(generate_people(case_count=max(queries, 1000), seed=seed + 1_000_003))
    build = harder.build_queries if generator == "harder" else build_queries
    items = build(people, count=queries, seed=query_seed, strangers=strangers)
    source = _queries_csv(items)
    vendor = connection.vendor
    print(
        f"== {generator} generator, {loaded:,} cases on {vendor}, {len(items):,} queries; "
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ==",
        flush=True,
    )

    started = time.perf_counter()
    counts = screen_csv(source=io.StringIO(source), destination=io.StringIO())
    screening = time.perf_counter() - started
    print(
        f"screen_csv ({settings.SCREENING_WORKERS} processes): {screening:.1f} s, "
        f"{len(items) / screening:.0f} lookups/s; {dict(counts.outcomes)}",
        flush=True,
    )

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, case_number, first_name, middle_name, last_name, date_of_birth "
            "FROM cases_case WHERE NOT placeholder_name"
        )
        rows = cursor.fetchall()
    if vendor == "sqlite":
        from datetime import date

        rows = [
            (*r[:5], r[5] if isinstance(r[5], date) else date.fromisoformat(r[5])) for r in rows
        ]
    matcher = BaselineMatcher(rows)
    indexed = time.perf_counter() - started
    figures = Figures()
    for item in items:
        figures.add(item, matcher.match(item.query))
    baseline = time.perf_counter() - started
    s = figures.summary()
    print(
        f"hand-built matcher: {baseline:.1f} s ({indexed:.1f} s building its index), "
        f"{len(items) / baseline:.0f} lookups/s; precision of match "
        f"{100 * s['match_precision']:.2f}%, into match {100 * s['recall_match']:.2f}%, "
        f"match + possible {100 * s['recall_match_or_possible']:.2f}%, negatives to review "
        f"{100 * s['negatives_to_review']:.2f}%",
        flush=True,
    )
    print(
        f"screen_csv takes {screening / baseline:.2f}x the hand-built matcher's time "
        f"(target: at most 2x)",
        flush=True,
    )

    latencies = []
    for item in items[:online]:
        began = time.perf_counter()
        match_person(item.query)
        latencies.append(time.perf_counter() - began)
    print(
        f"online lookups ({vendor}, {loaded:,} cases, {len(latencies):,} lookups): "
        f"p50 {1000 * statistics.median(latencies):.1f} ms, "
        f"p95 {1000 * _percentile(latencies, 0.95):.1f} ms; load average after: "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=125_000)
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20200213)
    parser.add_argument("--query-seed", type=int, default=0)
    parser.add_argument("--generator", choices=("demo", "harder"), default="demo")
    parser.add_argument("--online", type=int, default=2000, help="online lookups to time")
    args = parser.parse_args()
    query_seed = args.query_seed or (
        HARDER_QUERY_SEED if args.generator == "harder" else HELD_OUT_QUERY_SEED
    )
    os.environ["DATABASE_URL"] = _database_url(args.cases, args.generator)
    run(args.cases, args.queries, args.seed, query_seed, args.generator, args.online)


if __name__ == "__main__":
    main()
