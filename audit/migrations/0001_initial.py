"""The audit log, taken over from screener (screener/migrations/0008): state only.

The table is still screener_auditlog here; 0002 renames it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("screener", "0008_auditlog_moved_to_audit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("actor_label", models.CharField(blank=True, max_length=150)),
                        ("action", models.CharField(db_index=True, max_length=40)),
                        ("object_type", models.CharField(blank=True, max_length=40)),
                        ("object_id", models.CharField(blank=True, max_length=40)),
                        ("summary", models.CharField(blank=True, max_length=300)),
                        ("detail", models.JSONField(blank=True, default=dict)),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "audit log entry",
                        "verbose_name_plural": "audit log",
                        "ordering": ["-created_at"],
                        "db_table": "screener_auditlog",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
