"""Writing a compared chunk: COPY on PostgreSQL, `executemany` on SQLite, in one transaction.

Inserts bypass model instances on purpose: building a million Django objects costs more than
the database work. PostgreSQL gets COPY (psycopg 3 `cursor.copy`) on a second connection
(ThreadedChunkWriter), so that the server stores one chunk while this process reads the next;
the reading side renders the COPY text too (chunk_render_copy), because a writer thread that
formats rows holds the GIL the reader needs (this took the 125,000-row import from 32 s to
24 s). SQLite gets `executemany`.
"""

import queue
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from django.db import connection, models, transaction
from django.utils import timezone

from cases.models import Case, CaseAlias, CaseCharge, CaseSearchKey, ImportRun

from .extract import AliasRecord, CaseRecord
from .plan import ChunkPlan, Stored, case_identity, quoted_columns, record_keys, stored_cases


class ChunkWriter:
    """Writes each chunk, and the run's progress with it, in one transaction."""

    def __init__(self, *, run: ImportRun, batch_ids: Mapping[str, int]):
        self.run = run
        self.batch_ids = batch_ids

    @classmethod
    def for_run(cls, *, run: ImportRun, batch_ids: Mapping[str, int]) -> "ChunkWriter":
        # A caller's open transaction must see the writes, so the writing stays on its
        # connection; and SQLite has a single writer anyway.
        threaded = (
            connection.vendor == "postgresql" and not connection.in_atomic_block and not run.dry_run
        )
        return (ThreadedChunkWriter if threaded else cls)(run=run, batch_ids=batch_ids)

    def write(self, plan: ChunkPlan, *, progress: dict) -> None:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A crash can lose only whole chunks, together with their progress on the run,
                # and importing the file again completes it: no need to wait for the disk.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            if not self.run.dry_run:
                chunk_write(plan, run=self.run, batch_ids=self.batch_ids)
            ImportRun.objects.filter(pk=self.run.pk).update(**progress)

    def close(self) -> None:
        """Wait until every chunk is written; raise what writing raised."""


class ThreadedChunkWriter(ChunkWriter):
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

    def write(self, plan: ChunkPlan, *, progress: dict) -> None:
        self._raise()
        self.queue.put((plan, progress))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self._raise()


_CASE_FIELDS = (
    "court",
    "case_number",
    "case_number_normalized",
    "last_name",
    "first_name",
    "middle_name",
    "date_of_birth",
    "cii_number",
    "placeholder_name",
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
        record.placeholder_name,
        record.conviction_date,
        record.relief,
        record.relief_date,
        batch_ids[record.batch_slug],
        run.pk,
        record.content_hash,
        now,
    )


def chunk_render_copy(plan: ChunkPlan, *, run: ImportRun, batch_ids: Mapping[str, int]) -> None:
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
    cases: list[str] = []
    aliases: list[str] = []
    charges: list[str] = []
    keys: list[str] = []
    for record, pk, case_keys in zip(plan.new, ids, plan.new_keys, strict=True):
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
        keys.extend(f"{case_id}\t{_copy_text(key)}\t{dob}" for key in case_keys)
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


def chunk_write(plan: ChunkPlan, *, run: ImportRun, batch_ids: Mapping[str, int]) -> None:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    alias_rows: list[tuple] = []
    charge_rows: list[tuple] = []
    key_rows: list[tuple] = []

    if plan.new_copy is not None:
        for model, (fields, payload) in plan.new_copy.items():
            if payload:
                _copy_payload(model, fields, payload)
    elif plan.new:
        case_rows = [
            (*_case_values(r, run=run, batch_ids=batch_ids, now=now), now) for r in plan.new
        ]
        ids = _insert_cases(plan.new, case_rows)
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
            identity = case_identity(
                record.first_name, record.middle_name, record.last_name, record.date_of_birth
            )
            if aliases_changed or identity != stored.identity:
                rekey.append(stored.id)
                key_rows.extend(
                    (stored.id, key, record.date_of_birth) for key in record_keys(record)
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


def _insert_cases(records: list[CaseRecord], rows: Sequence[tuple]) -> list[int]:
    """Insert new cases (rows as _CASE_FIELDS + created_at); their ids in record order.

    SQLite only: on PostgreSQL the new cases go in with COPY (chunk_render_copy).
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
        for pk, number in stored_cases(court, numbers, ("id", "case_number_normalized")):
            ids[court, number] = pk
    return [ids[r.court, r.case_number_normalized] for r in records]


def _related_values(
    model: type[CaseAlias] | type[CaseCharge], case_ids: list[int], fields: Sequence[str]
) -> dict[int, list[tuple]]:
    """Each case's related rows as value tuples, in the order they were written."""
    values: dict[int, list[tuple]] = defaultdict(list)
    for case_id, *rest in (
        model.objects.filter(case_id__in=case_ids).order_by("pk").values_list("case_id", *fields)
    ):
        values[case_id].append(tuple(rest))
    return values


def _update_cases(
    changed: list[tuple[CaseRecord, Stored]], *, run: ImportRun, batch_ids, now
) -> None:
    meta = Case._meta
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{column} = %s" for column in quoted_columns(Case, _CASE_FIELDS))
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
    quote = connection.ops.quote_name
    columns = ", ".join(quoted_columns(model, fields))
    table = quote(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        copy.write(payload)


def _insert(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quoted_columns(model, fields))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, rows)
