"""Rename the stored actions to audit.actions.Action's names (one form: `<object>.<past verb>`).

On PostgreSQL the append-only trigger refuses the UPDATE, so it is disabled for that one
statement and enabled again, all inside this migration's transaction: ALTER TABLE holds a lock
that keeps every other session from writing to the log until the transaction commits, and a
failure rolls the whole thing back with the trigger on.
"""

from django.db import migrations
from django.db.models import Case, Value, When

# Frozen here: the names as they were written before, and as they are now.
RENAMED = {
    "lookups.anonymized": "lookup.anonymized",
    "review.confirm": "review.confirmed",
    "review.reject": "review.rejected",
    "review.more_info": "review.more_info_requested",
    "notifications.suppressed": "suppression.added",
    "notifications.unsuppressed": "suppression.removed",
    "cases.import_uploaded": "import.uploaded",
    "cases.imported": "import.completed",
    "cases.import_dry_run": "import.dry_run_completed",
    "cases.screening_uploaded": "screening.uploaded",
    "cases.screening_exported": "screening.downloaded",
}
TRIGGER = "audit_auditlog_append_only"


def _rename(mapping: dict[str, str]):
    def run(apps, schema_editor):
        AuditLog = apps.get_model("audit", "AuditLog")
        rows = AuditLog.objects.using(schema_editor.connection.alias).filter(
            action__in=list(mapping)
        )
        new_action = Case(*(When(action=old, then=Value(new)) for old, new in mapping.items()))
        postgresql = schema_editor.connection.vendor == "postgresql"
        if postgresql:
            schema_editor.execute(f"ALTER TABLE audit_auditlog DISABLE TRIGGER {TRIGGER}")
        # The historical model has Django's plain manager: AuditLogQuerySet's guard is not here.
        rows.update(action=new_action)
        if postgresql:
            schema_editor.execute(f"ALTER TABLE audit_auditlog ENABLE TRIGGER {TRIGGER}")

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_auditlog_table_rename")]

    operations = [
        migrations.RunPython(
            _rename(RENAMED), _rename({new: old for old, new in RENAMED.items()})
        ),
    ]
