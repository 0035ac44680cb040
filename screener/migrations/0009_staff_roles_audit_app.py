"""Data administrators read the audit log as audit.view_auditlog (the model moved to audit)."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from screener.roles import roles_ensure

    roles_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("screener", "0008_auditlog_moved_to_audit"),
        ("audit", "0002_auditlog_table_rename"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
