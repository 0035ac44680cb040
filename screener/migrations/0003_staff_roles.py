"""Staff roles as groups: Reviewer, Outreach worker, Data administrator (see screener/roles.py)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from screener.roles import roles_ensure

    roles_ensure(apps=apps)


def remove_roles(apps, schema_editor):
    from screener.roles import roles_remove

    roles_remove(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cases", "0001_initial"),
        ("screener", "0002_review_permissions_and_queue"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
