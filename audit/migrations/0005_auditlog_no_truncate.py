"""On PostgreSQL, refuse TRUNCATE of the audit log too (the row trigger of 0002 does not fire on
TRUNCATE, which empties the table in one statement).

The test runner empties every table with TRUNCATE between transactional tests; it says so with
the session setting `audit.allow_truncate = on` (tests/conftest.py). That is no way around the
trigger for the application: its database role may not TRUNCATE the table at all
(docs/database-roles.md), and the owner, who may, could drop the trigger anyway. The trigger
stops the owner's mistakes, such as `manage.py flush` on the wrong database.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_auditlog_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('audit.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log cannot be truncated';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditlog_no_truncate
    BEFORE TRUNCATE ON audit_auditlog
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditlog_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_auditlog_no_truncate ON audit_auditlog;
DROP FUNCTION IF EXISTS audit_auditlog_no_truncate();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_auditlog_hash_chain")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
