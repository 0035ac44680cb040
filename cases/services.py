"""Writes to the case database: importing dismissal-batch extracts.

`cases_import` streams rows in chunks of CHUNK_SIZE: each chunk is validated in Python
(cases.extract), compared with what is stored (one query per chunk), and its new and changed
cases are written in one transaction together with their aliases, charges and search keys, and
the run's progress. A row is never half-written, and a failure loses at most the chunk at hand;
importing the file again completes the run. Memory stays bounded by the chunk size, apart from
the case numbers seen with their line (about 120 bytes a row, to reject a number repeated within
the file).

Inserts bypass model instances on purpose: building a million Django objects costs more than
the database work. PostgreSQL gets COPY (psycopg 3 `cursor.copy`) on a second connection, so
that the server stores one chunk while this process reads the next; the reading side renders the
COPY text too, because a writer thread that formats rows holds the GIL the reader needs (this
took the 125,000-row import from 32 s to 24 s). SQLite gets `executemany`.
"""

import logging
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from django.db import connection, models, transaction
from django.utils import timezone

from audit.actions import Action
from audit.services import audit_record

from .extract import (
    AliasRecord,
    CaseRecord,
    HeaderError,
    RowError,
    extract_open,
    header_resolve,
    row_parse,
)
from .matching.keys import case_search_keys
from .models import Case, CaseAlias, CaseCharge, CaseSearchKey, DismissalBatch, ImportRun

logger = logging.getLogger(__name__)

# Rows per transaction. Larger chunks write each index page fewer times (on SQLite a
# 10,000-row chunk imports about a third faster than a 2,000-row one) and still report progress
# every few seconds.
CHUNK_SIZE = 10_000
# The count of rejected rows is always exact; the reasons kept on the run are capped so that a
# file of the wrong kind does not produce a megabyte of JSON.
REJECTED_ROWS_KEPT = 10_000
# Hard time limit of the admin-upload task (cases.tasks), in seconds: a million rows fit.
IMPORT_TASK_TIME_LIMIT = 1800

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
            **options,
        )


def cases_import_upload(*, import_run: ImportRun) -> ImportRun:
    """Run an import whose file was uploaded in the admin (the ImportRun holds the options)."""
    try:
        upload = import_run.upload.open("rb")
    except (OSError, ValueError):
        import_run.status = ImportRun.Status.FAILED
        import_run.error = "the uploaded file could not be read"
        import_run.finished_at = timezone.now()
        import_run.save(update_fields=["status", "error", "finished_at"])
        return import_run
    with upload as binary:
        extract = extract_open(binary)
        return _import_numbered(
            numbered_rows=extract.rows,
            columns=extract.columns,
            file_name=import_run.file_name or Path(import_run.upload.name).name,
            checksum=extract.checksum,
            default_batch=import_run.default_batch.slug if import_run.default_batch else None,
            column_map=import_run.column_map,
            dry_run=import_run.dry_run,
            started_by=import_run.started_by,
            source=import_run.source,
            import_run=import_run,
        )


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
        _import_rows(
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

    def reject(line: int, reason: str) -> None:
        run.rejected_count += 1
        if len(run.rejected_rows) < REJECTED_ROWS_KEPT:
            run.rejected_rows.append({"line": line, "reason": reason})

    writer = _ChunkWriter.for_run(run=run, batch_ids=batch_ids)

    def flush() -> None:
        plan = _chunk_compare(chunk, with_keys=not run.dry_run)
        if connection.vendor == "postgresql" and not run.dry_run:
            _chunk_render_copy(plan, run=run, batch_ids=batch_ids)
        run.rows_read = run.rows_processed = read
        run.created_count += len(plan.new)
        run.updated_count += len(plan.changed)
        run.unchanged_count += plan.unchanged
        writer.write(plan, progress=_progress_fields(run))
        chunk.clear()
        if progress:
            progress(read)

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
            if read % chunk_size == 0:
                flush()
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


class _ChunkWriter:
    """Writes each chunk, and the run's progress with it, in one transaction."""

    def __init__(self, *, run: ImportRun, batch_ids: Mapping[str, int]):
        self.run = run
        self.batch_ids = batch_ids

    @classmethod
    def for_run(cls, *, run: ImportRun, batch_ids: Mapping[str, int]) -> "_ChunkWriter":
        # A caller's open transaction must see the writes, so the writing stays on its
        # connection; and SQLite has a single writer anyway.
        threaded = (
            connection.vendor == "postgresql" and not connection.in_atomic_block and not run.dry_run
        )
        return (_ThreadedChunkWriter if threaded else cls)(run=run, batch_ids=batch_ids)

    def write(self, plan: "_ChunkPlan", *, progress: dict) -> None:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A crash can lose only whole chunks, together with their progress on the run,
                # and importing the file again completes it: no need to wait for the disk.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            if not self.run.dry_run:
                _chunk_write(plan, run=self.run, batch_ids=self.batch_ids)
            ImportRun.objects.filter(pk=self.run.pk).update(**progress)

    def close(self) -> None:
        """Wait until every chunk is written; raise what writing raised."""


class _ThreadedChunkWriter(_ChunkWriter):
    """Writes chunk N on a second connection while the caller reads and checks chunk N+1.

    PostgreSQL does the index and foreign-key work of a COPY in its own process, so with the
    reading on this side both cores are busy. At most one chunk waits in the queue.
    """

    def __init__(self, *, run: ImportRun, batch_ids: Mapping[str, int]):
        super().__init__(run=run, batch_ids=batch_ids)
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name=f"import-run-{run.pk}")
        self.thread.start()

    def _work(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                # After a failure keep taking chunks, so that the reading side never blocks.
                if self.error is None:
                    try:
                        super().write(item[0], progress=item[1])
                    except BaseException as error:
                        self.error = error
        finally:
            connection.close()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def write(self, plan: "_ChunkPlan", *, progress: dict) -> None:
        self._raise()
        self.queue.put((plan, progress))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self._raise()


@dataclass
class _Stored:
    id: int
    content_hash: str
    identity: tuple


@dataclass
class _ChunkPlan:
    new: list[CaseRecord]
    changed: list[tuple[CaseRecord, _Stored]]
    unchanged: int
    # The search keys of each new case, in the order of `new` (none in a dry run). Worked out
    # with the comparison, on the reading side: on PostgreSQL the writer thread must hold the
    # GIL as little as possible, or the server waits for it while this process reads the next
    # chunk (computing the keys there cost each chunk about 1.5 s of waiting).
    new_keys: list[list[str]] = field(default_factory=list)
    # On PostgreSQL, the new cases' rows already in COPY text format, by model: rendered on the
    # reading side for the same reason, so that the writer thread only streams bytes.
    new_copy: dict[type[models.Model], tuple[Sequence[str], bytes]] | None = None


def _identity(first: str, middle: str, last: str, dob: date) -> tuple:
    return (first, middle, last, dob)


def _chunk_compare(records: list[CaseRecord], *, with_keys: bool) -> _ChunkPlan:
    """Sort a chunk's records into new, changed and unchanged cases (one query per court)."""
    by_court: dict[str, list[CaseRecord]] = defaultdict(list)
    for record in records:
        by_court[record.court].append(record)
    plan = _ChunkPlan(new=[], changed=[], unchanged=0)
    for court, court_records in by_court.items():
        stored = {
            number: _Stored(id=pk, content_hash=h, identity=_identity(first, middle, last, dob))
            for pk, number, h, first, middle, last, dob in _stored_cases(
                court, [r.case_number_normalized for r in court_records]
            )
        }
        for record in court_records:
            existing = stored.get(record.case_number_normalized)
            if existing is None:
                plan.new.append(record)
                if with_keys:
                    plan.new_keys.append(_record_keys(record))
            elif existing.content_hash == record.content_hash:
                plan.unchanged += 1
            else:
                plan.changed.append((record, existing))
    return plan


_STORED_FIELDS = (
    "id",
    "case_number_normalized",
    "content_hash",
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
)


def _stored_cases(
    court: str, numbers: list[str], fields: Sequence[str] = _STORED_FIELDS
) -> list[tuple]:
    """`fields` of the stored cases of `court` among these normalized numbers.

    Raw SQL because the ORM's handling of a long IN list costs more than the query.
    """
    meta = Case._meta
    quote = connection.ops.quote_name
    columns = ", ".join(f"c.{quote(meta.get_field(f).column)}" for f in fields)
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":
        # PostgreSQL plans a long IN list (or a join with the list) as a scan of the whole
        # table while it is small; a lateral lookup per number always uses the unique index.
        sql = (
            f"SELECT {columns} FROM unnest(%s::varchar[]) AS n(number) "  # noqa: S608 (names)
            f"CROSS JOIN LATERAL (SELECT * FROM {table} x "
            f"WHERE x.case_number_normalized = n.number AND x.court = %s LIMIT 1) c"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [numbers, court])
            return cursor.fetchall()
    found: list[tuple] = []
    # Older SQLite builds allow 999 parameters in a statement.
    step = connection.features.max_query_params - 1
    with connection.cursor() as cursor:
        for start in range(0, len(numbers), step):
            part = numbers[start : start + step]
            placeholders = ", ".join(["%s"] * len(part))
            sql = (
                f"SELECT {columns} FROM {table} c WHERE c.court = %s "  # noqa: S608 (names)
                f"AND c.case_number_normalized IN ({placeholders})"
            )
            cursor.execute(sql, [court, *part])
            found.extend(cursor.fetchall())
    return found


_CASE_FIELDS = (
    "court",
    "case_number",
    "case_number_normalized",
    "last_name",
    "first_name",
    "middle_name",
    "date_of_birth",
    "cii_number",
    "conviction_date",
    "relief",
    "relief_date",
    "batch_id",
    "import_run_id",
    "content_hash",
    "updated_at",
)


def _case_values(record: CaseRecord, *, run: ImportRun, batch_ids, now) -> tuple:
    # Dates go to the driver as they are: psycopg adapts them, and Django registers a date
    # adapter for sqlite3.
    return (
        record.court,
        record.case_number,
        record.case_number_normalized,
        record.last_name,
        record.first_name,
        record.middle_name,
        record.date_of_birth,
        record.cii_number,
        record.conviction_date,
        record.relief,
        record.relief_date,
        batch_ids[record.batch_slug],
        run.pk,
        record.content_hash,
        now,
    )


def _chunk_render_copy(plan: _ChunkPlan, *, run: ImportRun, batch_ids: Mapping[str, int]) -> None:
    """Draw ids for the new cases and render them and their related rows for COPY.

    Ids come from the table's sequence, which is outside transactions, so they may be drawn on
    this connection and used on the writer's; a chunk that fails leaves a gap, nothing else.
    """
    if not plan.new:
        plan.new_copy = {}
        return
    meta = Case._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(plan.new)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    now = timezone.now()
    created = now.isoformat()
    cases, aliases, charges, keys = [], [], [], []
    for record, pk, record_keys in zip(plan.new, ids, plan.new_keys, strict=True):
        case_id = str(pk)
        dob = record.date_of_birth.isoformat()
        values = _case_values(record, run=run, batch_ids=batch_ids, now=now)
        cases.append("\t".join((case_id, *map(_copy_value, values), created)))
        for alias in record.aliases:
            aliases.append(
                f"{case_id}\t{_copy_text(alias.full_name)}\t{_copy_text(alias.first_name)}"
                f"\t{_copy_text(alias.last_name)}"
            )
        charges.extend(f"{case_id}\t{_copy_text(code)}" for code in record.charges)
        keys.extend(f"{case_id}\t{_copy_text(key)}\t{dob}" for key in record_keys)
    plan.new_copy = {
        Case: (("id", *_CASE_FIELDS, "created_at"), _copy_lines(cases)),
        CaseAlias: (("case_id", "full_name", "first_name", "last_name"), _copy_lines(aliases)),
        CaseCharge: (("case_id", "code"), _copy_lines(charges)),
        CaseSearchKey: (("case_id", "key", "date_of_birth"), _copy_lines(keys)),
    }


# COPY's text format: a backslash starts an escape, and tabs and line ends separate values and
# rows. (The extract's values have their whitespace collapsed already; aliases too.)
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: object) -> str:
    """One value in COPY's text format: NULL, a date or timestamp, a number or escaped text."""
    if value is None:
        return "\\N"
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, str):
        return _copy_text(value)
    return str(value)


def _copy_text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_lines(lines: list[str]) -> bytes:
    return "".join(f"{line}\n" for line in lines).encode()


def _chunk_write(plan: _ChunkPlan, *, run: ImportRun, batch_ids: Mapping[str, int]) -> None:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    alias_rows: list[tuple] = []
    charge_rows: list[tuple] = []
    key_rows: list[tuple] = []

    if plan.new_copy is not None:
        for model, (fields, payload) in plan.new_copy.items():
            if payload:
                _copy_payload(model, fields, payload)
    elif plan.new:
        rows = ((*_case_values(r, run=run, batch_ids=batch_ids, now=now), now) for r in plan.new)
        ids = _insert_cases(plan.new, rows)
        for record, pk, keys in zip(plan.new, ids, plan.new_keys, strict=True):
            alias_rows.extend((pk, *_alias_values(a)) for a in record.aliases)
            charge_rows.extend((pk, code) for code in record.charges)
            key_rows.extend((pk, key, record.date_of_birth) for key in keys)

    if plan.changed:
        _update_cases(plan.changed, run=run, batch_ids=batch_ids, now=now)
        ids = [stored.id for _, stored in plan.changed]
        old_aliases = _related_values(CaseAlias, ids, ("full_name", "first_name", "last_name"))
        old_charges = _related_values(CaseCharge, ids, ("code",))
        alias_stale, charge_stale, rekey = [], [], []
        for record, stored in plan.changed:
            aliases = [_alias_values(a) for a in record.aliases]
            aliases_changed = old_aliases.get(stored.id, []) != aliases
            if aliases_changed:
                alias_stale.append(stored.id)
                alias_rows.extend((stored.id, *a) for a in aliases)
            charges = [(code,) for code in record.charges]
            if old_charges.get(stored.id, []) != charges:
                charge_stale.append(stored.id)
                charge_rows.extend((stored.id, *c) for c in charges)
            identity = _identity(
                record.first_name, record.middle_name, record.last_name, record.date_of_birth
            )
            if aliases_changed or identity != stored.identity:
                rekey.append(stored.id)
                key_rows.extend(
                    (stored.id, key, record.date_of_birth) for key in _record_keys(record)
                )
        CaseAlias.objects.filter(case_id__in=alias_stale).delete()
        CaseCharge.objects.filter(case_id__in=charge_stale).delete()
        CaseSearchKey.objects.filter(case_id__in=rekey).delete()

    for model, fields, rows in (
        (CaseAlias, ("case_id", "full_name", "first_name", "last_name"), alias_rows),
        (CaseCharge, ("case_id", "code"), charge_rows),
        (CaseSearchKey, ("case_id", "key", "date_of_birth"), key_rows),
    ):
        if rows:
            _insert(model, fields, rows)


def _alias_values(alias: AliasRecord) -> tuple[str, str, str]:
    return (alias.full_name, alias.first_name, alias.last_name)


def _record_keys(record: CaseRecord) -> list[str]:
    return sorted(
        _search_keys(
            record.first_name,
            record.middle_name,
            record.last_name,
            tuple((a.first_name, a.last_name) for a in record.aliases),
        )
    )


@lru_cache(maxsize=20_000)
def _search_keys(
    first_name: str, middle_name: str, last_name: str, aliases: tuple[tuple[str, str], ...]
) -> frozenset[str]:
    # Cached because many people share a name (JOSE GARCIA): the keys are a pure function of it.
    return frozenset(
        case_search_keys(
            first_name=first_name, middle_name=middle_name, last_name=last_name, aliases=aliases
        )
    )


def _insert_cases(records: list[CaseRecord], rows: Iterable[tuple]) -> list[int]:
    """Insert new cases (rows as _CASE_FIELDS + created_at); their ids in record order.

    SQLite only: on PostgreSQL the new cases go in with COPY (_chunk_render_copy).
    """
    _insert(Case, (*_CASE_FIELDS, "created_at"), rows)
    return _ids_of(records)


def _ids_of(records: list[CaseRecord]) -> list[int]:
    """Primary keys of just-inserted cases, in the order of `records`."""
    by_court: dict[str, list[str]] = defaultdict(list)
    for record in records:
        by_court[record.court].append(record.case_number_normalized)
    ids: dict[tuple[str, str], int] = {}
    for court, numbers in by_court.items():
        for pk, number in _stored_cases(court, numbers, ("id", "case_number_normalized")):
            ids[court, number] = pk
    return [ids[r.court, r.case_number_normalized] for r in records]


def _related_values(
    model: type[models.Model], case_ids: list[int], fields: Sequence[str]
) -> dict[int, list[tuple]]:
    """Each case's related rows as value tuples, in the order they were written."""
    values: dict[int, list[tuple]] = defaultdict(list)
    for case_id, *rest in (
        model.objects.filter(case_id__in=case_ids).order_by("pk").values_list("case_id", *fields)
    ):
        values[case_id].append(tuple(rest))
    return values


def _update_cases(
    changed: list[tuple[CaseRecord, _Stored]], *, run: ImportRun, batch_ids, now
) -> None:
    meta = Case._meta
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(meta.get_field(f).column)} = %s" for f in _CASE_FIELDS)
    # Only quoted names from the model's own metadata are interpolated; values are parameters.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (*_case_values(record, run=run, batch_ids=batch_ids, now=now), stored.id)
                for record, stored in changed
            ],
        )


def _copy_payload(model: type[models.Model], fields: Sequence[str], payload: bytes) -> None:
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
    table = quote(meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        copy.write(payload)


def _insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> None:
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, rows)


def import_run_enqueue(*, import_run: ImportRun) -> ImportRun:
    """Save an uploaded run as PENDING and start its import once the upload is committed."""
    from .tasks import import_cases_task

    import_run.status = ImportRun.Status.PENDING
    with transaction.atomic():
        import_run.save()
        transaction.on_commit(lambda: import_cases_task.delay(import_run.pk))
    return import_run


# A run still RUNNING after the task's hard time limit lost its worker and may be taken over.
IMPORT_STALE_AFTER = timedelta(seconds=IMPORT_TASK_TIME_LIMIT + 60)


def import_run_claim(*, import_run_id: int) -> ImportRun | None:
    """Mark an uploaded run as taken by this worker; None when it is done or being worked on.

    A conditional update, so that two deliveries of the same task cannot both run it.
    """
    now = timezone.now()
    claimable = models.Q(status=ImportRun.Status.PENDING) | models.Q(
        status=ImportRun.Status.RUNNING, started_at__lt=now - IMPORT_STALE_AFTER
    )
    claimed = ImportRun.objects.filter(claimable, pk=import_run_id).update(
        status=ImportRun.Status.RUNNING, started_at=now
    )
    return ImportRun.objects.get(pk=import_run_id) if claimed else None
