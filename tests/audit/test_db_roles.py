"""The owner/application split on PostgreSQL: `migrate` runs as the owner (DATABASE_MIGRATE_URL)
and leaves the application's role able only to INSERT and SELECT on the audit log.

The application's role comes from TEST_DATABASE_APP_URL: a login role with no privileges of its
own (.ci/run creates it). The test connects as that role to the test database and tries what an
attacker who took over the application would try.
"""

import os

import environ
import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from audit.actions import Action
from audit.models import AuditLog
from audit.services import audit_record

POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not POSTGRESQL, reason="database roles are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


def app_role() -> dict:
    url = os.environ.get("TEST_DATABASE_APP_URL")
    if not url:
        if os.environ.get("REQUIRE_INTEGRATION") == "1":
            pytest.fail("TEST_DATABASE_APP_URL is not set: the role split went untested")
        pytest.skip("TEST_DATABASE_APP_URL names no application role")
    return environ.Env.db_url_config(url)


def owner_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def migrate_as_owner_for(role: dict) -> None:
    """`manage.py migrate` with DATABASE_URL naming the application's role, as in production."""
    saved = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    owner = owner_url()
    connection.close()
    connection.settings_dict.update(USER=role["USER"], PASSWORD=role["PASSWORD"])
    try:
        with override_settings(DATABASE_MIGRATE_URL=owner):
            call_command("migrate", verbosity=0, interactive=False)
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def as_application(role: dict):
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"],
        port=s["PORT"] or 5432,
        dbname=s["NAME"],
        user=role["USER"],
        password=role["PASSWORD"],
        autocommit=True,
    )


def test_the_application_role_may_only_insert_and_read_the_audit_log():
    role = app_role()
    audit_record(actor=None, action=Action.LOOKUP_CHECKED, summary="written before")
    migrate_as_owner_for(role)

    with as_application(role) as app:
        app.execute(
            "INSERT INTO audit_auditlog (actor_label, action, object_type, object_id, summary, "
            "detail, created_at, prev_hash, entry_hash) "
            "VALUES ('system', 'lookup.checked', '', '', 'by the app', '{}', now(), '', '')"
        )
        assert app.execute("SELECT count(*) FROM audit_auditlog").fetchone()[0] == 2
        refused = [
            "UPDATE audit_auditlog SET summary = 'rewritten'",
            "DELETE FROM audit_auditlog",
            "TRUNCATE audit_auditlog",
            "DROP TABLE audit_auditlog",
            "DROP TRIGGER audit_auditlog_append_only ON audit_auditlog",
            "DROP TRIGGER audit_auditlog_no_truncate ON audit_auditlog",
            "ALTER TABLE audit_auditlog DISABLE TRIGGER ALL",
            "DROP FUNCTION audit_auditlog_append_only()",
        ]
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        # The rest of the application works as before: it reads and writes its other tables.
        app.execute("UPDATE screener_lookup SET language = language")
        app.execute("DELETE FROM django_session WHERE expire_date < now()")

    assert AuditLog.objects.filter(summary="written before").exists()
    assert AuditLog.objects.count() == 2


def test_without_a_migrate_url_migrate_runs_as_the_one_role():
    with override_settings(DATABASE_MIGRATE_URL=""):
        call_command("migrate", verbosity=0, interactive=False)
    audit_record(actor=None, action=Action.LOOKUP_CHECKED, summary="still writable")
