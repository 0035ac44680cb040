"""Reviewers and data administrators may read the eligibility check's anonymous counts."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from screener.roles import roles_ensure

    roles_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("screener", "0009_staff_roles_audit_app"),
        ("eligibility", "0001_determination_counts"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
