"""Letter verification codes: their format and entropy, one code per lookup and outcome, the
/verify/ round trip (only the date, the reference and the outcome in general terms), one neutral
answer for every wrong code, the rate limit, the audit rows; and the public letter's PDF, for
level 2 only."""

import io
import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from pypdf import PdfReader

from audit.actions import Action
from audit.models import AuditLog
from screener import verification as verify
from screener.models import LetterVerification, Lookup, LookupCandidate
from tests.screener.public_flow import (
    cases_load,
    lookup_form_data,
    nobody_form_data,
    post_lookup,
    verified_client,
)

pytestmark = pytest.mark.django_db

VERIFY_URL = "/verify/"
LETTER_URL = "/my-request/letter/"
PDF_URL = "/my-request/letter.pdf"
PERSONAL = ("María", "Maria", "Hernández", "Hernandez", "1975", "maria@example.org")
CASE_DETAILS = ("BA123456", "6CJ00651", "11357", "11359", "11360", "Superior Court")


@pytest.fixture
def maria():
    cases_load()
    client = verified_client(lookup_form_data())
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.MATCHED
    return lookup, client


def post_code(client: Client, code: str):
    return client.post(VERIFY_URL, {"code": code, "website": ""})


def audit_rows(action: Action):
    return list(AuditLog.objects.filter(action=action.value).order_by("pk"))


def without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


# --- The code -------------------------------------------------------------------------------------


def test_a_code_is_16_unambiguous_characters_with_at_least_60_bits():
    assert verify.CODE_BITS >= 60
    assert not set("0O1IL2Z5S8B") & set(verify.CODE_ALPHABET)
    codes = [verify.code_new() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 16 and set(code) <= set(verify.CODE_ALPHABET) for code in codes)
    # Every character of the alphabet turns up (32,000 draws from 25): secrets, not a subset.
    counts = Counter("".join(codes))
    assert set(counts) == set(verify.CODE_ALPHABET)
    assert min(counts.values()) > 900


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ACDE-FGHJ-KMNP-QRTU", "ACDEFGHJKMNPQRTU"),
        ("acde fghj kmnp qrtu", "ACDEFGHJKMNPQRTU"),
        (" acdefghjkmnpqrtu ", "ACDEFGHJKMNPQRTU"),
        ("ACDE-FGHJ-KMNP-QRT", ""),  # too short
        ("ACDE-FGHJ-KMNP-QRTUV", ""),  # too long
        ("ACDE-FGHJ-KMNP-QRT0", ""),  # 0 is not in the alphabet
        ("", ""),
    ],
)
def test_codes_are_read_whatever_the_case_spaces_and_dashes(typed, expected):
    assert verify.code_normalize(typed) == expected


def test_the_letter_prints_the_code_in_groups_of_four():
    assert verify.code_display("ACDEFGHJKMNPQRTU") == "ACDE-FGHJ-KMNP-QRTU"


# --- Issuing --------------------------------------------------------------------------------------


def test_reprints_carry_the_same_code_and_each_is_audited(maria):
    lookup, _client = maria
    first = verify.letter_verification_issue(lookup=lookup, ip_address="203.0.113.9")
    again = verify.letter_verification_issue(lookup=lookup)
    assert first.pk == again.pk and first.code == again.code
    assert first.outcome == LetterVerification.Outcome.FOUND and first.issued_by is None
    rows = audit_rows(Action.LETTER_ISSUED)
    assert [row.detail["new_code"] for row in rows] == [True, False]
    assert rows[0].object_id == str(lookup.pk) and rows[0].ip_address == "203.0.113.9"
    for row in rows:
        assert first.code not in f"{row.summary} {row.detail}"


def test_a_staff_member_who_prints_the_letter_is_recorded(maria, outreach_worker):
    lookup, _client = maria
    issued = verify.letter_verification_issue(lookup=lookup, actor=outreach_worker)
    assert issued.issued_by == outreach_worker
    assert audit_rows(Action.LETTER_ISSUED)[0].actor == outreach_worker


def test_a_letter_with_another_outcome_gets_another_code(maria):
    lookup, _client = maria
    found = verify.letter_verification_issue(lookup=lookup)
    # A reopened review ended "not found".
    Lookup.objects.filter(pk=lookup.pk).update(status=Lookup.Status.NOT_FOUND)
    not_found = verify.letter_verification_issue(lookup=lookup)
    assert not_found.code != found.code
    assert not_found.outcome == LetterVerification.Outcome.NOT_FOUND


def test_no_code_before_the_check_has_an_answer():
    cases_load()
    post_lookup(Client(), lookup_form_data(date_of_birth_month="12", date_of_birth_day="4"))
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW
    with pytest.raises(ValidationError):
        verify.letter_verification_issue(lookup=lookup)
    assert not LetterVerification.objects.exists()
    assert not audit_rows(Action.LETTER_ISSUED)


# --- /verify/ -------------------------------------------------------------------------------------


def test_the_verify_page_confirms_the_date_reference_and_outcome_and_nothing_else(maria):
    lookup, _client = maria
    issued = verify.letter_verification_issue(lookup=lookup)
    visitor = Client()
    assert visitor.get(VERIFY_URL).status_code == 200
    typed = verify.code_display(issued.code).lower().replace("-", " ")
    response = post_code(visitor, typed)
    assert response.status_code == 200
    page = response.content.decode()
    day = date_format(timezone.localdate(issued.issued_at), "DATE_FORMAT")
    assert (
        f"Relief Check Project issued a letter on {day}, reference {lookup.reference}, which "
        "reported that a dismissal was found." in " ".join(page.split())
    )
    for detail in PERSONAL + CASE_DETAILS:
        assert detail not in page, detail
    assert issued.code not in page and verify.code_display(issued.code) not in page
    row = audit_rows(Action.LETTER_VERIFIED)[0]
    assert row.object_id == str(lookup.pk) and row.ip_address == "127.0.0.1"
    assert issued.code not in f"{row.summary} {row.detail}"


def test_a_not_found_letter_is_confirmed_as_no_dismissal_found_in_spanish():
    cases_load()
    post_lookup(Client(), nobody_form_data())
    lookup = Lookup.objects.get()
    with override("es"):
        issued = verify.letter_verification_issue(lookup=lookup)
    assert issued.language == "es"
    visitor = Client(headers={"accept-language": "es"})
    page = " ".join(post_code(visitor, issued.code).content.decode().split())
    assert f"referencia {lookup.reference}, que informó que no se encontró" in page
    assert "Rosa" not in page and "Quintanilla" not in page


def test_a_letter_whose_answer_changed_is_confirmed_as_old(maria):
    lookup, _client = maria
    issued = verify.letter_verification_issue(lookup=lookup)
    Lookup.objects.filter(pk=lookup.pk).update(status=Lookup.Status.NOT_FOUND)
    page = post_code(Client(), issued.code).content.decode()
    assert "reported that a dismissal was found" in " ".join(page.split())
    assert "has changed since that letter was issued" in page


def test_every_wrong_code_gets_the_same_neutral_answer_and_is_audited_without_the_code(maria):
    lookup, _client = maria
    verify.letter_verification_issue(lookup=lookup)
    pages = []
    for wrong in ("ACDE-FGHJ-KMNP-QRTU", "hello", "0000-0000-0000-0000"):
        response = post_code(Client(), wrong)
        assert response.status_code == 404
        page = without_token(response.content.decode()).replace(f'value="{wrong}"', "")
        assert "We have no letter with this code" in page
        assert lookup.reference not in page
        pages.append(page)
    assert pages[0] == pages[1] == pages[2]
    rows = audit_rows(Action.LETTER_VERIFY_FAILED)
    assert len(rows) == 3 and not audit_rows(Action.LETTER_VERIFIED)
    assert [row.detail["well_formed"] for row in rows] == [True, False, False]
    assert all(row.object_id == "" for row in rows)
    assert "ACDEFGHJKMNPQRTU" not in str(rows[0].detail) and rows[0].detail["code_hash"]


def test_an_empty_code_says_what_to_type_and_is_no_attempt():
    response = post_code(Client(), "   ")
    assert response.status_code == 400
    assert "Enter the verification code printed on the letter." in response.content.decode()
    assert not audit_rows(Action.LETTER_VERIFY_FAILED)


def test_verifying_is_limited_per_address_even_for_a_right_code(maria, settings):
    settings.LETTER_VERIFY_RATE_PER_IP = "2/h"
    lookup, _client = maria
    issued = verify.letter_verification_issue(lookup=lookup)
    visitor = Client()
    assert post_code(visitor, "ACDE-FGHJ-KMNP-QRTU").status_code == 404
    assert post_code(visitor, "ACDE-FGHJ-KMNP-QRTV").status_code == 404
    limited = post_code(visitor, issued.code)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    page = limited.content.decode()
    assert "Too many tries" in page and lookup.reference not in page
    assert len(audit_rows(Action.LETTER_VERIFY_FAILED)) == 2
    assert not audit_rows(Action.LETTER_VERIFIED)
    # Another address is not held up.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert post_code(other, issued.code).status_code == 200


def test_the_verify_page_works_without_a_session_and_needs_csrf(maria):
    lookup, _client = maria
    issued = verify.letter_verification_issue(lookup=lookup)
    strict = Client(enforce_csrf_checks=True)
    assert post_code(strict, issued.code).status_code == 403
    form = strict.get(VERIFY_URL).content.decode()
    assert 'method="post"' in form and 'name="csrfmiddlewaretoken"' in form


# --- The public letter and its PDF (level 2) ------------------------------------------------------


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def step_up(client: Client) -> None:
    client.post("/my-request/case-number/", {"case_number": "BA123456", "website": ""})


def test_the_letter_pdf_is_only_for_level_2(maria):
    lookup, client = maria
    assert Client().get(PDF_URL)["Location"] == "/status/"
    level_1 = client.get(PDF_URL)
    assert level_1.status_code == 302 and level_1["Location"] == "/my-request/"
    assert not LetterVerification.objects.exists()
    step_up(client)
    response = client.get(PDF_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="relief-check-letter.pdf"'
    assert "no-cache" in response["Cache-Control"]
    text = pdf_text(response.content)
    issued = LetterVerification.objects.get()
    for expected in ("BA123456", "6CJ00651", "María Elena Hernández", lookup.reference):
        assert expected in text
    assert verify.code_display(issued.code) in text
    downloaded = audit_rows(Action.LETTER_DOWNLOADED)
    assert len(downloaded) == 1 and downloaded[0].object_id == str(lookup.pk)
    assert downloaded[0].detail == {"format": "pdf", "language": "en"}


def test_the_letter_page_and_its_pdf_carry_the_same_code_in_the_page_language(maria):
    _lookup, client = maria
    step_up(client)
    page = client.get(LETTER_URL).content.decode()
    issued = LetterVerification.objects.get()
    code = verify.code_display(issued.code)
    assert code in page and 'href="/my-request/letter.pdf"' in page
    client.cookies["django_language"] = "es"
    text = pdf_text(client.get(PDF_URL).content)
    assert code in text and "Relief Check: su carta de resultado" in text
    assert "Qué significa esto para usted" in text and "Código de verificación" in text
    assert LetterVerification.objects.count() == 1
    assert len(audit_rows(Action.LETTER_ISSUED)) == 2


def test_a_letter_without_a_listed_case_is_not_offered_at_level_2(maria):
    lookup, client = maria
    step_up(client)
    LookupCandidate.objects.filter(lookup=lookup).update(confirmed=False)
    Lookup.objects.filter(pk=lookup.pk).update(status=Lookup.Status.NOT_FOUND)
    # Not found: the letter is not on the person's own pages (the disclosure policy's rule).
    assert client.get(PDF_URL).status_code == 302
