"""On PostgreSQL, refuse UPDATE and DELETE on the audit log in the database itself.

SQLite (the embedded default for development and tests) relies on the model and queryset guards:
a trigger there would also stop the test runner's table flush, which PostgreSQL does with
TRUNCATE (not a row operation, so the trigger does not fire).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION screener_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER screener_auditlog_append_only
    BEFORE UPDATE OR DELETE ON screener_auditlog
    FOR EACH ROW EXECUTE FUNCTION screener_auditlog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS screener_auditlog_append_only ON screener_auditlog;
DROP FUNCTION IF EXISTS screener_auditlog_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("screener", "0003_staff_roles")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
