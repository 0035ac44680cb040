"""Reviewers and outreach workers may record that they checked a person's photo ID or call."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from screener.roles import roles_ensure

    roles_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("screener", "0014_identity_safe_answers")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
