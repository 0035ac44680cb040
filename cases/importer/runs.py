"""Imports uploaded in the admin: queued as an ImportRun, claimed by one worker.

The admin saves the upload as a PENDING run (`import_run_enqueue`); the task (cases.tasks)
claims it (`import_run_claim`) and runs the pipeline (pipeline.cases_import_upload).
"""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from cases.models import ImportRun

# Hard time limit of the admin-upload task (cases.tasks), in seconds: a million rows fit.
IMPORT_TASK_TIME_LIMIT = 1800


def import_run_enqueue(*, import_run: ImportRun) -> ImportRun:
    """Save an uploaded run as PENDING and start its import once the upload is committed."""
    from cases.tasks import import_cases_task

    import_run.status = ImportRun.Status.PENDING
    with transaction.atomic():
        import_run.save()
        transaction.on_commit(lambda: import_cases_task.delay(import_run.pk))
    return import_run


# A run still RUNNING after the task's hard time limit lost its worker and may be taken over.
IMPORT_STALE_AFTER = timedelta(seconds=IMPORT_TASK_TIME_LIMIT + 60)


def import_run_claim(*, import_run_id: int) -> ImportRun | None:
    """Mark an uploaded run as taken by this worker; None when it is done or being worked on.

    A conditional update, so that two deliveries of the same task cannot both run it.
    """
    now = timezone.now()
    claimable = models.Q(status=ImportRun.Status.PENDING) | models.Q(
        status=ImportRun.Status.RUNNING, started_at__lt=now - IMPORT_STALE_AFTER
    )
    claimed = ImportRun.objects.filter(claimable, pk=import_run_id).update(
        status=ImportRun.Status.RUNNING, started_at=now
    )
    return ImportRun.objects.get(pk=import_run_id) if claimed else None
