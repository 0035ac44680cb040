"""The backup and restore commands of docs/operations.md, run against PostgreSQL."""

import datetime
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from screener.models import Lookup
from screener.services import LookupDetails, lookup_submit
from tests.test_faults_integration import database_url

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)


@pytest.fixture
def empty_database():
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and its client tools")
    source = database_url()
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = source.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield source.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_and_never_over_data(empty_database, tmp_path):
    lookup, _ = lookup_submit(
        details=LookupDetails(
            first_name="Copia",
            last_name="Respaldo",
            date_of_birth=datetime.date(1981, 2, 3),
            email="backup@example.org",
        )
    )
    dump = tmp_path / "reliefcheck.dump"

    backup = run("scripts/db_backup.sh", database_url(), str(dump))
    assert backup.returncode == 0, backup.stderr
    restore = run("scripts/db_restore.sh", empty_database, str(dump))
    assert restore.returncode == 0, restore.stderr

    with psycopg.connect(empty_database) as conn:
        restored = conn.execute(
            "SELECT reference, email FROM screener_lookup WHERE id = %s", [lookup.pk]
        ).fetchone()
        audit_rows = conn.execute("SELECT count(*) FROM audit_auditlog").fetchone()[0]
    assert restored == (lookup.reference, "backup@example.org")
    assert audit_rows >= 1
    assert Lookup.objects.filter(pk=lookup.pk).exists()

    again = run("scripts/db_restore.sh", empty_database, str(dump))
    assert again.returncode == 1
    assert "refusing" in again.stderr
