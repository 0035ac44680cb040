"""python manage.py generate_demo_cases --count N --seed S [--output FILE]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from cases.demo import demo_rows, demo_write_csv, generate_people


class Command(BaseCommand):
    help = "Write a fictitious, deterministic LA-like dismissal extract (CSV) for demos and tests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=5000, help="number of cases (rows)")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same file")
        parser.add_argument("--output", type=Path, help="CSV file to write (default: stdout)")

    def handle(self, *args, count: int, seed: int, output: Path | None, **options):
        rows = demo_rows(generate_people(case_count=count, seed=seed))
        if output is None:
            demo_write_csv(rows, sys.stdout)
            return
        with output.open("w", encoding="utf-8", newline="") as handle:
            written = demo_write_csv(rows, handle)
        self.stderr.write(f"wrote {written} demo cases to {output}")
