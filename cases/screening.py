"""Partner bulk screening: a CSV of people in, one line of results per person out.

Used by `manage.py screen_csv` and by the admin upload (ScreeningRun → cases.tasks). Input
columns: query_id, first_name, middle_name, last_name, date_of_birth, case_number (the last three
may be empty; dates as YYYY-MM-DD or MM/DD/YYYY). Output columns: query_id, outcome,
case_numbers, score, explanation. A row that cannot be read gets the `error` outcome with the
reason, which names the field but never repeats its value; the other rows still run.

What goes back to a partner: the case numbers of a `match` only. A `possible` row says that
staff must review it and how many cases they will look at, never which: a possible candidate may
be a namesake's sealed case. Every cell a spreadsheet could read as a formula (starting with =,
+, -, @, a tab or a carriage return) is written with a leading apostrophe, here and in the admin
download (`results_for_download`), which applies both rules to files stored before them.

The lookups run in batches (matching.engine.match_people) spread over SCREENING_WORKERS
processes, when the database can be shared with them (not an in-memory SQLite database, not
inside a transaction, not from a daemonic process).
"""

import csv
import gc
import io
import logging
import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TextIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, connections, models, transaction
from django.utils import timezone

from cases.importer.extract import RowError, date_parse
from cases.models import ScreeningRun
from cases.normalize import collapse_spaces, name_problem_reason

from .matching.engine import key_counts_preload, match_people
from .matching.types import MatchResult, PersonQuery

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("query_id", "first_name", "last_name", "date_of_birth")
OUTPUT_COLUMNS = ("query_id", "outcome", "case_numbers", "score", "explanation")
PROGRESS_EVERY = 500
# Queries a worker process takes at a time: small enough to share the work evenly.
CHUNK_SIZE = 100
# From this many lookups on, every key's count is read in one pass rather than key by key.
PRELOAD_MIN_ROWS = 1000
NO_CASE = "No case in the batches fits."
NEEDS_REVIEW = (
    "Needs review: {count} possible case(s) for staff to check; none is named until staff decide."
)
# A cell starting with one of these is a formula to a spreadsheet (OWASP: CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


def csv_safe(value: str) -> str:
    """The value as a spreadsheet will show it and never run it: a leading apostrophe before
    what could start a formula."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _safe_row(row: dict[str, str]) -> dict[str, str]:
    """A results row as it may go to a partner: no case numbers on a `possible` row (their
    count instead), and no cell a spreadsheet could run."""
    if row.get("outcome") == "possible" and row.get("case_numbers"):
        count = len([n for n in row["case_numbers"].split(";") if n])
        row = {**row, "case_numbers": "", "explanation": NEEDS_REVIEW.format(count=count)}
    return {key: csv_safe(value or "") for key, value in row.items()}


def _output_row(query_id: str, result: MatchResult) -> dict[str, str]:
    shown = [c for c in result.candidates if c.outcome == result.outcome]
    best = result.candidates[0] if result.candidates else None
    if result.outcome == "possible":
        explanation = NEEDS_REVIEW.format(count=len(shown))
    elif shown:
        explanation = shown[0].explanation["summary"]
    else:
        explanation = NO_CASE
    return {
        "query_id": query_id,
        "outcome": result.outcome,
        "case_numbers": ";".join(c.case_number for c in shown) if result.outcome == "match" else "",
        "score": f"{best.score:.1f}" if best else "",
        "explanation": explanation,
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
    workers: int | None = None,
) -> ScreeningCounts:
    """Screen every row of `source` and write the results to `destination`, in the same order."""
    counts = ScreeningCounts()
    writer = csv.DictWriter(destination, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
    parsed: list[tuple[str, PersonQuery | str]] = []
    for line, row in enumerate(_rows(source), start=2):
        query_id = collapse_spaces(row.get("query_id")) or f"line {line}"
        try:
            parsed.append((query_id, query_parse(row)))
        except RowError as error:
            parsed.append((query_id, f"line {line}: {error}"))
    writer.writeheader()
    queries = [item for _, item in parsed if isinstance(item, PersonQuery)]
    results = _screen(queries, settings.SCREENING_WORKERS if workers is None else workers)
    for query_id, item in parsed:
        if isinstance(item, PersonQuery):
            result = next(results)
            counts.outcomes[result.outcome] += 1
            out = _output_row(query_id, result)
        else:
            counts.outcomes["error"] += 1
            out = {"query_id": query_id, "outcome": "error", "explanation": item}
        writer.writerow(_safe_row(out))
        counts.rows += 1
        if progress and counts.rows % PROGRESS_EVERY == 0:
            progress(counts)
    if progress:
        progress(counts)
    return counts


def _screen(queries: Sequence[PersonQuery], workers: int) -> Iterator[MatchResult]:
    """The queries' results in order, from `workers` processes when they can share the
    database (see the module's docstring), else from this one."""
    chunks = [queries[i : i + CHUNK_SIZE] for i in range(0, len(queries), CHUNK_SIZE)]
    if len(queries) >= PRELOAD_MIN_ROWS:
        # Name frequencies for the whole file, read once (and inherited by the workers).
        key_counts_preload()
    if workers > 1 and len(chunks) > 1 and _can_share_database():
        # Forked children must open connections of their own.
        connections.close_all()
        # Out of the collector's reach, the parent's objects stay shared with the children:
        # otherwise each collection in a child touches them all and copies their pages.
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for results in pool.imap(_screen_chunk, chunks):
                    yield from results
        finally:
            gc.unfreeze()
        return
    for chunk in chunks:
        yield from match_people(chunk)


def _screen_chunk(chunk: Sequence[PersonQuery]) -> list[MatchResult]:
    return match_people(chunk)


def _can_share_database() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if multiprocessing.current_process().daemon or connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def results_for_download(stored: bytes) -> bytes:
    """A stored results file as it may go to a partner (see `_safe_row`): also files written
    before possible rows lost their case numbers and cells were escaped."""
    text = stored.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    output = io.StringIO()
    writer = csv.DictWriter(
        output, fieldnames=reader.fieldnames or OUTPUT_COLUMNS, lineterminator="\n"
    )
    writer.writeheader()
    for row in reader:
        writer.writerow(_safe_row({k: v for k, v in row.items() if k is not None}))
    return output.getvalue().encode("utf-8")


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
