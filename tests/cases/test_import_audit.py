"""Imports, uploads and result downloads leave audit rows (who, what, from where)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditLog
from cases.importer.pipeline import cases_import
from cases.models import ImportRun, ScreeningRun
from tests.cases.test_admin_import import demo_csv
from tests.cases.test_screen_csv import QUERIES

pytestmark = pytest.mark.django_db


ROW = {
    "case_number": "BA123456",
    "last_name": "LOPEZ",
    "first_name": "ANA",
    "date_of_birth": "1970-01-01",
    "charge_codes": "HS 11357(a)",
    "conviction_date": "1990-01-01",
    "batch": "DOJ-AB1793-2020",
    "relief": "dismissed_and_sealed",
}


def test_a_finished_import_is_audited_with_its_counts(admin_user):
    run = cases_import(rows=[ROW], file_name="extract.csv", started_by=admin_user)
    entry = AuditLog.objects.get(action=Action.IMPORT_COMPLETED)
    assert entry.actor == admin_user
    assert entry.object_id == str(run.pk)
    assert "1 created" in entry.summary
    assert "LOPEZ" not in entry.summary


def test_a_dry_run_is_audited_as_such():
    run = cases_import(rows=[ROW], file_name="extract.csv", dry_run=True)
    assert AuditLog.objects.get(action=Action.IMPORT_DRY_RUN_COMPLETED).object_id == str(run.pk)
    assert not AuditLog.objects.filter(action=Action.IMPORT_COMPLETED).exists()


def test_an_admin_upload_records_who_uploaded_it_and_from_where(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:cases_importrun_add"),
            {
                "upload": SimpleUploadedFile("extract.csv", demo_csv(10), content_type="text/csv"),
                "default_batch": "",
                "column_map_text": "",
            },
            REMOTE_ADDR="203.0.113.9",
        )
    run = ImportRun.objects.get()
    uploaded = AuditLog.objects.get(action=Action.IMPORT_UPLOADED)
    assert (uploaded.actor, uploaded.object_id) == (admin_user, str(run.pk))
    assert uploaded.ip_address == "203.0.113.9"
    assert AuditLog.objects.filter(action=Action.IMPORT_COMPLETED, object_id=str(run.pk)).exists()


def test_downloading_screening_results_is_audited_as_an_export(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    queries = SimpleUploadedFile("queries.csv", QUERIES.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:cases_screeningrun_add"), {"input_file": queries})
    run = ScreeningRun.objects.get()
    assert AuditLog.objects.filter(action=Action.SCREENING_UPLOADED).exists()

    admin_client.get(reverse("admin:cases_screeningrun_results", args=[run.pk]))

    exported = AuditLog.objects.get(action=Action.SCREENING_DOWNLOADED)
    assert (exported.actor, exported.object_id) == (admin_user, str(run.pk))
