"""Screen a partner's CSV of people against the dismissal batches.

python manage.py screen_csv --input QUERIES.csv --output RESULTS.csv
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.screening import ScreeningCounts, ScreeningFileError, screen_csv


class Command(BaseCommand):
    help = "Screen a CSV of people (query_id, names, date_of_birth, case_number) for dismissals."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path, help="queries CSV")
        parser.add_argument("--output", required=True, type=Path, help="results CSV to write")

    def handle(self, *args, **options):
        input, output = Path(options["input"]), Path(options["output"])
        if not input.is_file():
            raise CommandError(f"{input} is not a file")

        def progress(counts: ScreeningCounts) -> None:
            self.stderr.write(f"{counts.rows:,} rows screened")

        try:
            with (
                input.open(encoding="utf-8-sig", newline="") as source,
                output.open("w", encoding="utf-8", newline="") as destination,
            ):
                counts = screen_csv(source=source, destination=destination, progress=progress)
        except ScreeningFileError as error:
            output.unlink(missing_ok=True)
            raise CommandError(f"{input}: {error}") from None
        except UnicodeDecodeError:
            output.unlink(missing_ok=True)
            raise CommandError(f"{input} is not a UTF-8 CSV file") from None
        summary = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.outcomes.items()))
        self.stdout.write(self.style.SUCCESS(f"{counts.rows:,} rows: {summary}. Wrote {output}."))
