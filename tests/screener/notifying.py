"""Set-up for the notification tests: real lookups, real imported cases, the SMS outbox."""

import datetime
import importlib

import pytest
from django.test import TestCase

from cases.importer.pipeline import cases_import
from cases.models import Case, DismissalBatch
from screener import sms
from screener.models import Lookup, LookupCandidate
from screener.services import LookupDetails, lookup_submit

CASE_ROW = {
    "case_number": "BA123456",
    "last_name": "LOPEZ GARCIA",
    "first_name": "MARIA",
    "middle_name": "",
    "date_of_birth": "1970-01-02",
    "aliases": "",
    "charge_codes": "HS 11359",
    "conviction_date": "1995-06-01",
    "court": "Los Angeles Superior Court",
    "batch": "DOJ-AB1793-2020",
    "relief": "dismissed_and_sealed",
    "relief_date": "2020-02-13",
    "cii_number": "",
}


def submit(*, run_follow_up: bool = False, **overrides) -> Lookup:
    """A lookup written by the real submit function.

    Without run_follow_up, in a test wrapped in a transaction, its after-commit work (received
    message, check) does not run, so a test can queue exactly the messages it is about. In a
    transactional (integration) test the commit is real and the follow-up always runs.
    """
    values = {
        "first_name": "Maria",
        "last_name": "Lopez Garcia",
        "date_of_birth": datetime.date(1970, 1, 2),
        "email": "maria.lopez@example.org",
        "phone": "+12135550123",
        "language": "en",
    }
    values.update(overrides)
    if run_follow_up:
        with TestCase.captureOnCommitCallbacks(execute=True):
            lookup, _created = lookup_submit(details=LookupDetails(**values))
    else:
        lookup, _created = lookup_submit(details=LookupDetails(**values))
    lookup.refresh_from_db()
    return lookup


def batches_ensure() -> None:
    """The migration creates the LA batches; a transactional test before this one flushed them."""
    migration = importlib.import_module("cases.migrations.0002_dismissal_batches")
    for batch in migration.BATCHES:
        values = {key: value for key, value in batch.items() if key != "slug"}
        DismissalBatch.objects.get_or_create(slug=batch["slug"], defaults=values)


def import_cases(*rows: dict) -> list[Case]:
    batches_ensure()
    run = cases_import(rows=[dict(CASE_ROW, **row) for row in rows], file_name="notify.csv")
    assert run.rejected_count == 0, run.rejected_rows
    return list(Case.objects.order_by("case_number"))


def mark_matched(lookup: Lookup, cases: list[Case]) -> Lookup:
    """The state the matching engine leaves a lookup in when it finds these cases."""
    for case in cases:
        LookupCandidate.objects.create(
            lookup=lookup, case=case, score=30.0, outcome=Lookup.Outcome.MATCH
        )
    Lookup.objects.filter(pk=lookup.pk).update(
        status=Lookup.Status.MATCHED, outcome=Lookup.Outcome.MATCH
    )
    lookup.refresh_from_db()
    return lookup


@pytest.fixture(autouse=True)
def _clear_sms_outbox():
    """Import it into a test module to start each test with an empty screener.sms.outbox."""
    sms.outbox.clear()
    yield
    sms.outbox.clear()
