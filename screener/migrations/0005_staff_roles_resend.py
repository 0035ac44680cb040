"""Reviewers may resend a failed notification (screener.change_notification)."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from screener.roles import roles_ensure

    roles_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("screener", "0004_auditlog_append_only")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
