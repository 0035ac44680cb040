"""The one way to write the audit log."""

from typing import Any

from django.db import models

from audit.actions import Action
from audit.models import AuditLog


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
    return AuditLog.objects.create(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "system",
        action=action.value,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        detail=detail or {},
        ip_address=ip_address,
    )
