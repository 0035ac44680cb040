"""Set-up for the notification tests: real lookups, real imported cases, the SMS outbox."""

import pytest
from django.test import TestCase

from cases.importer.pipeline import cases_import
from cases.models import Case
from screener import sms
from screener.models import Lookup
from tests.cases.factories import CaseRowFactory, batches_ensure
from tests.screener.factories import LookupCandidateFactory, LookupDetailsFactory, LookupFactory

# Maria Lopez Garcia's case: the factories' default person.
CASE_ROW = {"case_number": "BA123456"}


def submit(*, run_follow_up: bool = False, **overrides) -> Lookup:
    """A lookup written by the real submit function.

    Without run_follow_up, in a test wrapped in a transaction, its after-commit work (received
    message, check) does not run, so a test can queue exactly the messages it is about. In a
    transactional (integration) test the commit is real and the follow-up always runs.
    """
    details = LookupDetailsFactory(**{"phone": "+12135550123", **overrides})
    if run_follow_up:
        with TestCase.captureOnCommitCallbacks(execute=True):
            lookup = LookupFactory(details=details)
    else:
        lookup = LookupFactory(details=details)
    lookup.refresh_from_db()
    return lookup


def import_cases(*rows: dict) -> list[Case]:
    batches_ensure()
    run = cases_import(
        rows=[CaseRowFactory(**{**CASE_ROW, **row}) for row in rows], file_name="notify.csv"
    )
    assert run.rejected_count == 0, run.rejected_rows
    return list(Case.objects.order_by("case_number"))


def mark_matched(lookup: Lookup, cases: list[Case]) -> Lookup:
    """The state the matching engine leaves a lookup in when it finds these cases."""
    for case in cases:
        LookupCandidateFactory(lookup=lookup, case=case)
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
