"""python manage.py eligibility_check FILE.json (or - for standard input)

Applies the Los Angeles County District Attorney's Proposition 64 criteria to one person's
record, for legal-aid partners and tests. The file format is in README.md ("Eligibility
check"). Output on standard output: {"determinations": [{"id", "outcome", "reason"}]}, one per
Los Angeles conviction under HS 11357-11360. Bad input: exit code 2 and a message naming the
field. Nothing is stored, counted or logged.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from eligibility.records import RecordError, record_from_input
from eligibility.rules import record_decide

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Estimate Proposition 64 relief for each Los Angeles cannabis conviction in FILE.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the record as JSON (README: Eligibility check), or -")

    def handle(self, *args, file: str, **options) -> None:
        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    data = json.load(handle)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}", returncode=BAD_INPUT) from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not JSON: {exc}", returncode=BAD_INPUT) from exc
        try:
            record = record_from_input(data)
        except RecordError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        # The reasons are read by partners' staff in English, whatever the settings say.
        with translation.override("en"):
            determinations = [
                {"id": d.conviction_id, "outcome": str(d.outcome), "reason": str(d.reason)}
                for d in record_decide(record)
            ]
        self.stdout.write(json.dumps({"determinations": determinations}, indent=2))
