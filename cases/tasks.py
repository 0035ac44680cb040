"""Celery tasks for the case database: thin wrappers that own only the time limits."""

import logging

from celery import shared_task

from cases import retention, screening
from cases.importer import pipeline, runs

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    soft_time_limit=runs.IMPORT_TASK_TIME_LIMIT - 60,
    time_limit=runs.IMPORT_TASK_TIME_LIMIT,
)
def import_cases_task(import_run_id: int) -> str:
    """Run an extract uploaded in the admin. Safe to deliver twice: the run is claimed first."""
    run = runs.import_run_claim(import_run_id=import_run_id)
    if run is None:
        logger.info("import run %s already taken or finished; nothing to do", import_run_id)
        return "skipped"
    try:
        return pipeline.cases_import_upload(import_run=run).status
    except Exception:
        # cases_import has recorded the failure on the run, where staff see it; the exception
        # text may quote row values, so it is not logged.
        logger.error("import run %s failed", import_run_id)
        return "failed"


@shared_task(
    acks_late=True,
    soft_time_limit=screening.SCREENING_TASK_TIME_LIMIT - 60,
    time_limit=screening.SCREENING_TASK_TIME_LIMIT,
)
def screen_csv_task(screening_run_id: int) -> str:
    """Screen a file uploaded in the admin. Safe to deliver twice: the run is claimed first."""
    run = screening.screening_run_claim(screening_run_id=screening_run_id)
    if run is None:
        logger.info("screening run %s already taken or finished; nothing to do", screening_run_id)
        return "skipped"
    try:
        return screening.screening_run_execute(screening_run=run).status
    except Exception:
        # The exception text may quote a row; staff see the failure on the run.
        logger.error("screening run %s failed", screening_run_id)
        screening.screening_run_fail(screening_run_id=screening_run_id)
        return "failed"


@shared_task(soft_time_limit=600, time_limit=660)
def delete_expired_uploads() -> int:
    return retention.uploads_delete_expired()
