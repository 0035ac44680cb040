"""Two database roles on PostgreSQL: an owner that runs migrations, and the application's role.

The application (web, worker, beat) connects with DATABASE_URL as a role that owns nothing: it
may read and write the tables, but on the audit log only SELECT and INSERT. Not owning the
table, it cannot drop it, alter it or its triggers, or disable them; without UPDATE, DELETE and
TRUNCATE it cannot rewrite history even with raw SQL. `manage.py migrate` connects with
DATABASE_MIGRATE_URL (the owner) and grants the application's role its privileges afterwards.
See docs/database-roles.md.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLE = "audit_auditlog"


def application_role_grant(connection: BaseDatabaseWrapper, *, role: str) -> None:
    """Give `role` what the application needs on every table, and no more on the audit log.

    Run by the owner after every migration, so that tables a migration created are covered.
    """
    if connection.vendor != "postgresql":
        return
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        statements = (
            f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
            f"REVOKE ALL ON {AUDIT_TABLE} FROM {quoted}",
            f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {quoted}",
        )
        for statement in statements:
            cursor.execute(statement)
