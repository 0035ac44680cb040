"""Moving the audit log from screener to audit keeps every row, renames the actions, and keeps the
log append-only.

Django's own MigrationExecutor drives the database back to where screener held the model and
forward again: one migration test needs nothing more than that (no extra test dependency).
"""

import os
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from screener.roles import DATA_ADMINISTRATOR

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("screener", "0007_review_decision_reopen")]

# (action as written before the move, as it reads after)
WRITTEN_BEFORE = [
    ("lookup.submitted", Action.LOOKUP_SUBMITTED),
    ("lookup.viewed", Action.LOOKUP_VIEWED),
    ("lookups.anonymized", Action.LOOKUP_ANONYMIZED),
    ("review.confirm", Action.REVIEW_CONFIRMED),
    ("review.reject", Action.REVIEW_REJECTED),
    ("review.more_info", Action.REVIEW_MORE_INFO_REQUESTED),
    ("review.reopened", Action.REVIEW_REOPENED),
    ("notification.resent", Action.NOTIFICATION_RESENT),
    ("notifications.suppressed", Action.SUPPRESSION_ADDED),
    ("notifications.unsuppressed", Action.SUPPRESSION_REMOVED),
    ("case.searched", Action.CASE_SEARCHED),
    ("cases.import_uploaded", Action.IMPORT_UPLOADED),
    ("cases.imported", Action.IMPORT_COMPLETED),
    ("cases.import_dry_run", Action.IMPORT_DRY_RUN_COMPLETED),
    ("cases.screening_uploaded", Action.SCREENING_UPLOADED),
    ("cases.screening_exported", Action.SCREENING_DOWNLOADED),
]


def migrate(targets=None):
    """Migrate to `targets` (the latest migrations when None); the historical apps there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_move():
    apps = migrate(BEFORE_THE_MOVE)
    try:
        yield apps
    finally:
        migrate()  # whatever the test did, the database ends at the latest migrations


def write_rows_before_the_move(apps) -> tuple[list[int], int]:
    """Rows as screener wrote them, and a user granted screener.view_auditlog directly."""
    OldAuditLog = apps.get_model("screener", "AuditLog")
    OldUser = apps.get_model("auth", "User")
    Permission = apps.get_model("auth", "Permission")
    auditor = OldUser.objects.create(username="ana.auditor", is_staff=True)
    auditor.user_permissions.add(
        Permission.objects.get(content_type__app_label="screener", codename="view_auditlog")
    )
    ids = []
    for n, (old_action, _new) in enumerate(WRITTEN_BEFORE):
        row = OldAuditLog.objects.create(
            actor=auditor,
            actor_label="ana.auditor",
            action=old_action,
            object_type="screener.lookup",
            object_id=str(n),
            summary=f"row {n}",
            detail={"n": n},
            ip_address="192.0.2.7",
        )
        ids.append(row.pk)
    return ids, auditor.pk


def test_rows_written_before_the_move_are_there_after_it_with_their_new_names(
    before_the_move,
):
    ids, auditor_id = write_rows_before_the_move(before_the_move)
    written_at = timezone.now()

    migrate()

    rows = list(AuditLog.objects.filter(pk__in=ids).order_by("pk"))
    assert [row.pk for row in rows] == ids
    assert [row.action for row in rows] == [new for _old, new in WRITTEN_BEFORE]
    for n, row in enumerate(rows):
        assert (row.actor_id, row.actor_label, row.object_type, row.object_id) == (
            auditor_id,
            "ana.auditor",
            "screener.lookup",
            str(n),
        )
        assert (row.summary, row.detail, row.ip_address) == (f"row {n}", {"n": n}, "192.0.2.7")
        assert written_at - timedelta(minutes=5) < row.created_at <= written_at
    # New rows continue the same id sequence.
    assert AuditLog.objects.create(action=Action.LOOKUP_VIEWED).pk > max(ids)


def test_the_permission_to_read_the_log_moves_with_whoever_held_it(before_the_move):
    _ids, auditor_id = write_rows_before_the_move(before_the_move)

    migrate()

    assert not ContentType.objects.filter(app_label="screener", model="auditlog").exists()
    auditor = User.objects.get(pk=auditor_id)
    assert auditor.has_perm("audit.view_auditlog")
    assert not auditor.has_perm("screener.view_auditlog")
    administrators = Group.objects.get(name=DATA_ADMINISTRATOR)
    held = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in administrators.permissions.filter(codename="view_auditlog")
    }
    assert held == {"audit.view_auditlog"}


def on_postgresql_only() -> None:
    """Skip on SQLite; in the PostgreSQL pass (REQUIRE_INTEGRATION=1) a skip would hide a gap."""
    if connection.vendor == "postgresql":
        return
    if os.environ.get("REQUIRE_INTEGRATION") == "1":
        pytest.fail("the PostgreSQL pass runs on another database: the trigger went untested")
    pytest.skip("the append-only trigger is PostgreSQL's")


def test_after_the_move_postgresql_still_refuses_changes_to_old_rows(before_the_move):
    on_postgresql_only()
    ids, _auditor_id = write_rows_before_the_move(before_the_move)

    migrate()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditlog'::regclass "
            "AND NOT tgisinternal AND tgenabled = 'O'"
        )
        assert sorted(name for (name,) in cursor.fetchall()) == [
            "audit_auditlog_append_only",
            "audit_auditlog_no_truncate",
        ]
    for statement in (
        "UPDATE audit_auditlog SET action = 'x'",
        "DELETE FROM audit_auditlog",
    ):
        with (
            pytest.raises(Exception, match="cannot be changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditLog.objects.filter(pk__in=ids).count() == len(WRITTEN_BEFORE)
