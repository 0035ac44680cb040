"""Uploaded extracts, screening files and results are deleted UPLOAD_RETENTION_DAYS after their
run, by the beat job; the runs, their counts and the cases they loaded remain."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from cases.models import ImportRun, ScreeningRun
from cases.tasks import delete_expired_uploads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    settings.UPLOAD_RETENTION_DAYS = 30


def finished(days_ago: int) -> dict:
    return {"finished_at": timezone.now() - timedelta(days=days_ago)}


def test_files_of_runs_past_the_limit_are_deleted_and_the_runs_kept():
    old_import = ImportRun.objects.create(
        file_name="x.csv",
        upload=ContentFile(b"case_number\n", name="x.csv"),
        status=ImportRun.Status.SUCCEEDED,
        created_count=7,
        **finished(31),
    )
    old_screening = ScreeningRun.objects.create(
        input_file=ContentFile(b"query_id\n", name="q.csv"),
        status=ScreeningRun.Status.SUCCEEDED,
        **finished(40),
    )
    old_screening.output_file.save("r.csv", ContentFile(b"results"), save=True)
    recent = ImportRun.objects.create(
        file_name="y.csv",
        upload=ContentFile(b"case_number\n", name="y.csv"),
        status=ImportRun.Status.SUCCEEDED,
        **finished(2),
    )
    paths = [Path(old_import.upload.path), Path(old_screening.input_file.path)]
    paths.append(Path(old_screening.output_file.path))

    assert delete_expired_uploads() == 3

    assert not any(path.exists() for path in paths)
    old_import.refresh_from_db()
    old_screening.refresh_from_db()
    assert (old_import.upload.name, old_import.created_count) == ("", 7)
    assert (old_screening.input_file.name, old_screening.output_file.name) == ("", "")
    assert Path(recent.upload.path).exists()
    assert AuditLog.objects.filter(action=Action.UPLOAD_DELETED).count() == 2
    # Running again finds nothing more to delete.
    assert delete_expired_uploads() == 0


def test_a_run_still_pending_keeps_its_file_until_the_limit():
    pending = ImportRun.objects.create(
        file_name="p.csv",
        upload=ContentFile(b"case_number\n", name="p.csv"),
        status=ImportRun.Status.PENDING,
    )
    assert delete_expired_uploads() == 0
    ImportRun.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert delete_expired_uploads() == 1


def test_beat_deletes_expired_uploads():
    assert (
        settings.CELERY_BEAT_SCHEDULE["delete-expired-uploads"]["task"]
        == "cases.tasks.delete_expired_uploads"
    )
