"""python manage.py load_demo_cases --count N: the demo set for `make run`, loaded once."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.demo import demo_rows, demo_write_csv, generate_people
from cases.importer.pipeline import cases_import_file
from cases.models import Case, ImportRun

DEMO_SEED = 20200213


class Command(BaseCommand):
    help = "Load fictitious demo cases through the real importer, unless cases are already loaded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=5000, help="number of demo cases")

    def handle(self, *args, count: int, **options):
        # Any case at all means demo data was loaded before or real data is here: fictitious
        # people must never be mixed into a real case database.
        if Case.objects.exists():
            self.stdout.write("Cases are already loaded; no demo cases added.")
            return
        file_name = f"demo-cases-{count}-seed-{DEMO_SEED}.csv"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / file_name
            with path.open("w", encoding="utf-8", newline="") as handle:
                demo_write_csv(demo_rows(generate_people(case_count=count, seed=DEMO_SEED)), handle)
            run = cases_import_file(path=path)
        if run.status != ImportRun.Status.SUCCEEDED:
            raise CommandError(f"demo import run {run.pk} ended {run.status}: {run.error}")
        self.stdout.write(f"Loaded {run.created_count} demo cases (import run {run.pk}).")
