"""The one way to write the audit log."""

from typing import Any

from django.db import connections, models, router, transaction

from audit.actions import Action
from audit.chain import CHAINED_FIELDS, entry_hash
from audit.models import AuditLog

# pg_advisory_xact_lock key for appending to the chain ("audit" in ASCII): one writer at a time
# reads the last row and appends after it, so two transactions cannot both link to the same
# row. Held until the writer's transaction commits.
CHAIN_LOCK_KEY = 0x6175646974


def audit_record(
    *,
    actor,
    action: Action,
    obj: models.Model | None = None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """Append an audit row. `actor` is a user, or None for the system (tasks, beat jobs)."""
    if not isinstance(action, Action):
        # Free-text names drift; a new kind of action is a new member of the enum.
        raise TypeError(f"audit_record takes an audit.actions.Action, not {action!r}")
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditLog(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "system",
        action=action.value,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        detail=detail or {},
        ip_address=ip_address,
    )
    alias = router.db_for_write(AuditLog)
    # Inside the caller's transaction no savepoint is made (two round trips fewer for every
    # audited change): if writing the row fails, the change it records must fail with it.
    with transaction.atomic(using=alias, savepoint=False):
        connection = connections[alias]
        if connection.vendor == "postgresql":
            entry.prev_hash = _chain_lock_and_head(connection)
        else:
            # On SQLite the database has one writer at a time already.
            last = (
                AuditLog.objects.using(alias).order_by("-pk").values_list("entry_hash", flat=True)
            )
            entry.prev_hash = last.first() or ""
        entry.entry_hash = entry_hash({name: getattr(entry, name) for name in CHAINED_FIELDS})
        entry.save(using=alias)
    return entry


def _chain_lock_and_head(connection) -> str:
    """Take the chain's lock, then read the last row's hash as it stands once the lock is held.

    Both in one round trip: every audited change waits its turn for this lock, so each round
    trip made while holding it (at launch-day load, each one a wait for the cores) is a wait
    for every submission behind it. The two statements are sent together without parameters
    (the key is a constant), and in READ COMMITTED each takes its own snapshot: the SELECT sees
    the row that the previous holder committed while this one waited.
    """
    quote = connection.ops.quote_name
    table = quote(AuditLog._meta.db_table)
    column = quote(AuditLog._meta.get_field("entry_hash").column)
    key = quote(AuditLog._meta.pk.column)
    # Names from the model, the key a constant int: nothing in it comes from outside.
    lock = f"SELECT pg_advisory_xact_lock({int(CHAIN_LOCK_KEY)})"
    head = f"SELECT {column} FROM {table} ORDER BY {key} DESC LIMIT 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"{lock}; {head}")
        cursor.nextset()
        row = cursor.fetchone()
    return row[0] if row else ""
