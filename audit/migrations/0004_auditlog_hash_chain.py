"""Each audit row carries the keyed hash of the row before it and its own (audit/chain.py).

created_at is now given by the application (the hash covers it) instead of auto_now_add; the
column is unchanged. Rows already written are chained in id order. On PostgreSQL the
append-only trigger is disabled for that one statement per row, inside this migration's
transaction, as in 0003: ALTER TABLE's lock keeps every other session from writing meanwhile.
"""

import django.utils.timezone
from django.db import migrations, models

TRIGGER = "audit_auditlog_append_only"


def chain_existing(apps, schema_editor):
    from audit.chain import CHAINED_FIELDS, entry_hash

    AuditLog = apps.get_model("audit", "AuditLog")
    rows = AuditLog.objects.using(schema_editor.connection.alias).order_by("pk")
    if not rows.exists():
        return
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE audit_auditlog DISABLE TRIGGER {TRIGGER}")
    previous = ""
    for row in rows.iterator():
        row.prev_hash = previous
        row.entry_hash = entry_hash({name: getattr(row, name) for name in CHAINED_FIELDS})
        # The historical model has Django's plain manager and save(): no guard here.
        AuditLog.objects.using(schema_editor.connection.alias).filter(pk=row.pk).update(
            prev_hash=row.prev_hash, entry_hash=row.entry_hash
        )
        previous = row.entry_hash
    if postgresql:
        schema_editor.execute(f"ALTER TABLE audit_auditlog ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_action_names")]

    operations = [
        migrations.AlterField(
            model_name="auditlog",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="entry_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
