"""What the importer and the admin uploads do with bad input: names without letters or with hidden
characters are rejected with a reason, an unreadable header or a 200 KB field ends the run FAILED
with a specific reason, and uploads are private and size-limited."""

import os
import stat
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.importer.extract import RowError
from cases.importer.pipeline import cases_import, cases_import_file
from cases.models import Case, ImportRun, ScreeningRun
from cases.screening import query_parse
from cases.tasks import import_cases_task
from tests.cases.test_import import GOOD, OTHER, write_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("!!!", "first name has no letters"),
        ("JO\u202eSE", "first name contains an invisible formatting character"),
        ("JO\x1bSE", "first name contains a control character"),
        ("JO\ue001SE", "first name contains a private-use or unassigned character"),
        ("=CMD()", "first name starts like a spreadsheet formula"),
        ("@SUM(A1)", "first name starts like a spreadsheet formula"),
    ],
)
def test_a_name_that_cannot_be_a_name_rejects_its_row_with_a_reason(name, reason):
    run = cases_import(rows=[{**GOOD, "first_name": name}, OTHER], file_name="x.csv")
    assert run.rejected_count == 1 and run.created_count == 1
    assert reason in run.rejected_rows[0]["reason"]
    assert name not in run.rejected_rows[0]["reason"]


def test_an_alias_with_a_hidden_character_rejects_its_row():
    run = cases_import(rows=[{**GOOD, "aliases": "PEPE\u200bGARCIA"}], file_name="x.csv")
    assert "an alias contains an invisible formatting character" in run.rejected_rows[0]["reason"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("first_name", "😀", "first_name has no letters"),
        ("last_name", "LO\u202ePEZ", "last_name contains an invisible formatting character"),
        ("middle_name", "\x00X", "middle_name contains a control character"),
    ],
)
def test_a_screening_row_with_such_a_name_gets_an_error_outcome(field, value, reason):
    row = {"query_id": "1", "first_name": "ANA", "last_name": "RUIZ", "date_of_birth": "1980-01-02"}
    with pytest.raises(RowError, match=reason):
        query_parse({**row, field: value})


def test_an_oversized_header_ends_the_run_failed_with_the_reason(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("case_number," + "x" * 200_000 + "\nKA1,A\n", encoding="utf-8")
    run = cases_import_file(path=path)
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "the header row cannot be read: a field is longer than 131,072 characters"


def test_an_uploaded_file_with_an_oversized_header_does_not_stay_running(admin_user):
    content = ("case_number," + "x" * 200_000 + "\n").encode()
    run = ImportRun.objects.create(
        file_name="x.csv",
        upload=ContentFile(content, name="x.csv"),
        source=ImportRun.Source.ADMIN,
        started_by=admin_user,
    )
    assert import_cases_task(run.pk) == ImportRun.Status.FAILED
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and "header row cannot be read" in run.error
    assert run.finished_at is not None


def test_a_200_kb_field_ends_the_run_with_its_line_and_keeps_the_rows_before(tmp_path):
    path = write_csv(tmp_path / "big.csv", [GOOD, {**OTHER, "aliases": "A" * 200_000}])
    run = cases_import_file(path=path)
    assert run.status == ImportRun.Status.FAILED
    assert run.error == (
        "line 3: a field is longer than 131,072 characters; the rows from there on were not "
        "imported"
    )
    assert "unexpected" not in run.error
    assert list(Case.objects.values_list("case_number", flat=True)) == [GOOD["case_number"]]


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def upload_extract(admin_client, content: bytes, name="extract.csv"):
    return admin_client.post(
        reverse("admin:cases_importrun_add"),
        {
            "upload": SimpleUploadedFile(name, content, content_type="text/csv"),
            "default_batch": "",
            "column_map_text": "",
        },
    )


def test_uploads_are_kept_outside_the_media_root_readable_by_the_service_only(
    admin_client, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    write_csv(tmp_path / "e.csv", [GOOD])
    with django_capture_on_commit_callbacks(execute=True):
        upload_extract(admin_client, (tmp_path / "e.csv").read_bytes())
    run = ImportRun.objects.get()
    stored = Path(run.upload.path)
    assert stored.is_relative_to(settings.PRIVATE_UPLOAD_ROOT)
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert _mode(stored) == 0o600
    assert _mode(stored.parent) == 0o700
    with pytest.raises(ValueError, match="no URL"):
        run.upload.url  # noqa: B018
    page = admin_client.get(reverse("admin:cases_importrun_change", args=[run.pk])).content
    assert settings.MEDIA_URL.encode() not in page


def test_screening_files_and_results_are_private_too(settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    run = ScreeningRun.objects.create(input_file=ContentFile(b"query_id\n", name="q.csv"))
    run.output_file.save("r.csv", ContentFile(b"x"), save=True)
    for field in (run.input_file, run.output_file):
        assert Path(field.path).is_relative_to(settings.PRIVATE_UPLOAD_ROOT)
        assert _mode(field.path) == 0o600


def test_an_upload_over_the_size_limit_is_refused_with_its_size(admin_client, settings):
    settings.UPLOAD_MAX_MEGABYTES = 1
    response = upload_extract(admin_client, b"case_number\n" + b"x" * (3 * 1024 * 1024))
    text = response.content.decode()
    assert "This file is 3 MB; the largest file taken is 1 MB." in text
    assert not ImportRun.objects.exists()
    screening = admin_client.post(
        reverse("admin:cases_screeningrun_add"),
        {"input_file": SimpleUploadedFile("q.csv", b"x" * (2 * 1024 * 1024))},
    )
    assert "the largest file taken is 1 MB" in screening.content.decode()
    assert settings.UPLOAD_MAX_MEGABYTES == 1
