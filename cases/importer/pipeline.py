"""Writes to the case database: importing dismissal-batch extracts.

`cases_import` streams rows in chunks of CHUNK_SIZE: each chunk is validated in Python
(extract.py), compared with what is stored (plan.py, one query per chunk), and its new and
changed cases are written in one transaction together with their aliases, charges and search
keys, and the run's progress (writers.py). A row is never half-written, and a failure loses at
most the chunk at hand; importing the file again completes the run. Memory stays bounded by the
chunk size, apart from the case numbers seen with their line (about 120 bytes a row, to reject
a number repeated within the file).
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from django.db import connection
from django.utils import timezone

from audit.actions import Action
from audit.services import audit_record
from cases.models import DismissalBatch, ImportRun

from .extract import (
    CaseRecord,
    ExtractReadError,
    HeaderError,
    RowError,
    extract_open,
    header_resolve,
    row_parse,
)
from .plan import chunk_compare
from .writers import ChunkWriter, chunk_render_copy

logger = logging.getLogger(__name__)

# Rows per transaction. Larger chunks write each index page fewer times (on SQLite a
# 10,000-row chunk imports about a third faster than a 2,000-row one) and still report progress
# every few seconds.
CHUNK_SIZE = 10_000
# The count of rejected rows is always exact; the reasons kept on the run are capped so that a
# file of the wrong kind does not produce a megabyte of JSON.
REJECTED_ROWS_KEPT = 10_000

Row = Mapping[str | None, str | None]


def cases_import(
    *,
    rows: Iterable[Row],
    file_name: str,
    checksum: str = "",
    default_batch: str | None = None,
    column_map: Mapping[str, str] | None = None,
    dry_run: bool = False,
    started_by=None,
    source: str = ImportRun.Source.COMMAND,
    import_run: ImportRun | None = None,
    progress: Callable[[int], None] | None = None,
    columns: Sequence[str] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportRun:
    """Import extract rows (dicts keyed by header, as csv.DictReader gives them).

    Rows are numbered as lines of a file with a header row (the first row is line 2). `columns`
    is the header; by default the first row's keys. Returns the ImportRun, which records the
    counts, the rejected rows with their reasons and the status; a file that cannot be imported
    at all (missing columns, unknown default batch) ends as FAILED with the reason in `error`.
    `progress` is called with the number of rows processed so far after every chunk of
    `chunk_size` rows, each written in its own transaction.
    """
    return _import_numbered(
        numbered_rows=enumerate(rows, start=2),
        columns=columns,
        file_name=file_name,
        checksum=checksum,
        default_batch=default_batch,
        column_map=column_map,
        dry_run=dry_run,
        started_by=started_by,
        source=source,
        import_run=import_run,
        progress=progress,
        chunk_size=chunk_size,
    )


def cases_import_file(*, path: str | Path, **options) -> ImportRun:
    """Import a CSV extract from a path; options as for `cases_import`."""
    path = Path(path)
    with path.open("rb") as binary:
        extract = extract_open(binary)
        return _import_numbered(
            numbered_rows=extract.rows,
            columns=extract.columns,
            file_name=options.pop("file_name", path.name),
            checksum=extract.checksum,
            header_error=extract.header_error,
            **options,
        )


def cases_import_upload(*, import_run: ImportRun) -> ImportRun:
    """Run an import whose file was uploaded in the admin (the ImportRun holds the options)."""
    try:
        upload = import_run.upload.open("rb")
    except (OSError, ValueError):
        return _upload_unreadable(import_run)
    with upload as binary:
        try:
            extract = extract_open(binary)
        except OSError:
            return _upload_unreadable(import_run)
        return _import_numbered(
            numbered_rows=extract.rows,
            columns=extract.columns,
            file_name=import_run.file_name or Path(import_run.upload.name).name,
            checksum=extract.checksum,
            header_error=extract.header_error,
            default_batch=import_run.default_batch.slug if import_run.default_batch else None,
            column_map=import_run.column_map,
            dry_run=import_run.dry_run,
            started_by=import_run.started_by,
            source=import_run.source,
            import_run=import_run,
        )


def _upload_unreadable(import_run: ImportRun) -> ImportRun:
    import_run.status = ImportRun.Status.FAILED
    import_run.error = "the uploaded file could not be read"
    import_run.finished_at = timezone.now()
    import_run.save(update_fields=["status", "error", "finished_at"])
    return import_run


class _ImportFailed(Exception):
    """A problem with the whole file; the message is safe to store and show."""


def _import_numbered(
    *,
    numbered_rows: Iterable[tuple[int, Row]],
    columns: Sequence[str] | None,
    file_name: str,
    checksum: str,
    default_batch: str | None = None,
    column_map: Mapping[str, str] | None = None,
    dry_run: bool = False,
    started_by=None,
    source: str = ImportRun.Source.COMMAND,
    import_run: ImportRun | None = None,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
    header_error: str = "",
) -> ImportRun:
    batches = dict(DismissalBatch.objects.values_list("slug", "relief_date"))
    run = import_run or ImportRun()
    run.file_name = file_name[:255]
    run.checksum = checksum
    run.source = source
    run.started_by = started_by
    run.default_batch = DismissalBatch.objects.filter(slug=default_batch).first()
    run.column_map = dict(column_map or {})
    run.dry_run = dry_run
    run.status = ImportRun.Status.RUNNING
    run.started_at = timezone.now()
    run.finished_at = None
    run.error = ""
    run.rows_read = run.rows_processed = 0
    run.created_count = run.updated_count = run.unchanged_count = run.rejected_count = 0
    run.rejected_rows, run.warnings = [], []
    run.save()
    logger.info("import run %s started (dry run: %s)", run.pk, dry_run)
    if connection.vendor == "sqlite":
        # SQLite's default 2 MB page cache makes every index insert of a large import read
        # pages back; 64 MB keeps the hot index pages. And with the default WAL checkpoint
        # every 4 MB, each chunk's commit would copy and sync the database file. Both are
        # settings of this connection only.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536")
            cursor.execute("PRAGMA wal_autocheckpoint = 16384")

    try:
        if header_error:
            raise _ImportFailed(header_error)
        if default_batch and default_batch not in batches:
            raise _ImportFailed(f"unknown default batch {default_batch[:64]!r}")
        rows = iter(numbered_rows)
        first = next(rows, None)
        if columns is None:
            columns = [c for c in (first[1] if first else {}) if c is not None]
        try:
            header = header_resolve(columns, column_map=column_map, default_batch=default_batch)
        except HeaderError as error:
            raise _ImportFailed(str(error)) from None
        run.warnings = list(header.warnings)
        all_rows = rows if first is None else _prepend(first, rows)
        today = timezone.localdate()
        _import_rows_or_fail(
            run=run,
            rows=all_rows,
            parse=lambda row: row_parse(
                row,
                header=header,
                batches=batches,
                default_batch=default_batch,
                today=today,
            ),
            batch_ids=dict(DismissalBatch.objects.values_list("slug", "pk")),
            progress=progress,
            chunk_size=chunk_size,
        )
    except _ImportFailed as failure:
        run.status = ImportRun.Status.FAILED
        run.error = str(failure)
        run.finished_at = timezone.now()
        run.save()
        logger.warning("import run %s failed: the file cannot be imported", run.pk)
        return run
    except BaseException as error:
        # The exception text may quote row values (a database error names the key), so the
        # record and the log keep only its type.
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED,
            error=f"unexpected error ({type(error).__name__}); rows after the last "
            f"completed chunk were not imported",
            finished_at=timezone.now(),
        )
        logger.error("import run %s failed with %s", run.pk, type(error).__name__)
        raise

    run.status = (
        ImportRun.Status.COMPLETED_WITH_REJECTIONS
        if run.rejected_count
        else ImportRun.Status.SUCCEEDED
    )
    run.finished_at = timezone.now()
    run.save()
    _audit_import(run)
    logger.info(
        "import run %s finished: read %s, created %s, updated %s, unchanged %s, rejected %s",
        run.pk,
        run.rows_read,
        run.created_count,
        run.updated_count,
        run.unchanged_count,
        run.rejected_count,
    )
    return run


def _audit_import(run: ImportRun) -> None:
    audit_record(
        actor=run.started_by,
        action=Action.IMPORT_DRY_RUN_COMPLETED if run.dry_run else Action.IMPORT_COMPLETED,
        obj=run,
        summary=(
            f"Import run {run.pk} ({run.file_name}): {run.created_count} created, "
            f"{run.updated_count} updated, {run.unchanged_count} unchanged, "
            f"{run.rejected_count} rejected"
        ),
        detail={"checksum": run.checksum, "source": run.source, "status": run.status},
    )


def _prepend(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


def _import_rows_or_fail(**kwargs) -> None:
    """_import_rows, with a file that cannot be read on from some line ending the run FAILED
    with that line and reason (the chunks before it are kept)."""
    try:
        _import_rows(**kwargs)
    except ExtractReadError as error:
        raise _ImportFailed(str(error)) from None


def _import_rows(
    *,
    run: ImportRun,
    rows: Iterable[tuple[int, Row]],
    parse: Callable[[Row], CaseRecord],
    batch_ids: Mapping[str, int],
    progress: Callable[[int], None] | None,
    chunk_size: int,
) -> None:
    # Lines of the valid rows so far, by court and normalized number: the first valid row
    # with a number is kept, later ones are rejected as duplicates.
    seen: dict[str, dict[str, int]] = defaultdict(dict)
    chunk: list[CaseRecord] = []
    read = 0
    placeholders = 0

    def reject(line: int, reason: str) -> None:
        run.rejected_count += 1
        if len(run.rejected_rows) < REJECTED_ROWS_KEPT:
            run.rejected_rows.append({"line": line, "reason": reason})

    writer = ChunkWriter.for_run(run=run, batch_ids=batch_ids)

    def flush() -> None:
        plan = chunk_compare(chunk, with_keys=not run.dry_run)
        if connection.vendor == "postgresql" and not run.dry_run:
            chunk_render_copy(plan, run=run, batch_ids=batch_ids)
        run.rows_read = run.rows_processed = read
        run.created_count += len(plan.new)
        run.updated_count += len(plan.changed)
        run.unchanged_count += plan.unchanged
        writer.write(plan, progress=_progress_fields(run))
        chunk.clear()
        if progress:
            progress(read)

    try:
        try:
            for line, row in rows:
                read += 1
                try:
                    record = parse(row)
                except RowError as error:
                    reject(line, str(error))
                else:
                    numbers = seen[record.court]
                    earlier = numbers.get(record.case_number_normalized)
                    if earlier is not None:
                        reject(line, f"case number repeats line {earlier} of this file")
                    else:
                        numbers[record.case_number_normalized] = line
                        chunk.append(record)
                        placeholders += record.placeholder_name
                if read % chunk_size == 0:
                    flush()
        except ExtractReadError:
            # The rows before the unreadable line are kept, as a later chunk's failure keeps
            # the earlier chunks.
            flush()
            raise
        if placeholders:
            run.warnings.append(
                f"{placeholders} row(s) carry a placeholder name (EXPUNGED, DOE JOHN, a business): "
                "stored, flagged, and never matched"
            )
        flush()
    finally:
        writer.close()


_PROGRESS_FIELDS = (
    "rows_read",
    "rows_processed",
    "created_count",
    "updated_count",
    "unchanged_count",
    "rejected_count",
    "rejected_rows",
    "warnings",
)


def _progress_fields(run: ImportRun) -> dict:
    """The run's counts as they stand, copied so that a writer thread can save them."""
    values = {name: getattr(run, name) for name in _PROGRESS_FIELDS}
    values["rejected_rows"] = list(run.rejected_rows)
    values["warnings"] = list(run.warnings)
    return values
