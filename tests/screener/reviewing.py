"""Set-up for the staff review tests: real imports, real lookups, staff in their real groups."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.test import TestCase

from cases.importer.pipeline import cases_import
from screener.models import Lookup
from screener.roles import DATA_ADMINISTRATOR, OUTREACH_WORKER, REVIEWER, roles_ensure
from tests.cases.factories import CaseRowFactory, batches_ensure
from tests.screener.factories import LookupDetailsFactory, LookupFactory

PASSWORD = "correct horse battery staple"


class ReviewRowFactory(CaseRowFactory):
    """These cases' row: a possession charge of 1999."""

    charge_codes = "HS 11357(a)"
    conviction_date = "1999-06-01"


# One recorded person with three cases in two batches (same CII number on two of them), and a
# namesake born on another day who must not be shown as the same person.
JESUS_ROWS = [
    ReviewRowFactory(
        case_number="BA123456",
        last_name="GUTIERREZ",
        first_name="JESUS",
        date_of_birth="1975-04-12",
        cii_number="A12345678",
    ),
    ReviewRowFactory(
        case_number="KA057009",
        last_name="GUTIERREZ",
        first_name="JESUS",
        date_of_birth="1975-04-12",
        cii_number="A12345678",
        batch="LASC-REVIEW-2022",
        relief_date="2022-09-29",
        charge_codes="HS 11359",
    ),
    ReviewRowFactory(
        case_number="VA111222",
        last_name="GUTIERREZ",
        first_name="JESUS",
        date_of_birth="1975-04-12",
        aliases="CHUY GUTIERREZ",
    ),
    ReviewRowFactory(
        case_number="LA999001",
        last_name="GUTIERREZ",
        first_name="JESUS",
        date_of_birth="1988-02-02",
    ),
]
# Same CII number, recorded with another date of birth, in a batch imported after the lookup
# ran: the engine would bring it in by the CII number now, and the reviewer should see it as the
# same recorded person's.
JESUS_LATER_ROW = ReviewRowFactory(
    case_number="BA555000",
    last_name="GUTIERREZ",
    first_name="JESUS",
    date_of_birth="1957-04-12",
    cii_number="A12345678",
)
MARIA_ROW = ReviewRowFactory(
    case_number="BA765432",
    last_name="HERNANDEZ",
    first_name="MARIA",
    middle_name="ELENA",
    date_of_birth="1980-03-05",
)


def import_cases(rows) -> None:
    batches_ensure()
    run = cases_import(rows=rows, file_name="review-fixture.csv")
    assert run.rejected_count == 0, run.rejected_rows


def submit(*, event=None, submitted_by=None, **overrides) -> Lookup:
    """Submit a lookup through the real flow (the check runs eagerly) and return it fresh."""
    values = {
        "first_name": "Jesus",
        "last_name": "Gutiérrez",
        # Day and month swapped: the engine can only call this a possible match.
        "date_of_birth": datetime.date(1975, 12, 4),
        "email": "jesus@example.org",
        # The queue tests file several requests about the same person from different email
        # addresses; sharing a phone number keeps them one contact, which the abuse rule would
        # otherwise hold for staff (screener.access.abuse, tested in test_access_abuse.py).
        "phone": "+13235550100",
        "language": "en",
    }
    values.update(overrides)
    with TestCase.captureOnCommitCallbacks(execute=True):
        lookup = LookupFactory(
            details=LookupDetailsFactory(**values),
            channel=Lookup.Channel.OUTREACH if submitted_by or event else Lookup.Channel.WEB,
            submitted_by=submitted_by,
            event=event,
        )
    lookup.refresh_from_db()
    return lookup


def flagged(**overrides) -> Lookup:
    lookup = submit(**overrides)
    assert lookup.status == Lookup.Status.NEEDS_REVIEW, lookup.status
    return lookup


def staff(username: str, *groups: str, superuser: bool = False) -> User:
    # The migration creates the groups; a transactional test may have flushed them.
    if Group.objects.filter(name__in=groups).count() != len(groups):
        roles_ensure()
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@da.example",
        is_staff=True,
        is_superuser=superuser,
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def jesus_cases():
    import_cases(JESUS_ROWS)


@pytest.fixture
def reviewer():
    return staff("rita.reviewer", REVIEWER)


@pytest.fixture
def second_reviewer():
    return staff("rob.reviewer", REVIEWER)


@pytest.fixture
def outreach_worker():
    return staff("oscar.outreach", OUTREACH_WORKER)


@pytest.fixture
def data_admin():
    return staff("dana.data", DATA_ADMINISTRATOR)


@pytest.fixture
def superuser():
    return staff("sam.super", superuser=True)
