"""A chunk of extract records compared with what is stored: new, changed and unchanged cases.

One query per court and chunk reads the stored cases by normalized number. The new cases' search
keys are worked out here, on the reading side (see ChunkPlan.new_keys).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.db import connection, models

from cases.matching.keys import case_search_keys
from cases.models import Case

from .extract import CaseRecord


@dataclass
class Stored:
    id: int
    content_hash: str
    identity: tuple


@dataclass
class ChunkPlan:
    new: list[CaseRecord]
    changed: list[tuple[CaseRecord, Stored]]
    unchanged: int
    # The search keys of each new case, in the order of `new` (none in a dry run). Worked out
    # with the comparison, on the reading side: on PostgreSQL the writer thread must hold the
    # GIL as little as possible, or the server waits for it while this process reads the next
    # chunk (computing the keys there cost each chunk about 1.5 s of waiting).
    new_keys: list[list[str]] = field(default_factory=list)
    # On PostgreSQL, the new cases' rows already in COPY text format, by model: rendered on the
    # reading side for the same reason, so that the writer thread only streams bytes.
    new_copy: dict[type[models.Model], tuple[Sequence[str], bytes]] | None = None


def case_identity(first: str, middle: str, last: str, dob: date) -> tuple:
    return (first, middle, last, dob)


def chunk_compare(records: list[CaseRecord], *, with_keys: bool) -> ChunkPlan:
    """Sort a chunk's records into new, changed and unchanged cases (one query per court)."""
    by_court: dict[str, list[CaseRecord]] = defaultdict(list)
    for record in records:
        by_court[record.court].append(record)
    plan = ChunkPlan(new=[], changed=[], unchanged=0)
    for court, court_records in by_court.items():
        stored = {
            number: Stored(id=pk, content_hash=h, identity=case_identity(first, middle, last, dob))
            for pk, number, h, first, middle, last, dob in stored_cases(
                court, [r.case_number_normalized for r in court_records]
            )
        }
        for record in court_records:
            existing = stored.get(record.case_number_normalized)
            if existing is None:
                plan.new.append(record)
                if with_keys:
                    plan.new_keys.append(record_keys(record))
            elif existing.content_hash == record.content_hash:
                plan.unchanged += 1
            else:
                plan.changed.append((record, existing))
    return plan


def quoted_columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    """The quoted database columns of `model`'s concrete `fields`, for the raw SQL below."""
    quote = connection.ops.quote_name
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field):
            # A reverse relation or generic key has no column of its own.
            raise TypeError(f"{model.__name__}.{name} is not a column")
        columns.append(quote(field.column))
    return columns


_STORED_FIELDS = (
    "id",
    "case_number_normalized",
    "content_hash",
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
)


def stored_cases(
    court: str, numbers: list[str], fields: Sequence[str] = _STORED_FIELDS
) -> list[tuple]:
    """`fields` of the stored cases of `court` among these normalized numbers.

    Raw SQL because the ORM's handling of a long IN list costs more than the query.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(f"c.{column}" for column in quoted_columns(Case, fields))
    table = quote(Case._meta.db_table)
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
    # Older SQLite builds allow 999 parameters in a statement; None is a backend with no limit.
    step = (connection.features.max_query_params or 1000) - 1
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


def record_keys(record: CaseRecord) -> list[str]:
    # A placeholder name (EXPUNGED, DOE JOHN) is never matched: no keys to find it by, and none
    # to make DOE look like a common surname.
    if record.placeholder_name:
        return []
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
