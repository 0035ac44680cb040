"""Every message kind × channel × language, from one set of templates translated in locale/es.

The Spanish rendering must be Spanish throughout: no English sentence left over from a string
that was not marked or not translated. Facts (review time, who runs the service) come from
settings, the same in both languages. What a message may carry is the disclosure policy's: the
same words for every outcome, whatever the context knows (screener/disclosure.py).
"""

import html
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import strip_tags

from screener.disclosure import PublicOutcome
from screener.models import Notification
from screener.notifications.content import MessageContext, message_disclosable, message_render
from screener.sms import MAX_SEGMENTS, sms_segments

Kind = Notification.Kind
Channel = Notification.Channel

SITE = "https://reliefcheck.lacounty.gov"
UNSUBSCRIBE = f"{SITE}/notifications/unsubscribe/MTIzNDU2Nw:1tAbCd:{'y' * 43}/"
REQUEST_TEXT = "Please send the case number on your court papers."
# The ways a message's context varies: what was found, for whom, how to reach them.
VARIANTS = {
    "found": {"outcome": PublicOutcome.FOUND},
    "in review, with a question": {
        "outcome": PublicOutcome.IN_REVIEW,
        "request_text": REQUEST_TEXT,
    },
    "not found": {"outcome": PublicOutcome.NOT_FOUND},
    "for someone else, by phone only": {"is_self": False, "has_email": False},
}
# Words that only English uses: one of them in a Spanish message means an untranslated string.
ENGLISH_ONLY_WORDS = re.compile(
    r"\b(the|your|you|we|and|with|for|this|that|is|of|to|in|it|our|will|not|was|"
    r"can|if|has|have|are|be|or|an|at|by|from|here|they|them|what|when|who|which)\b"
)
# What each Spanish message must say.
SPANISH_PHRASES = {
    Kind.RECEIVED: ["Recibimos su solicitud", "días hábiles"],
    Kind.RESULT_MATCH: ["su resultado", "está listo"],
    Kind.RESULT_NO_MATCH: ["su resultado", "está listo"],
    Kind.RESULT_POSSIBLE: ["su resultado", "está listo"],
    Kind.REVIEW_DECIDED: ["hay novedades sobre su solicitud"],
    Kind.MORE_INFO: ["hay novedades sobre su solicitud"],
    Kind.CODE: ["código", "no se lo dé a nadie"],
    Kind.ANSWER_AGAIN: ["nuevo enlace a su respuesta"],
    Kind.SOMEONE_ELSE_ASKED: ["preguntó por", "no le respondimos"],
}


def unaccented(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def render(kind: str, channel: str, language: str, **overrides):
    values = {
        "reference": "RC-7KQ-93M",
        "site_url": SITE,
        "status_url": f"{SITE}/status/",
        "link_url": f"{SITE}/r/{'x' * 32}/",
        "outcome": PublicOutcome.FOUND,
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
    values = [
        REQUEST_TEXT,
        settings.PUBLIC_DEFENDER_PHONE,
        settings.SERVICE_OPERATOR,
        settings.SERVICE_OPERATOR_EMAIL,
        "Relief Check",
        "Public Defender",
    ]
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
    message = render(kind, channel, "es")
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


# --- The same words whatever was found ---------------------------------------------------


OUTCOMES = [
    {"outcome": outcome, "request_text": text}
    for outcome in PublicOutcome
    for text in ("", REQUEST_TEXT, "Is case BA123456, convicted 1995-06-01, yours?")
]


@pytest.mark.parametrize("policy", ["standard", "strict"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("channel", Channel.values)
@pytest.mark.parametrize("kind", Kind.values)
def test_a_message_reads_the_same_whatever_was_found(settings, kind, channel, language, policy):
    settings.DISCLOSURE_POLICY = policy
    rendered = {render(kind, channel, language, **values) for values in OUTCOMES}
    assert len(rendered) == 1
    [message] = rendered
    assert "BA123456" not in message.subject + message.text + message.html


def test_the_policy_takes_the_outcome_and_the_question_out_of_the_context():
    context = MessageContext(
        reference="RC-7KQ-93M",
        site_url=SITE,
        status_url=f"{SITE}/status/",
        outcome=PublicOutcome.FOUND,
        request_text=REQUEST_TEXT,
    )
    for channel in Channel.values:
        kept = message_disclosable(context, channel=channel)
        assert (kept.reference, kept.outcome, kept.request_text) == ("RC-7KQ-93M", "", "")


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


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "up to 15 business days"), ("es", "hasta 15 días hábiles")],
)
def test_the_promised_review_time_is_the_setting(other_facts, language, expected):
    assert expected in render(Kind.RECEIVED, Channel.EMAIL, language).text
    assert unaccented(expected) in unaccented(render(Kind.RECEIVED, Channel.SMS, language).text)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "up to 1 business day."), ("es", "hasta 1 día hábil.")],
)
def test_one_review_day_reads_in_the_singular(settings, language, expected):
    settings.REVIEW_BUSINESS_DAYS = 1
    assert expected in render(Kind.RECEIVED, Channel.EMAIL, language).text
    sms = render(Kind.RECEIVED, Channel.SMS, language).text
    assert unaccented(expected.rstrip(".")) in unaccented(sms)


# --- One template per kind and channel ------------------------------------------


def test_each_kind_has_one_template_per_part_and_none_per_language():
    folder = Path(settings.BASE_DIR) / "templates" / "notifications"
    names = {path.name for path in folder.iterdir()}
    assert not [name for name in names if re.search(r"\.(en|es)\.", name)]
    for kind in Kind.values:
        for suffix in ("subject.txt", "txt", "html", "sms.txt"):
            assert f"{kind}.{suffix}" in names


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("channel", Channel.values)
@pytest.mark.parametrize("kind", Kind.values)
def test_a_message_from_the_rendered_once_shape_is_the_message_rendered_whole(
    kind, channel, language, variant
):
    from screener.notifications.content import _render

    # An unsubscribe link with what HTML must escape, and two lookups' references: each
    # message has its own filled in where the shape had a stand-in.
    link = f"{UNSUBSCRIBE}?a=1&b=2"
    for reference in ("RC-7KQ-93M", "RC-ACD-EFG"):
        values = {"reference": reference, "site_url": SITE, "status_url": f"{SITE}/status/"}
        context = MessageContext(**{**values, **VARIANTS[variant]})
        unsubscribe = link if channel == Channel.EMAIL else ""
        shaped = message_render(
            kind=kind,
            channel=channel,
            language=language,
            context=context,
            unsubscribe_url=unsubscribe,
        )
        whole = _render(
            kind, channel, language, message_disclosable(context, channel=channel), unsubscribe
        )
        assert shaped == whole


def test_a_changed_setting_is_in_the_next_message_rendered(settings):
    before = render(Kind.CODE, Channel.EMAIL, "en", request_text="")
    settings.SERVICE_OPERATOR = "The Office of Another Operator"
    after = render(Kind.CODE, Channel.EMAIL, "en", request_text="")
    assert "The Office of Another Operator" not in before.text
    assert "The Office of Another Operator" in after.text
