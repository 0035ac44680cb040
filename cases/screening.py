"""Partner bulk screening: a CSV of people in, one line of results per person out.

Used by `manage.py screen_csv` and by the admin upload (ScreeningRun → cases.tasks). Input
columns: query_id, first_name, middle_name, last_name, date_of_birth, case_number (the last three
may be empty; dates as YYYY-MM-DD or MM/DD/YYYY). Output columns: query_id, outcome,
case_numbers, score, explanation. A row that cannot be read gets the `error` outcome with the
reason, which names the field but never repeats its value; the other rows still run.
"""

import csv
import io
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TextIO

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from cases.importer.extract import RowError, date_parse
from cases.models import ScreeningRun
from cases.normalize import collapse_spaces, name_problem_reason

from .matching.engine import match_person
from .matching.types import MatchResult, PersonQuery

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("query_id", "first_name", "last_name", "date_of_birth")
OUTPUT_COLUMNS = ("query_id", "outcome", "case_numbers", "score", "explanation")
PROGRESS_EVERY = 500
SCREENING_TASK_TIME_LIMIT = 3600
# A run still RUNNING this long after it was created lost its worker and may be taken over.
SCREENING_STALE_AFTER = timedelta(seconds=SCREENING_TASK_TIME_LIMIT + 300)


class ScreeningFileError(ValueError):
    """The file as a whole cannot be screened (not CSV, missing columns)."""


@dataclass
class ScreeningCounts:
    rows: int = 0
    outcomes: Counter = field(default_factory=Counter)


def query_parse(row: dict[str, str | None]) -> PersonQuery:
    """A PersonQuery from one input row; RowError names the problem without the value."""
    first = collapse_spaces(row.get("first_name"))
    last = collapse_spaces(row.get("last_name"))
    if not first:
        raise RowError("first_name is empty")
    if not last:
        raise RowError("last_name is empty")
    middle = collapse_spaces(row.get("middle_name"))
    for label, value in (("first_name", first), ("middle_name", middle), ("last_name", last)):
        if value and (reason := name_problem_reason(label, value)):
            raise RowError(reason)
    dob = date_parse(collapse_spaces(row.get("date_of_birth")), label="date_of_birth")
    case_number = collapse_spaces(row.get("case_number"))
    if dob is None and not case_number:
        raise RowError("date_of_birth is empty and no case_number is given")
    if dob is not None and dob > timezone.localdate():
        raise RowError("date_of_birth is in the future")
    return PersonQuery(
        first_name=first,
        middle_name=middle,
        last_name=last,
        date_of_birth=dob,
        case_number=case_number,
    )


def _output_row(query_id: str, result: MatchResult) -> dict[str, str]:
    shown = [c for c in result.candidates if c.outcome == result.outcome]
    best = result.candidates[0] if result.candidates else None
    return {
        "query_id": query_id,
        "outcome": result.outcome,
        "case_numbers": ";".join(c.case_number for c in shown),
        "score": f"{best.score:.1f}" if best else "",
        "explanation": best.explanation["summary"] if best else "No case in the batches fits.",
    }


def _rows(source: TextIO) -> Iterator[dict[str, str | None]]:
    reader = csv.DictReader(source)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ScreeningFileError(f"missing column(s): {', '.join(missing)}")
    reader.fieldnames = header
    yield from reader


def screen_csv(
    *,
    source: TextIO,
    destination: TextIO,
    progress: Callable[[ScreeningCounts], None] | None = None,
) -> ScreeningCounts:
    """Screen every row of `source` and write the results to `destination`."""
    counts = ScreeningCounts()
    writer = csv.DictWriter(destination, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
    rows = _rows(source)
    writer.writeheader()
    for line, row in enumerate(rows, start=2):
        query_id = collapse_spaces(row.get("query_id")) or f"line {line}"
        try:
            query = query_parse(row)
        except RowError as error:
            counts.outcomes["error"] += 1
            writer.writerow(
                {"query_id": query_id, "outcome": "error", "explanation": f"line {line}: {error}"}
            )
        else:
            result = match_person(query)
            counts.outcomes[result.outcome] += 1
            writer.writerow(_output_row(query_id, result))
        counts.rows += 1
        if progress and counts.rows % PROGRESS_EVERY == 0:
            progress(counts)
    if progress:
        progress(counts)
    return counts


def screening_run_claim(*, screening_run_id: int) -> ScreeningRun | None:
    """Mark an uploaded run as taken; None when it is finished or another worker has it."""
    now = timezone.now()
    claimable = models.Q(status=ScreeningRun.Status.PENDING) | models.Q(
        status=ScreeningRun.Status.RUNNING, created_at__lt=now - SCREENING_STALE_AFTER
    )
    claimed = ScreeningRun.objects.filter(claimable, pk=screening_run_id).update(
        status=ScreeningRun.Status.RUNNING
    )
    return ScreeningRun.objects.get(pk=screening_run_id) if claimed else None


def _count_lines(run: ScreeningRun) -> int:
    with run.input_file.open("rb") as binary:
        return max(0, sum(1 for _ in binary) - 1)


def screening_run_execute(*, screening_run: ScreeningRun) -> ScreeningRun:
    """Screen a claimed run's uploaded file and store the results file on it."""
    run = screening_run
    run.rows_read = _count_lines(run)
    run.save(update_fields=["rows_read"])

    def progress(counts: ScreeningCounts) -> None:
        ScreeningRun.objects.filter(pk=run.pk).update(
            rows_processed=counts.rows,
            match_count=counts.outcomes["match"],
            possible_count=counts.outcomes["possible"],
            no_match_count=counts.outcomes["no_match"],
            error_count=counts.outcomes["error"],
        )

    output = io.StringIO()
    try:
        with run.input_file.open("rb") as binary:
            text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
            counts = screen_csv(source=text, destination=output, progress=progress)
    except (ScreeningFileError, UnicodeDecodeError, csv.Error) as error:
        reason = str(error) if isinstance(error, ScreeningFileError) else "not a UTF-8 CSV file"
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=ScreeningRun.Status.FAILED, error=reason, finished_at=timezone.now()
        )
        run.refresh_from_db()
        return run
    with transaction.atomic():
        run.refresh_from_db()
        name = f"screening-{run.pk}-results.csv"
        run.output_file.save(name, ContentFile(output.getvalue().encode("utf-8")), save=False)
        run.rows_processed = counts.rows
        run.match_count = counts.outcomes["match"]
        run.possible_count = counts.outcomes["possible"]
        run.no_match_count = counts.outcomes["no_match"]
        run.error_count = counts.outcomes["error"]
        run.status = ScreeningRun.Status.SUCCEEDED
        run.finished_at = timezone.now()
        run.save()
    logger.info("screening run %s finished: %s rows", run.pk, counts.rows)
    return run


def screening_run_fail(*, screening_run_id: int) -> None:
    ScreeningRun.objects.filter(pk=screening_run_id).update(
        status=ScreeningRun.Status.FAILED,
        error="The screening stopped on an unexpected error; upload the file again.",
        finished_at=timezone.now(),
    )


def screening_run_enqueue(*, screening_run: ScreeningRun) -> ScreeningRun:
    """Save an uploaded run as PENDING and start it once the upload is committed."""
    from cases.tasks import screen_csv_task

    screening_run.status = ScreeningRun.Status.PENDING
    with transaction.atomic():
        screening_run.save()
        transaction.on_commit(lambda: screen_csv_task.delay(screening_run.pk))
    return screening_run
