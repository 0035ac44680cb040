"""An extract uploaded in the admin is imported by the real worker into the real database."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.demo import demo_rows, demo_write_csv, generate_people
from cases.models import Case, ImportRun
from tests.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_an_uploaded_extract_is_imported_by_the_worker(real_worker, admin_client):
    out = io.StringIO()
    demo_write_csv(demo_rows(generate_people(case_count=400, seed=31)), out)
    upload = SimpleUploadedFile("worker.csv", out.getvalue().encode(), content_type="text/csv")

    response = admin_client.post(
        reverse("admin:cases_importrun_add"),
        {"upload": upload, "default_batch": "", "column_map_text": ""},
    )

    assert response.status_code == 302
    run = ImportRun.objects.get()

    def finished():
        run.refresh_from_db()
        return run.status not in (ImportRun.Status.PENDING, ImportRun.Status.RUNNING)

    wait_for(finished, timeout=60)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_processed, run.created_count) == (400, 400)
    assert Case.objects.filter(import_run=run).count() == 400
