"""Import benchmark: generate a demo extract, import it into an empty database, print the figures.

    .venv/bin/python benchmarks/import_cases.py                  # 125,000 rows on SQLite
    .venv/bin/python benchmarks/import_cases.py --rows 1000000
    DATABASE_URL=postgres://USER:PASS@HOST/cases_bench .venv/bin/python benchmarks/import_cases.py

The file is written by the demo generator (cases.demo) to benchmarks/out/ and imported through
`cases_import_file`, the code path of `manage.py import_cases`; then the same file is imported
again (nothing changes, so nothing is written). Each run starts from an empty database: on
SQLite a fresh file under benchmarks/out/, on PostgreSQL the database named in DATABASE_URL with
"_import" appended, dropped and created again. That name must contain "bench", so no other
database is ever touched. Targets (issue #3): 125,000 rows in under 60 s on SQLite and under
30 s on PostgreSQL.
"""

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def _database_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base:
        path = OUT / "import_cases_bench.sqlite3"
        for stale in OUT.glob(f"{path.name}*"):
            stale.unlink()
        return f"sqlite:///{path}"
    parts = urlsplit(base)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit("DATABASE_URL must name a benchmark database (its name contains 'bench').")
    name = f"{name}_import"
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


class _ServerCpu:
    """CPU seconds used by local PostgreSQL backends serving one database, sampled from /proc.

    On a machine shared with other work, wall-clock time says little; the CPU of this process
    plus that of its database backends says what the import costs. Backends that come and go
    (the importer's writer connection) are sampled every 0.2 s.
    """

    def __init__(self, database: str):
        self.marker = f" {database} ".encode()
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _cpu(self) -> dict[int, float]:
        found = {}
        tick = os.sysconf("SC_CLK_TCK")
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if self.marker not in (entry / "cmdline").read_bytes().replace(b"\0", b" "):
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
        return found

    def _sample(self) -> None:
        while not self.stop.wait(0.2):
            self.seen.update(self._cpu())

    def __enter__(self) -> "_ServerCpu":
        self.before = self._cpu()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.seen.update(self._cpu())
        self.seconds = sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.seen.items())


def run(rows: int, seed: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    # DEBUG would keep every query in memory.
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    from cases.demo import demo_rows, demo_write_csv, generate_people
    from cases.importer.pipeline import cases_import_file
    from cases.models import Case, CaseAlias, CaseCharge, CaseSearchKey

    call_command("migrate", verbosity=0)
    path = OUT / f"cases_{rows}_seed{seed}.csv"
    started = time.perf_counter()
    with path.open("w", encoding="utf-8", newline="") as handle:
        demo_write_csv(demo_rows(generate_people(case_count=rows, seed=seed)), handle)
    generated = time.perf_counter() - started
    rss_before = _peak_rss_mb()

    vendor = connection.vendor
    database = str(connection.settings_dict["NAME"])

    def timed_import(label: str):
        with (
            tqdm(total=rows, unit="rows", desc=label, file=sys.stderr, mininterval=2) as bar,
            _ServerCpu(database) as server,
        ):
            began, cpu = time.perf_counter(), time.process_time()
            result = cases_import_file(path=path, progress=lambda n: bar.update(n - bar.n))
            seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        if vendor == "postgresql" and server.seconds:
            cpu_note = f"CPU: this process {cpu:.1f} s, database server {server.seconds:.1f} s"
        else:
            cpu_note = f"CPU: this process {cpu:.1f} s"
        return result, seconds, cpu_note

    first, first_seconds, first_cpu = timed_import("import")
    peak = _peak_rss_mb()
    again, again_seconds, again_cpu = timed_import("re-import")

    # The targets are for the 125,000 cases of both LA batches.
    target = (30 if vendor == "postgresql" else 60) if rows == 125_000 else None
    target_note = f"target < {target} s; " if target else ""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"== import_cases benchmark: {rows:,} rows on {vendor} ({os.cpu_count()} CPUs) ==")
    print(f"load average at the end: {load} (other work on the machine slows every figure)")
    print(f"generate file: {generated:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")
    print(
        f"import:        {first_seconds:.1f} s, {rows / first_seconds:,.0f} rows/s "
        f"({target_note}{first_cpu}): "
        f"read {first.rows_read:,}, created {first.created_count:,}, "
        f"rejected {first.rejected_count:,}"
    )
    print(
        f"re-import:     {again_seconds:.1f} s, {rows / again_seconds:,.0f} rows/s "
        f"({again_cpu}): "
        f"unchanged {again.unchanged_count:,}, created {again.created_count:,}, "
        f"updated {again.updated_count:,}"
    )
    print(
        f"stored:        {Case.objects.count():,} cases, {CaseAlias.objects.count():,} aliases, "
        f"{CaseCharge.objects.count():,} charges, {CaseSearchKey.objects.count():,} search keys"
    )
    print(
        f"peak memory:   {peak:.0f} MB RSS for the whole process "
        f"({rss_before:.0f} MB before the first import)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=125_000)
    parser.add_argument("--seed", type=int, default=20200213)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        run(args.rows, args.seed)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    # Settings are read once per process: the benchmark database is chosen out here.
    subprocess.run(  # noqa: S603 (this interpreter, this script)
        [sys.executable, __file__, "--in-process", f"--rows={args.rows}", f"--seed={args.seed}"],
        env={**os.environ, "DATABASE_URL": _database_url()},
        check=True,
    )


if __name__ == "__main__":
    main()
