"""Set-up for the public-flow tests (views, letters, browser): a real import and real form data."""

import datetime
import re

from django.core import mail
from django.test import Client, TestCase

from cases.importer.pipeline import cases_import
from screener import sms
from tests.cases.factories import CaseRowFactory, batches_ensure

# A fictitious person in the 2020 batch with one case dismissed and sealed, and another in the
# 2022 batch that was reduced.
CASE_ROWS = [
    CaseRowFactory(
        case_number="BA123456",
        last_name="HERNANDEZ",
        first_name="MARIA",
        middle_name="ELENA",
        date_of_birth="1975-04-12",
        charge_codes="HS 11357(a);HS 11360(a)",
        conviction_date="1999-06-01",
    ),
    CaseRowFactory(
        case_number="6CJ00651",
        last_name="HERNANDEZ",
        first_name="MARIA",
        middle_name="ELENA",
        date_of_birth="1975-04-12",
        charge_codes="HS 11359",
        conviction_date="2003-02-11",
        batch="LASC-REVIEW-2022",
        relief="reduced",
        relief_date="2022-09-29",
    ),
]
MARIA_BIRTH_DATE = datetime.date(1975, 4, 12)


def cases_load() -> None:
    # Transactional tests (live_server) flush the rows the data migration made: put them back.
    batches_ensure()
    run = cases_import(rows=CASE_ROWS, file_name="public-flow.csv")
    assert run.rejected_count == 0, run.rejected_rows


def lookup_form_data(**overrides) -> dict[str, str]:
    """What a person types into the lookup form: by default the person in CASE_ROWS."""
    data = {
        "first_name": "María",
        "middle_name": "Elena",
        "last_name": "Hernández",
        "other_names": "",
        "date_of_birth_month": "4",
        "date_of_birth_day": "12",
        "date_of_birth_year": "1975",
        "case_number": "",
        "email": "maria@example.org",
        "phone": "",
        "language": "en",
        "is_self": "yes",
        "consent_to_contact": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def nobody_form_data(**overrides) -> dict[str, str]:
    """A person who is in no batch."""
    values = {
        "first_name": "Rosa",
        "middle_name": "",
        "last_name": "Quintanilla",
        "date_of_birth_month": "9",
        "date_of_birth_day": "3",
        "date_of_birth_year": "1968",
        "email": "rosa@example.org",
    }
    values.update(overrides)
    return lookup_form_data(**values)


def status_form_data(reference: str, birth_date: datetime.date = MARIA_BIRTH_DATE) -> dict:
    return {
        "reference": reference,
        "date_of_birth_month": str(birth_date.month),
        "date_of_birth_day": str(birth_date.day),
        "date_of_birth_year": str(birth_date.year),
        "website": "",
    }


def post_lookup(client: Client, data: dict):
    """Post the lookup form and run what it schedules after commit, as a real request would.

    Inside a test's transaction nothing commits, so on_commit work (the check and its messages)
    is captured and run when the request is done.
    """
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/check/", data)


# --- Following what the site sends: codes and links -------------------------------------------

# A code email names the code in its subject; a code text says "your code is 123456".
CODE_SUBJECT_RE = re.compile(r"(?:code|código de Relief Check): (\d{6})$")
CODE_TEXT_RE = re.compile(r"(?:code is|código es) (\d{6})\b")
LINK_RE = re.compile(r"https?://[^/\s\"]+(/r/[\w-]+/)")


def sent_to(address: str) -> list:
    """Every email and text message sent to `address` (an email address or E.164 number)."""
    emails = [m for m in mail.outbox if address in m.to]
    texts = [m for m in sms.outbox if m.to == address]
    return emails + texts


def latest_code(address: str) -> str:
    """The code in the latest code message sent to `address`."""
    for message in reversed(sent_to(address)):
        found = (
            CODE_SUBJECT_RE.search(message.subject)
            if hasattr(message, "subject")
            else CODE_TEXT_RE.search(message.body)
        )
        if found:
            return found.group(1)
    raise AssertionError(f"no code was sent to {address}")


def latest_link(address: str) -> str:
    """The path of the result link in the latest message to `address` that carries one."""
    for message in reversed(sent_to(address)):
        found = LINK_RE.search(message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no result link was sent to {address}")


def type_code(client: Client, code: str):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/code/", {"code": code, "website": ""})


def birth_data(birth_date: datetime.date = MARIA_BIRTH_DATE) -> dict[str, str]:
    return {
        "date_of_birth_month": str(birth_date.month),
        "date_of_birth_day": str(birth_date.day),
        "date_of_birth_year": str(birth_date.year),
        "website": "",
    }


def open_link(client: Client, path: str, birth_date: datetime.date = MARIA_BIRTH_DATE):
    """Open a result link and give the date of birth; returns the date-of-birth response."""
    opened = client.get(path)
    assert opened.status_code == 303, opened.status_code
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(opened["Location"], birth_data(birth_date))


def verified_client(data: dict) -> Client:
    """A browser that sent the form with `data` and typed the code it was sent (level 1)."""
    client = Client()
    response = post_lookup(client, data)
    assert response.status_code == 303, response.content.decode()[:500]
    assert type_code(client, latest_code(data["email"] or data["phone"])).status_code == 303
    return client


def post_committed(client: Client, path: str, data: dict):
    """Post as a real request does: what it schedules after commit (messages) runs."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data)
