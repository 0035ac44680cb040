"""The audit log's table becomes audit_auditlog; its append-only trigger and its permissions follow.

- Table: renamed in place, rows and ids untouched.
- Trigger (PostgreSQL): a trigger belongs to the table, not to its name, so it already follows the
  rename; it is recreated under the audit app's name so that the name says where it lives, and
  so that this migration guarantees it exists afterwards. Function and trigger are swapped in the
  same transaction as the rename: there is no moment without one.
- Content type: screener.auditlog becomes audit.auditlog, so its permissions (view_auditlog and
  the others) and every group or user holding them carry over as audit.view_auditlog.
"""

from django.db import migrations

OLD_TRIGGER = "screener_auditlog_append_only"
NEW_TRIGGER = "audit_auditlog_append_only"

CREATE = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name}
    BEFORE UPDATE OR DELETE ON audit_auditlog
    FOR EACH ROW EXECUTE FUNCTION {name}();
"""
DROP = """
DROP TRIGGER IF EXISTS {name} ON audit_auditlog;
DROP FUNCTION IF EXISTS {name}();
"""


def _trigger_rename(old: str, new: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(DROP.format(name=old))
            schema_editor.execute(CREATE.format(name=new))

    return run


def _content_type_move(old_app: str, new_app: str):
    def run(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        old = ContentType.objects.using(db).filter(app_label=old_app, model="auditlog").first()
        if old is None:
            return  # permissions not created yet (a fresh database creates them later)
        # A content type under the new name exists only if a partial `migrate` ran post_migrate
        # between 0001 and this one; its permissions are then fresh copies nobody was given.
        ContentType.objects.using(db).filter(app_label=new_app, model="auditlog").delete()
        old.app_label = new_app
        old.save(update_fields=["app_label"])
        ContentType.objects.clear_cache()

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="auditlog", table=None),
        migrations.RunPython(
            _trigger_rename(OLD_TRIGGER, NEW_TRIGGER), _trigger_rename(NEW_TRIGGER, OLD_TRIGGER)
        ),
        migrations.RunPython(
            _content_type_move("screener", "audit"), _content_type_move("audit", "screener")
        ),
    ]
