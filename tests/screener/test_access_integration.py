"""With the real worker: the code and the result link are made by the worker as it sends them,
and they lead, through the real database, to the answer.

CI's worker writes emails with the file backend into EMAIL_FILE_PATH, which this test reads.
"""

import email
import os
import re
import time
from email import policy
from pathlib import Path

import pytest
from django.test import Client

from screener.access.links import LINK_PLACEHOLDER
from screener.models import ContactCode, Lookup, Notification, ResultLink
from tests.conftest import wait_for
from tests.screener.public_flow import birth_data, cases_load, lookup_form_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ADDRESS = "worker-access@example.org"


@pytest.fixture
def email_dir() -> Path:
    path = os.environ.get("EMAIL_FILE_PATH")
    if not path:
        pytest.fail("EMAIL_FILE_PATH must name the worker's email directory")
    return Path(path)


def messages_to(directory: Path, address: str, since: float) -> list:
    """Messages to `address` the worker wrote since `since` (earlier runs share the folder)."""
    found = []
    files = [path for path in directory.iterdir() if path.stat().st_mtime >= since]
    for path in sorted(files, key=lambda p: p.stat().st_mtime):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk, policy=policy.default)
                if address in str(message["To"]):
                    found.append(message)
    return found


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def newest_code(directory: Path, seen: set[str], since: float):
    def code():
        for message in reversed(messages_to(directory, ADDRESS, since)):
            match = re.search(r"code: (\d{6})$", str(message["Subject"]))
            if match and message["Message-ID"] not in seen:
                seen.add(message["Message-ID"])
                return match.group(1)
        return None

    return wait_for(code)


def test_the_worker_makes_the_code_and_the_link_and_they_open_the_answer(real_worker, email_dir):
    cases_load()
    since = time.time() - 1
    seen: set[str] = set()
    client = Client()
    assert client.post("/check/", lookup_form_data(email=ADDRESS)).status_code == 303
    lookup = Lookup.objects.get(email=ADDRESS)

    # The worker checks the lookup and sends the code: the code works here.
    code = newest_code(email_dir, seen, since)
    assert client.post("/code/", {"code": code, "website": ""}).status_code == 303
    wait_for(lambda: Lookup.objects.get(pk=lookup.pk).status == Lookup.Status.MATCHED)
    assert "We found your record in the dismissals" in client.get("/my-request/").content.decode()

    # The one result message carries a link the worker made; the outbox kept the placeholder.
    def result_link():
        for message in messages_to(email_dir, ADDRESS, since):
            if "result is ready" in str(message["Subject"]):
                return re.search(r"https?://[^/\s]+(/r/[\w-]+/)", text_of(message)).group(1)
        return None

    path = wait_for(result_link)
    row = Notification.objects.get(lookup=lookup, kind=Notification.Kind.RESULT_MATCH)
    assert LINK_PLACEHOLDER in row.body_text and LINK_PLACEHOLDER not in path
    assert ResultLink.objects.filter(lookup=lookup).exists()

    # Another browser: the link, the date of birth, a fresh code from the worker, the answer.
    other = Client()
    assert other.get(path)["Location"] == "/r/open/"
    assert other.post("/r/open/", birth_data())["Location"] == "/code/"
    fresh = newest_code(email_dir, seen, since)
    assert other.post("/code/", {"code": fresh, "website": ""}).status_code == 303
    assert "BA123456" not in other.get("/my-request/").content.decode()
    assert other.post("/my-request/case-number/", {"case_number": "BA123456", "website": ""})[
        "Location"
    ].startswith("/my-request/letter/")
    assert "BA123456" in other.get("/my-request/letter/").content.decode()
    assert ContactCode.objects.filter(lookup=lookup, used_at__isnull=False).count() == 2
