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
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        # On SQLite the database has one writer at a time already.
        last = AuditLog.objects.using(alias).order_by("-pk").values_list("entry_hash", flat=True)
        entry.prev_hash = last.first() or ""
        entry.entry_hash = entry_hash({name: getattr(entry, name) for name in CHAINED_FIELDS})
        entry.save(using=alias)
    return entry
