import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.demo import demo_rows, demo_write_csv, generate_people
from cases.importer.pipeline import cases_import
from cases.models import Case, DismissalBatch, ImportRun
from cases.tasks import import_cases_task

pytestmark = pytest.mark.django_db


def demo_csv(count: int, seed: int = 21, drop_batch: bool = False) -> bytes:
    out = io.StringIO()
    rows = demo_rows(generate_people(case_count=count, seed=seed))
    if drop_batch:
        rows = ({**row, "batch": ""} for row in rows)
    demo_write_csv(rows, out)
    return out.getvalue().encode()


def upload(admin_client, content: bytes, **fields):
    data = {
        "upload": SimpleUploadedFile("extract.csv", content, content_type="text/csv"),
        "default_batch": "",
        "column_map_text": "",
        **fields,
    }
    return admin_client.post(reverse("admin:cases_importrun_add"), data)


def test_staff_upload_runs_the_importer_as_a_task_after_commit(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(admin_client, demo_csv(300))

    assert response.status_code == 302
    assert len(callbacks) == 1
    run = ImportRun.objects.get()
    assert run.source == ImportRun.Source.ADMIN
    assert run.started_by == admin_user
    assert run.file_name == "extract.csv"
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_read, run.rows_processed, run.created_count) == (300, 300, 300)
    assert len(run.checksum) == 64
    assert Case.objects.filter(import_run=run).count() == 300


def test_upload_options_reach_the_importer(admin_client, django_capture_on_commit_callbacks):
    batch = DismissalBatch.objects.get(slug="LASC-REVIEW-2022")
    content = demo_csv(20, drop_batch=True).replace(b"date_of_birth", b"DOB", 1)

    with django_capture_on_commit_callbacks(execute=True):
        upload(
            admin_client,
            content,
            default_batch=batch.pk,
            column_map_text="DOB=date_of_birth\n",
            dry_run="on",
        )

    run = ImportRun.objects.get()
    assert run.column_map == {"DOB": "date_of_birth"}
    assert run.dry_run is True
    assert run.default_batch == batch
    assert (run.status, run.created_count) == (ImportRun.Status.SUCCEEDED, 20)
    assert not Case.objects.exists()


def test_a_bad_column_map_is_refused_by_the_form(admin_client):
    response = upload(admin_client, demo_csv(5), column_map_text="just words")

    assert response.status_code == 200
    assert "source=target" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_import_task_does_nothing_for_a_finished_or_running_run(admin_user):
    run = ImportRun.objects.create(
        file_name="x.csv",
        upload=ContentFile(demo_csv(10), name="x.csv"),
        source=ImportRun.Source.ADMIN,
    )
    assert import_cases_task(run.pk) == ImportRun.Status.SUCCEEDED

    assert import_cases_task(run.pk) == "skipped"
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now()
    )
    assert import_cases_task(run.pk) == "skipped"
    assert Case.objects.count() == 10


def test_a_run_left_running_by_a_lost_worker_is_taken_over():
    run = ImportRun.objects.create(
        file_name="x.csv",
        upload=ContentFile(demo_csv(10), name="x.csv"),
        source=ImportRun.Source.ADMIN,
        status=ImportRun.Status.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
    )

    assert import_cases_task(run.pk) == ImportRun.Status.SUCCEEDED


def test_a_run_whose_upload_is_gone_fails_with_a_reason():
    run = ImportRun.objects.create(
        file_name="x.csv", upload="imports/missing.csv", source=ImportRun.Source.ADMIN
    )

    assert import_cases_task(run.pk) == ImportRun.Status.FAILED

    run.refresh_from_db()
    assert run.error == "the uploaded file could not be read"


def test_the_run_page_shows_progress_counts_and_rejected_rows_readably(admin_client):
    rows = list(demo_rows(generate_people(case_count=3, seed=1)))
    rows[1] = {**rows[1], "relief": "pardoned"}
    run = cases_import(rows=rows, file_name="partial.csv")

    page = admin_client.get(reverse("admin:cases_importrun_change", args=[run.pk])).content

    text = page.decode()
    assert "3 rows processed" in text
    assert "Completed with rejected rows" in text
    assert "<td>3</td><td>unknown relief &#x27;pardoned&#x27;" in text
    listing = admin_client.get(reverse("admin:cases_importrun_changelist")).content.decode()
    assert "partial.csv" in listing


def test_import_runs_are_a_read_only_record(admin_client):
    run = cases_import(rows=list(demo_rows(generate_people(case_count=2, seed=1))), file_name="a")

    response = admin_client.post(
        reverse("admin:cases_importrun_change", args=[run.pk]), {"file_name": "changed"}
    )
    assert response.status_code == 403
    delete = admin_client.get(reverse("admin:cases_importrun_delete", args=[run.pk]))
    assert delete.status_code == 403


def test_cases_are_found_by_case_number_as_typed_and_by_name(admin_client):
    rows = list(demo_rows(generate_people(case_count=30, seed=9)))
    cases_import(rows=rows, file_name="a.csv")
    case = Case.objects.exclude(case_number__regex=r"^\d+$").first()
    typed = f"{case.case_number[:2].lower()}-{case.case_number[2:]}"
    changelist = reverse("admin:cases_case_changelist")

    by_number = admin_client.get(changelist, {"q": typed}).context["cl"].result_list
    by_name = admin_client.get(changelist, {"q": f"{case.first_name} {case.last_name}"})

    assert list(by_number) == [case]
    assert case in by_name.context["cl"].result_list


def test_cases_filter_by_batch_and_show_aliases_charges_and_keys(admin_client):
    cases_import(rows=list(demo_rows(generate_people(case_count=40, seed=9))), file_name="a")
    changelist = reverse("admin:cases_case_changelist")
    batch = DismissalBatch.objects.get(slug="DOJ-AB1793-2020")

    filtered = admin_client.get(changelist, {"batch__id__exact": batch.pk}).context["cl"]
    case = Case.objects.filter(aliases__isnull=False).first()
    page = admin_client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()

    assert set(filtered.result_list) == set(Case.objects.filter(batch=batch))
    assert case.aliases.first().full_name in page
    assert case.charges.first().code in page
    assert case.search_keys.first().key in page


def test_people_who_are_not_staff_cannot_see_cases(client, django_user_model):
    user = django_user_model.objects.create_user("resident", password="a-long-password-1")
    client.force_login(user)

    response = client.get(reverse("admin:cases_case_changelist"))

    assert response.status_code == 302
    assert "/login/" in response.url
