"""Data administrators no longer hold cases.change_case: cases change only through imports."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from screener.roles import roles_ensure

    roles_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("screener", "0005_staff_roles_resend")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
