"""What a result letter says for each outcome, in English and Spanish, on the page partial and in
the PDF (its text extracted with pypdf): the same words in both, the cases with their relief, what
HS 11361.8 relief means, the dispute letter, the next steps when nothing was found, and the
verification line."""

import io
import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from django.utils.html import strip_tags
from pypdf import PdfReader

from screener.letter_pdf import letter_pdf
from screener.letter_text import Kind
from screener.letters import letter_content
from screener.models import Lookup, LookupCandidate
from screener.verification import letter_verification_issue
from tests.screener.public_flow import (
    cases_load,
    lookup_form_data,
    nobody_form_data,
    post_lookup,
    verified_client,
)
from tests.screener.test_notifications_content import ENGLISH_ONLY_WORDS

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
# Proper names and addresses that stay in English in a Spanish letter.
PROPER_NAMES = re.compile(
    r"Los Angeles Superior Court|Superior Court of California, County of Los Angeles|"
    r"Clara Shortridge Foltz Criminal Justice Center|Relief Check Project|Relief Check|"
    r"Fair Credit Reporting Act|https?://\S+|\S+@\S+"
)


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(content: bytes, issuer: str = "Relief Check Project") -> str:
    reader = PdfReader(io.BytesIO(content))
    text = words(" ".join(page.extract_text() for page in reader.pages))
    # Each page's footer sits where the page ends, possibly inside a paragraph: take it out.
    footer = re.escape(issuer) + r" · (reference|referencia) RC-[A-Z0-9-]+ · .{6,30}? "
    return re.sub(footer + r"(Page|Página) \d+ (of|de) \d+", " ", text)


def page_text(content) -> str:
    html = render_to_string("screener/_letter_body.html", {"letter": content})
    return words(unescape(strip_tags(html)))


def block_texts(content) -> list[str]:
    """Every sentence the letter's blocks hold."""
    texts = []
    for block in content.blocks:
        texts += [block.text, block.lead, *block.items]
        texts += [cell for row in block.rows for cell in row]
    return [words(text) for text in texts if text]


@pytest.fixture
def maria():
    """María's lookup, matched: one case dismissed and sealed, one reduced."""
    cases_load()
    verified_client(lookup_form_data())
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.MATCHED
    return lookup


def only_case(lookup: Lookup, case_number: str) -> None:
    # A reviewer rejected the other candidate: the letter lists this case alone.
    LookupCandidate.objects.filter(lookup=lookup).exclude(case__case_number=case_number).update(
        confirmed=False
    )


def letter_in(language: str, lookup: Lookup):
    with translation.override(language):
        verification = letter_verification_issue(lookup=lookup)
        content = letter_content(lookup, verification=verification)
        return content, page_text(content), pdf_text(letter_pdf(content)), block_texts(content)


def assert_everywhere(expected: list[str], page: str, pdf: str) -> None:
    for phrase in expected:
        assert phrase in page, phrase
        assert phrase in pdf, phrase


def assert_spanish_only(pdf: str, content) -> None:
    text = PROPER_NAMES.sub(" ", pdf.replace(content.person_name, " "))
    leftover = ENGLISH_ONLY_WORDS.findall(text)
    assert not leftover, leftover


FOUND_SEALED = {
    "en": [
        "María Elena Hernández",
        "BA123456",
        "Los Angeles Superior Court",
        "HS 11357(a), HS 11360(a)",
        "Dismissed and sealed",
        "Feb. 13, 2020",
        "Health and Safety Code section 11361.8, the court dismissed the conviction and sealed "
        "the record",
        "you can usually say that you were not convicted of it",
        "Immigration and federal matters are different",
        "If a background check still shows your case",
        "Fair Credit Reporting Act, the company must reinvestigate",
        "usually within 30 days",
        "Letter to the background-check company",
        "To (company name and address)",
        "Date of the background check report",
        "Case BA123456 (Los Angeles Superior Court): dismissed and sealed on Feb. 13, 2020.",
        "15 U.S.C. § 1681i",
        "Verification code:",
        "http://testserver/verify/",
        "This letter was issued by Relief Check Project",
    ],
    "es": [
        "María Elena Hernández",
        "BA123456",
        "Desestimada y sellada",
        "13 de febrero de 2020",
        "la corte desestimó la condena y selló el expediente",
        "puede decir que no lo condenaron por ese delito",
        "Los asuntos de inmigración y los asuntos federales son diferentes",
        "Si una verificación de antecedentes todavía muestra su caso",
        "la compañía debe volver a investigar gratis",
        "Carta para la compañía de verificación de antecedentes",
        "Caso BA123456 (Los Angeles Superior Court): desestimado y sellado el 13 de febrero de "
        "2020.",
        "Código de verificación:",
        "http://testserver/verify/",
        "Esta carta la emitió Relief Check Project",
    ],
}
REDUCED_ONLY = {
    "en": [
        "6CJ00651",
        "HS 11359",
        "Reduced",
        "Sept. 29, 2022",
        "the court lowered the conviction",
        "It stays on your record at the lower level",
        "Case 6CJ00651 (Los Angeles Superior Court): reduced on Sept. 29, 2022.",
        "Letter to the background-check company",
    ],
    "es": [
        "6CJ00651",
        "Reducida",
        "29 de septiembre de 2022",
        "la corte rebajó la condena",
        "Caso 6CJ00651 (Los Angeles Superior Court): reducido el 29 de septiembre de 2022.",
    ],
}
NOT_FOUND = {
    "en": [
        "Rosa Quintanilla",
        "We did not find a case that matches the details you gave",
        "This does not mean that you are not eligible",
        "(323) 760-6763",
        "https://pubdef.lacounty.gov",
        "Judicial Council form CR-400",
        "form CR-401 (proof of service)",
        "Health and Safety Code section 11361.8",
        "http://testserver/eligibility/",
        "210 West Temple Street",
        "Verification code:",
    ],
    "es": [
        "Rosa Quintanilla",
        "No encontramos un caso que coincida",
        "(323) 760-6763",
        "CR-400",
        "CR-401",
        "11361.8",
        "Código de verificación:",
    ],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_sealed_case_letter_explains_sealing_and_carries_the_dispute_letter(
    maria, language, settings
):
    settings.SITE_URL = "http://testserver"
    only_case(maria, "BA123456")
    content, page, pdf, _texts = letter_in(language, maria)
    assert content.found and content.has_sealed and not content.has_reduced
    assert_everywhere(FOUND_SEALED[language], page, pdf)
    assert content.verification_code in page and content.verification_code in pdf
    assert CODE_RE.search(pdf)
    # Nothing about a reduction, nor the other case.
    for absent in ("6CJ00651", "lowered the conviction", "rebajó la condena"):
        assert absent not in page and absent not in pdf
    if language == "es":
        assert_spanish_only(pdf, content)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_reduced_case_letter_says_reduced_and_not_sealed(maria, language, settings):
    settings.SITE_URL = "http://testserver"
    only_case(maria, "6CJ00651")
    content, page, pdf, _texts = letter_in(language, maria)
    assert content.has_reduced and not content.has_sealed
    assert_everywhere(REDUCED_ONLY[language], page, pdf)
    for absent in ("BA123456", "dismissed the conviction and sealed", "selló el expediente"):
        assert absent not in page and absent not in pdf
    if language == "es":
        assert_spanish_only(pdf, content)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_not_found_letter_gives_the_next_steps_and_no_case_or_dispute(language, settings):
    settings.SITE_URL = "http://testserver"
    cases_load()
    post_lookup(Client(), nobody_form_data())
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.NOT_FOUND
    content, page, pdf, _texts = letter_in(language, lookup)
    assert not content.found and content.cases == ()
    assert_everywhere(NOT_FOUND[language], page, pdf)
    for absent in ("BA123456", "Fair Credit", "background-check company", "antecedentes"):
        assert absent not in page and absent not in pdf
    if language == "es":
        assert_spanish_only(pdf, content)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_and_the_pdf_say_every_sentence_of_the_letter(maria, language):
    _content, page, pdf, texts = letter_in(language, maria)
    assert texts
    missing_page = [text for text in texts if text not in page]
    missing_pdf = [text for text in texts if text not in pdf]
    assert missing_page == [] and missing_pdf == []


def test_the_letter_is_dated_the_day_its_code_was_first_issued(maria):
    verification = letter_verification_issue(lookup=maria)
    type(verification).objects.filter(pk=verification.pk).update(
        issued_at=verification.issued_at.replace(year=2025)
    )
    verification.refresh_from_db()
    content = letter_content(maria, verification=verification)
    assert content.issued_on.year == 2025
    assert letter_content(maria).verification_code == ""


def test_without_a_code_the_letter_says_whom_to_write_to(maria):
    content = letter_content(maria)
    page = page_text(content)
    assert "Verification code" not in page
    assert "can write to us with the reference code" in page
    assert "You can confirm it with Relief Check Project at help@reliefcheck.example" in page


def test_typed_names_are_text_on_the_page_and_in_the_pdf(maria):
    Lookup.objects.filter(pk=maria.pk).update(first_name="<b>Ana</b>", middle_name="")
    maria.refresh_from_db()
    content = letter_content(maria)
    html = render_to_string("screener/_letter_body.html", {"letter": content})
    assert "<b>Ana</b>" not in html and "&lt;b&gt;Ana&lt;/b&gt;" in html
    assert "<b>Ana</b> Hernández" in pdf_text(letter_pdf(content))


def test_a_lookup_still_being_checked_has_no_letter():
    cases_load()
    post_lookup(Client(), lookup_form_data(date_of_birth_month="12", date_of_birth_day="4"))
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW
    with pytest.raises(ValueError):
        letter_content(lookup)


def test_every_block_kind_is_one_the_renderers_know(maria):
    kinds = {block.kind for block in letter_content(maria).blocks}
    assert kinds <= set(Kind)
    assert {Kind.CASES, Kind.FIELDS, Kind.PAGE_BREAK, Kind.NOTICE} <= kinds


def test_content_built_in_one_language_renders_in_another(maria):
    # The outreach screen builds the letter in the worker's language and prints it in the
    # person's: every word follows the language it is rendered in.
    with translation.override("en"):
        content = letter_content(maria)
    with translation.override("es"):
        text = pdf_text(letter_pdf(content))
    assert "Desestimaciones de 2020" in text and "Desestimada y sellada" in text
    assert "2020 dismissals" not in text and "Dismissed and sealed" not in text
