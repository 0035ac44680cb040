"""Uploaded files are deleted UPLOAD_RETENTION_DAYS after their run: an extract, a partner's
screening file and its results each hold a whole list of people.

The runs stay, with their counts, status and audit rows; the cases an import loaded stay (they
are the case database). Run by beat (cases.tasks.delete_expired_uploads); safe to run twice.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from audit.actions import Action
from audit.services import audit_record
from cases.models import ImportRun, ScreeningRun

FINISHED_IMPORTS = (
    ImportRun.Status.SUCCEEDED,
    ImportRun.Status.COMPLETED_WITH_REJECTIONS,
    ImportRun.Status.FAILED,
)


def uploads_delete_expired(*, now=None) -> int:
    """Delete the files of runs finished (or created, if they never ran) before the cutoff.

    Returns the number of files deleted.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    deleted = 0
    imports = (
        ImportRun.objects.exclude(upload="")
        .annotate(done_at=Coalesce("finished_at", "created_at"))
        .filter(done_at__lt=cutoff)
        .filter(Q(status__in=FINISHED_IMPORTS) | Q(created_at__lt=cutoff))
    )
    for run in imports:
        deleted += _delete_files(run, ["upload"])
    screenings = (
        ScreeningRun.objects.filter(~Q(input_file="") | ~Q(output_file=""))
        .annotate(done_at=Coalesce("finished_at", "created_at"))
        .filter(done_at__lt=cutoff)
    )
    for run in screenings:
        deleted += _delete_files(run, ["input_file", "output_file"])
    return deleted


def _delete_files(run, field_names: list[str]) -> int:
    names = [name for name in field_names if getattr(run, name)]
    with transaction.atomic():
        for name in names:
            # Deletes the file and empties the field; a file already gone is not an error.
            getattr(run, name).delete(save=False)
        run.save(update_fields=names)
        audit_record(
            actor=None,
            action=Action.UPLOAD_DELETED,
            obj=run,
            summary=f"{run._meta.verbose_name.capitalize()} {run.pk}: uploaded files deleted "
            f"after {settings.UPLOAD_RETENTION_DAYS} days",
            detail={"fields": names},
        )
    return len(names)
