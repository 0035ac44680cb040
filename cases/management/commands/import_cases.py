"""manage.py import_cases FILE [--batch SLUG] [--dry-run] [--map source=target ...] [--user NAME]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cases.importer.extract import HeaderError, column_map_parse
from cases.importer.pipeline import cases_import_file
from cases.models import ImportRun

# Rejections printed on the console; the import run in the admin keeps the full list.
REJECTIONS_SHOWN = 200


class Command(BaseCommand):
    help = "Import a dismissal-batch CSV extract into the case database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV extract with a header row")
        parser.add_argument("--batch", help="batch slug for rows without a batch value")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count, write no cases"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="SOURCE=TARGET",
            help="read the file's SOURCE column as the documented column TARGET (repeatable)",
        )
        parser.add_argument(
            "--user", help="username of the staff member running the import (recorded on the run)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file: Path, batch, dry_run, map, user, no_progress, **options):
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        started_by = None
        if user:
            try:
                started_by = get_user_model().objects.get_by_natural_key(user)
            except ObjectDoesNotExist:
                raise CommandError(f"no user named {user!r}") from None
        try:
            column_map = column_map_parse(map)
        except HeaderError as error:
            raise CommandError(str(error)) from None
        total = _count_lines(file) - 1
        with tqdm(
            total=max(total, 0),
            unit="rows",
            disable=no_progress or options["verbosity"] < 1,
        ) as bar:
            run = cases_import_file(
                path=file,
                default_batch=batch,
                column_map=column_map,
                dry_run=dry_run,
                started_by=started_by,
                progress=lambda done: bar.update(done - bar.n),
            )
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(f"import run {run.pk} failed: {run.error}")
        for warning in run.warnings:
            self.stderr.write(f"warning: {warning}")
        for rejected in run.rejected_rows[:REJECTIONS_SHOWN]:
            self.stderr.write(f"line {rejected['line']}: {rejected['reason']}")
        if run.rejected_count > REJECTIONS_SHOWN:
            self.stderr.write(
                f"... and {run.rejected_count - REJECTIONS_SHOWN} more rejected rows "
                f"(see import run {run.pk} in the admin)"
            )
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}import run {run.pk}: rows read {run.rows_read}, created "
            f"{run.created_count}, updated {run.updated_count}, unchanged {run.unchanged_count}, "
            f"rejected {run.rejected_count}"
        )
        if run.rejected_count:
            raise CommandError(f"{run.rejected_count} rows were rejected", returncode=1)


def _count_lines(path: Path) -> int:
    with path.open("rb") as binary:
        return sum(block.count(b"\n") for block in iter(lambda: binary.read(1 << 20), b""))
