"""The audit log moves to the audit app: screener forgets the model, the table stays.

audit/migrations/0001_initial takes the model over in state and 0002 renames the table, so no row
is copied or lost.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("screener", "0007_review_decision_reopen")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditLog")],
            database_operations=[],
        ),
    ]
