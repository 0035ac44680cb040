"""Every message kind × channel × language, from one set of templates translated in locale/es.

The Spanish rendering must be Spanish throughout: no English sentence left over from a string
that was not marked or not translated. Facts (review time, the Public Defender's number and
address) come from settings, the same in both languages.
"""

import html
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import strip_tags

from screener.letters import LetterCase
from screener.models import Notification
from screener.notifications.content import MessageContext, message_render
from screener.sms import MAX_SEGMENTS, sms_segments
from tests.screener.notifying import SAMPLE_CASES

Kind = Notification.Kind
Channel = Notification.Channel

SITE = "https://reliefcheck.lacounty.gov"
UNSUBSCRIBE = f"{SITE}/notifications/unsubscribe/MTIzNDU2Nw:1tAbCd:{'y' * 43}/"
REQUEST_TEXT = "Please send the case number on your court papers."
CASES = (
    *SAMPLE_CASES,
    LetterCase(
        case_number="KA057009",
        court="Pasadena Courthouse",
        batch_name="Other batch",
        relief="other",
        relief_label="Other relief",
        relief_date=None,
        conviction_date=None,
        charges=(),
    ),
)
# The ways a message's wording branches: what was found, for whom, how to reach them.
VARIANTS = {
    "found": {"found": True, "cases": CASES},
    "one case": {"found": True, "cases": CASES[:1]},
    "not found": {"found": False, "cases": (), "letter_url": ""},
    "for someone else, by phone only": {"is_self": False, "has_email": False},
}
# Words that only English uses: one of them in a Spanish message means an untranslated string.
ENGLISH_ONLY_WORDS = re.compile(
    r"\b(the|your|you|we|and|with|for|this|that|is|of|to|in|it|our|will|not|was|"
    r"can|if|has|have|are|be|or|an|at|by|from|here|they|them|what|when|who|which)\b"
)
# What each Spanish message must say, in the wording of the former .es templates.
SPANISH_PHRASES = {
    Kind.RECEIVED: ["Recibimos su solicitud", "días hábiles"],
    Kind.RESULT_MATCH: ["el resultado de su solicitud", "está listo"],
    Kind.RESULT_NO_MATCH: ["no encontramos un caso", "Defensoría Pública del condado de"],
    Kind.RESULT_POSSIBLE: ["está revisando", "en un plazo de 10 días hábiles"],
    Kind.REVIEW_DECIDED: ["el personal", "revis"],
    Kind.MORE_INFO: ["más información", "número de caso de la corte"],
}


def unaccented(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def render(kind: str, channel: str, language: str, **overrides):
    values = {
        "reference": "RC-7KQ-93M",
        "site_url": SITE,
        "status_url": f"{SITE}/status/",
        "letter_url": f"{SITE}/letter/1234567:1tAbCd:{'x' * 43}/",
        "found": True,
        "cases": CASES,
        "request_text": REQUEST_TEXT,
        "has_email": True,
        **overrides,
    }
    return message_render(
        kind=kind,
        channel=channel,
        language=language,
        context=MessageContext(**values),
        unsubscribe_url=UNSUBSCRIBE if channel == Channel.EMAIL else "",
    )


def readable_parts(message) -> dict[str, str]:
    """What a person reads: subject, text part, and the HTML part without its markup."""
    return {
        "subject": message.subject,
        "text": message.text,
        "html": html.unescape(strip_tags(message.html)),
    }


def without_values(text: str) -> str:
    """Drop what is the same in every language: codes, links, names of courts and batches."""
    values = [REQUEST_TEXT, settings.PUBLIC_DEFENDER_PHONE, "Relief Check", "Public Defender"]
    for case in CASES:
        values += [case.case_number, case.court, case.batch_name]
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, " ")
    return re.sub(r"\S*(https?://|RC-|\.gov)\S*", " ", text)


def english_sentences(text: str) -> list[str]:
    pieces = re.split(r"(?<=[.!?:;])\s+|\n+", without_values(text))
    return [piece.strip() for piece in pieces if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("channel", Channel.values)
@pytest.mark.parametrize("kind", Kind.values)
def test_the_spanish_message_has_no_english_left(kind, channel, variant):
    english = readable_parts(render(kind, channel, "en", **VARIANTS[variant]))
    spanish = readable_parts(render(kind, channel, "es", **VARIANTS[variant]))

    for part, english_text in english.items():
        spanish_text = spanish[part]
        assert bool(spanish_text) == bool(english_text), part
        for sentence in english_sentences(english_text):
            assert sentence not in spanish_text, (part, sentence)
        english_words = ENGLISH_ONLY_WORDS.findall(without_values(spanish_text).lower())
        assert not english_words, (part, english_words)


@pytest.mark.parametrize("channel", Channel.values)
@pytest.mark.parametrize("kind", Kind.values)
def test_the_spanish_message_says_what_the_spanish_wording_said(kind, channel):
    found = kind != Kind.RESULT_NO_MATCH
    message = render(kind, channel, "es", found=found, cases=CASES if found else ())
    body = html.unescape(strip_tags(message.text + message.html)).lower()
    if channel == Channel.SMS:
        # A text that would not fit in two segments as UCS-2 is sent with its accents folded.
        body, fold = unaccented(body), unaccented
    else:
        fold = str
    for phrase in SPANISH_PHRASES[kind]:
        assert fold(phrase.lower()) in body, phrase
    if channel == Channel.SMS:
        assert fold(message.text.splitlines()[-1]) == "Responda STOP para no recibir mas mensajes"
    else:
        assert message.text.startswith("Hola:\n")
        assert '<html lang="es">' in message.html
        assert "Condado de Los Ángeles" in message.html


def test_the_spanish_case_list_names_labels_relief_and_dates_in_spanish():
    message = render(Kind.RESULT_MATCH, Channel.EMAIL, "es")
    for expected in (
        "Número de caso: BA123456",
        "Corte: Los Angeles Superior Court",
        "Resultado: desestimado y sellado",
        "Resultado: reducido",
        "Resultado: alivio concedido",
        "Fecha del alivio: 13 de febrero de 2020",
        "Lote de desestimaciones: 2020 DOJ batch (AB 1793)",
        "QUÉ SIGNIFICA",
        "SU CARTA DE RESULTADO",
        "Encontramos casos que coinciden con los datos que nos dio. Fueron desestimados",
        "El enlace funciona durante 30 días:",
    ):
        assert expected in message.text, expected
    assert (
        "Encontramos un caso que coincide"
        in render(Kind.RESULT_MATCH, Channel.EMAIL, "es", cases=CASES[:1]).text
    )


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_sms_fits_its_segment_limit(kind, language, variant):
    text = render(kind, Channel.SMS, language, **VARIANTS[variant]).text
    assert sms_segments(text) <= MAX_SEGMENTS, (len(text), text)


# --- Facts from settings ------------------------------------------------------


@pytest.fixture
def other_facts(settings):
    settings.PUBLIC_DEFENDER_PHONE = "(213) 974-2811"
    settings.PUBLIC_DEFENDER_URL = "https://pd.example.gov/cannabis/"
    settings.REVIEW_BUSINESS_DAYS = 15


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    ("kind", "found"), [(Kind.RESULT_NO_MATCH, False), (Kind.REVIEW_DECIDED, False)]
)
def test_not_found_messages_give_the_configured_public_defender(other_facts, kind, found, language):
    email = render(kind, Channel.EMAIL, language, found=found, cases=(), letter_url="")
    sms = render(kind, Channel.SMS, language, found=found, cases=(), letter_url="")

    assert "(213) 974-2811" in email.text and "(213) 974-2811" in sms.text
    assert "https://pd.example.gov/cannabis/" in email.text
    assert 'href="tel:+12139742811"' in email.html
    assert ">(213)&nbsp;974-2811</a>" in email.html
    assert 'href="https://pd.example.gov/cannabis/"' in email.html
    assert ">pd.example.gov/cannabis</a>" in email.html
    for message in (email, sms):
        assert "760-6763" not in message.text + message.html
        assert "pubdef.lacounty.gov" not in message.text + message.html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "up to 15 business days"), ("es", "hasta 15 días hábiles")],
)
def test_the_promised_review_time_is_the_setting(other_facts, language, expected):
    assert expected in render(Kind.RECEIVED, Channel.EMAIL, language).text
    assert unaccented(expected) in unaccented(render(Kind.RECEIVED, Channel.SMS, language).text)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "within 1 business day."), ("es", "en un plazo de 1 día hábil.")],
)
def test_one_review_day_reads_in_the_singular(settings, language, expected):
    settings.REVIEW_BUSINESS_DAYS = 1
    assert expected in render(Kind.RESULT_POSSIBLE, Channel.EMAIL, language).text
    sms = render(Kind.RESULT_POSSIBLE, Channel.SMS, language).text
    assert unaccented(expected) in unaccented(sms)


# --- One template per kind and channel ------------------------------------------


def test_each_kind_has_one_template_per_part_and_none_per_language():
    folder = Path(settings.BASE_DIR) / "templates" / "notifications"
    names = {path.name for path in folder.iterdir()}
    assert not [name for name in names if re.search(r"\.(en|es)\.", name)]
    for kind in Kind.values:
        for suffix in ("subject.txt", "txt", "html", "sms.txt"):
            assert f"{kind}.{suffix}" in names
