"""The audit chain: each row carries the previous row's hash; `verify_audit` finds an edited or
removed row, also one edited behind the application's back on PostgreSQL."""

import hashlib
import threading
import time
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from audit.actions import Action
from audit.chain import CHAINED_FIELDS, chain_verify, entry_hash
from audit.models import AuditLog
from audit.services import audit_record

POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
TRIGGER = "audit_auditlog_append_only"


def three_rows() -> list[AuditLog]:
    return [
        audit_record(actor=None, action=Action.LOOKUP_SUBMITTED, summary=f"row {n}")
        for n in range(3)
    ]


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=out)
    return out.getvalue()


def verify_fails() -> str:
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=out, stderr=out)
    return f"{out.getvalue()}\n{failure.value}"


def raw_sql(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The owner, behind the application's back: the trigger is switched off.
            cursor.execute(f"ALTER TABLE audit_auditlog DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_auditlog ENABLE TRIGGER {TRIGGER}")


@pytest.mark.django_db
def test_each_row_links_to_the_one_before():
    first, second, third = three_rows()
    assert first.prev_hash == ""
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    stored = AuditLog.objects.values("entry_hash", *CHAINED_FIELDS).get(pk=third.pk)
    assert entry_hash(stored) == third.entry_hash


@pytest.mark.django_db
def test_an_intact_log_verifies():
    three_rows()
    assert "audit chain intact: 3 rows" in verify()


# Committed first: PostgreSQL will not alter a table with this transaction's pending checks.
@pytest.mark.django_db(transaction=True)
def test_a_row_edited_in_the_database_is_found():
    rows = three_rows()
    raw_sql("UPDATE audit_auditlog SET summary = %s WHERE id = %s", ["nothing here", rows[1].pk])
    report = verify_fails()
    assert f"row {rows[1].pk} was changed after it was written" in report


# Committed first: PostgreSQL will not alter a table with this transaction's pending checks.
@pytest.mark.django_db(transaction=True)
def test_a_removed_row_is_found_by_the_next_ones_link():
    rows = three_rows()
    raw_sql("DELETE FROM audit_auditlog WHERE id = %s", [rows[1].pk])
    report = verify_fails()
    assert f"the row before row {rows[2].pk} was removed" in report


# Committed first: PostgreSQL will not alter a table with this transaction's pending checks.
@pytest.mark.django_db(transaction=True)
def test_a_rebuilt_hash_without_the_key_does_not_pass():
    rows = three_rows()
    forged = hashlib.sha256(b"anything").hexdigest()
    raw_sql(
        "UPDATE audit_auditlog SET summary = %s, entry_hash = %s WHERE id = %s",
        ["edited", forged, rows[2].pk],
    )
    assert f"row {rows[2].pk} was changed" in verify_fails()


def test_the_chain_check_is_a_pure_function_over_rows():
    base = {
        "created_at": datetime(2026, 1, 2, tzinfo=UTC),
        "actor_id": None,
        "actor_label": "system",
        "action": "lookup.submitted",
        "object_type": "",
        "object_id": "",
        "summary": "x",
        "detail": {"b": 1, "a": [1, 2]},
        "ip_address": "2001:db8::1",
    }
    first = {**base, "id": 1, "prev_hash": ""}
    first["entry_hash"] = entry_hash(first)
    second = {**base, "id": 2, "prev_hash": first["entry_hash"], "summary": "y"}
    second["entry_hash"] = entry_hash(second)
    assert list(chain_verify([first, second])) == []
    # The address as the database prints it, zeros written out, is the same address.
    reprinted = {**second, "ip_address": "2001:0db8:0000::0001"}
    assert list(chain_verify([first, reprinted])) == []
    assert [str(b) for b in chain_verify([second])] == [
        "the row before row 2 was removed or changed (its link does not match)"
    ]


@pytest.mark.integration
@pytest.mark.skipif(not POSTGRESQL, reason="the trigger and the lock are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain_on_postgresql():
    errors = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=None, action=Action.LOOKUP_CHECKED, summary=f"{n}/{i}")
                    # Held a moment past the append, so the other writers wait on the lock
                    # while this row is uncommitted: each must then link to it, not to the
                    # row before it that its own statement's snapshot might have shown.
                    time.sleep(0.01)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditLog.objects.count() == 40
    assert "audit chain intact: 40 rows" in verify()


@pytest.mark.integration
@pytest.mark.skipif(not POSTGRESQL, reason="the trigger is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_on_postgresql():
    audit_record(actor=None, action=Action.LOOKUP_CHECKED, summary="kept")
    with connection.cursor() as cursor:
        cursor.execute("RESET audit.allow_truncate")
        try:
            with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic():
                cursor.execute("TRUNCATE audit_auditlog")
        finally:
            cursor.execute("SET audit.allow_truncate = 'on'")
    assert AuditLog.objects.filter(summary="kept").exists()
