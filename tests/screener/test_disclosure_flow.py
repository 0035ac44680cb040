"""Before level 2, nothing tells one outcome from another, and knowing a name and a date of birth
while owning a mailbox never shows a case number, a charge or a court date.

Four people go through every page before the answer (the form, the code page, a wrong code, the
status page, "send my answer again", a result link with a wrong and a right date of birth), in
English and in Spanish: one is in the batches (match), one typed a date-of-birth slip (possible),
one is in no batch (no match), and one shares name and date of birth with two recorded people
(ambiguous). Their pages (with the reference, tokens and codes masked) and status codes, and the
subjects and bodies of every email and text message they are sent, must be the same. Under the
strict policy the answer page at level 1 must be the same too.
"""

import re

import pytest
from django.core import mail
from django.test import Client

from cases.importer.pipeline import cases_import
from screener import sms
from screener.models import Lookup
from tests.screener.notifying import _clear_sms_outbox  # noqa: F401
from tests.screener.public_flow import (
    CASE_ROWS,
    MARIA_BIRTH_DATE,
    birth_data,
    cases_load,
    latest_code,
    latest_link,
    lookup_form_data,
    nobody_form_data,
    post_committed,
    post_lookup,
    status_form_data,
    type_code,
)

pytestmark = pytest.mark.django_db

JOSE_BIRTH_DATE = MARIA_BIRTH_DATE.replace(year=1980, month=5, day=5)
ROSA_BIRTH_DATE = MARIA_BIRTH_DATE.replace(year=1968, month=9, day=3)
SLIP_BIRTH_DATE = MARIA_BIRTH_DATE.replace(month=12, day=4)
WRONG_BIRTH_DATE = MARIA_BIRTH_DATE.replace(year=1950, month=1, day=1)
# Contacts whose masked forms are alike (a•@example.org, •••-•••-0123), so pages can be compared.
SCENARIOS = {
    "match": (
        lookup_form_data(email="a1@example.org", phone="(213) 555-0123"),
        MARIA_BIRTH_DATE,
        Lookup.Status.MATCHED,
    ),
    "possible": (
        lookup_form_data(
            email="a2@example.org",
            phone="(323) 555-0123",
            date_of_birth_month="12",
            date_of_birth_day="4",
        ),
        SLIP_BIRTH_DATE,
        Lookup.Status.NEEDS_REVIEW,
    ),
    "no match": (
        nobody_form_data(email="a3@example.org", phone="(818) 555-0123"),
        ROSA_BIRTH_DATE,
        Lookup.Status.NOT_FOUND,
    ),
    "ambiguous": (
        lookup_form_data(
            first_name="José",
            middle_name="",
            last_name="Ramírez",
            date_of_birth_month="5",
            date_of_birth_day="5",
            date_of_birth_year="1980",
            email="a4@example.org",
            phone="(626) 555-0123",
        ),
        JOSE_BIRTH_DATE,
        Lookup.Status.NEEDS_REVIEW,
    ),
}
E164 = {"match": "+12135550123", "possible": "+13235550123", "no match": "+18185550123",
        "ambiguous": "+16265550123"}  # fmt: skip

REFERENCE_RE = re.compile(r"RC-[A-Z0-9]{3}-[A-Z0-9]{3}")
VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "csrf"),
    (REFERENCE_RE, "RC-XXX-XXX"),
    (re.compile(r"/r/[\w-]{32}/"), "/r/TOKEN/"),
    (re.compile(r"/unsubscribe/[^/\s\"]+/"), "/unsubscribe/TOKEN/"),
    (re.compile(r"\b\d{6}\b"), "000000"),
    (re.compile(r"\w•+@"), "x•@"),
]


def masked(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


@pytest.fixture
def cases():
    cases_load()
    # Two recorded people with the same name and date of birth (different CII numbers).
    base = dict(CASE_ROWS[0], first_name="JOSE", last_name="RAMIREZ", date_of_birth="1980-05-05")
    cases_import(
        rows=[
            dict(base, case_number="BA700001", middle_name="LUIS", cii_number="A11111111"),
            dict(base, case_number="BA700002", middle_name="ANTONIO", cii_number="A22222222"),
        ],
        file_name="namesakes.csv",
    )


def journey(name: str, language: str) -> tuple[list, list]:
    """Every page before level 2 for one person, and every message they were sent."""
    data, birth_date, expected_status = SCENARIOS[name]
    data = {**data, "language": language}
    email, phone = data["email"], E164[name]
    client = Client()
    client.cookies["django_language"] = language
    pages = []

    def seen(label, response):
        content = response.content.decode() if response.status_code == 200 else ""
        if response.status_code == 400:
            content = response.content.decode()
        pages.append((label, response.status_code, response.get("Location", ""), masked(content)))
        return response

    seen("form posted", post_lookup(client, data))
    lookup = Lookup.objects.get(email=email)
    assert lookup.status == expected_status, (name, lookup.status)
    page = seen("page after the form", client.get("/check/received/"))
    assert lookup.reference not in page.content.decode()
    seen("a wrong code", type_code(client, "000000" if latest_code(email) != "000000" else "1" * 6))
    status = status_form_data(lookup.reference, birth_date)
    seen("status: a code", post_committed(client, "/status/", {**status, "action": "code"}))
    seen("the code page", client.get("/code/"))
    seen(
        "status: the answer again",
        post_committed(client, "/status/", {**status, "action": "again"}),
    )
    link = latest_link(email)
    seen("a result link", client.get(link))
    seen("the link's page", client.get("/r/open/"))
    # The same wrong date for everyone: the page shows back what was typed.
    seen("a wrong date of birth", client.post("/r/open/", birth_data(WRONG_BIRTH_DATE)))
    seen("the right date of birth", post_committed(client, "/r/open/", birth_data(birth_date)))
    seen("the right code", type_code(client, latest_code(email)))

    messages = [
        (m.subject, m.body, m.alternatives[0][0] if m.alternatives else "")
        for m in mail.outbox
        if email in m.to
    ]
    messages += [(m.body,) for m in sms.outbox if m.to == phone]
    return pages, [tuple(masked(part) for part in message) for message in messages], client


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_and_message_before_level_2_is_the_same_for_every_outcome(cases, language):
    results = {name: journey(name, language) for name in SCENARIOS}
    pages = {name: result[0] for name, result in results.items()}
    messages = {name: result[1] for name, result in results.items()}

    reference_pages = pages["match"]
    assert [(label, code) for label, code, _l, _c in reference_pages] == [
        ("form posted", 303),
        ("page after the form", 200),
        ("a wrong code", 400),
        ("status: a code", 303),
        ("the code page", 200),
        ("status: the answer again", 200),
        ("a result link", 303),
        ("the link's page", 200),
        ("a wrong date of birth", 400),
        ("the right date of birth", 303),
        ("the right code", 303),
    ]
    for name in SCENARIOS:
        for expected, actual in zip(reference_pages, pages[name], strict=True):
            assert actual == expected, (name, actual[0])
        assert messages[name] == messages["match"], name
    # By email: the code, received, the one result message, a code, the answer again, a code; by
    # text: received, the result message, the answer again.
    assert len(messages["match"]) == 9
    heard = "\n".join(part for message in messages["match"] for part in message)
    for detail in ("BA123456", "BA700001", "sealed", "sellad", "staff member is checking"):
        assert detail not in heard


@pytest.mark.parametrize("language", ["en", "es"])
def test_under_the_strict_policy_the_level_1_page_is_the_same_for_every_outcome(
    cases, settings, language
):
    settings.DISCLOSURE_POLICY = "strict"
    answers = set()
    for name in SCENARIOS:
        _pages, _messages, client = journey(name, language)
        response = client.get("/my-request/")
        assert response.status_code == 200
        answers.add(masked(response.content.decode()))
    assert len(answers) == 1


# --- Someone who knows a name and a date of birth, and owns the mailbox ---------------------------

SECRETS = (
    "BA123456",  # case numbers
    "6CJ00651",
    "HS 11357",  # charges as recorded
    "HS 11360",
    "HS 11359",
    "11357(a)",
    "Superior Court",  # the court
    "Los Angeles Superior",
    "1999",  # conviction and relief dates
    "2003",
    "2020-02-13",
    "Feb. 13, 2020",
    "February 13, 2020",
    "Sept. 29, 2022",
    "13 de febrero",
)


@pytest.mark.parametrize("policy", ["standard", "strict"])
def test_knowing_the_name_and_date_of_birth_and_owning_the_mailbox_never_shows_case_details(
    cases, settings, policy
):
    settings.DISCLOSURE_POLICY = policy
    mine = "snoop@example.org"
    seen: list[str] = []
    client = Client()

    def visit(response):
        seen.append(response.content.decode())
        return response

    # The form with Maria's name and date of birth and the snoop's own email.
    visit(post_lookup(client, lookup_form_data(email=mine)))
    visit(client.get("/check/received/"))
    visit(type_code(client, latest_code(mine)))
    visit(client.get("/my-request/"))
    # Everything a level-1 browser can reach, and guesses at a case number.
    visit(client.get("/my-request/letter/"))
    for guess in ("BA000001", "BA123457", "6CJ00650"):
        visit(client.post("/my-request/case-number/", {"case_number": guess, "website": ""}))
    visit(client.post("/my-request/identity/"))
    visit(client.get("/identity/return/", {"code": "x", "state": "y"}))
    # Every link the site sends: the result link, a fresh one, each with a new code.
    reference = REFERENCE_RE.search(mail.outbox[-1].body).group(0)
    visit(post_committed(client, "/status/", {**status_form_data(reference), "action": "again"}))
    for message in list(mail.outbox):
        for path in re.findall(r"https?://[^/\s\"]+(/[^\s\"<>]*)", message.body):
            if path.startswith(("/r/", "/status/", "/eligibility/")):
                other = Client()
                response = visit(other.get(path))
                if response.status_code == 303 and response["Location"] == "/r/open/":
                    visit(other.get("/r/open/"))
                    visit(post_committed(other, "/r/open/", birth_data()))
                    visit(type_code(other, latest_code(mine)))
                    visit(other.get("/my-request/"))
                    visit(other.get("/my-request/letter/"))
    seen += [m.subject + m.body + "".join(a[0] for a in m.alternatives) for m in mail.outbox]

    everything = "\n".join(seen)
    assert "Your request" in everything  # the snoop did reach level 1
    for secret in SECRETS:
        assert secret not in everything, secret
    if policy == "strict":
        for outcome in ("We found your record", "dismissed and sealed", "Being reviewed"):
            assert outcome not in everything, outcome
    else:
        # What the standard policy allows at level 1: the outcome in general terms.
        assert "We found your record in the dismissals" in everything
