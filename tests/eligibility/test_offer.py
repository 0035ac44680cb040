"""The offer of the eligibility check in the not-found messages, in both languages and formats."""

import pytest

from screener.notifications.content import MessageContext, message_render


@pytest.mark.parametrize(
    ("language", "heading", "link_text"),
    [
        ("en", "Not in the batches? You may still clear it", "Check if you can still clear it"),
        (
            "es",
            "¿No está en los lotes? Quizás todavía pueda borrarla",
            "Vea si todavía puede borrarla",
        ),
    ],
)
@pytest.mark.parametrize("kind", ["result_no_match", "review_decided"])
def test_a_not_found_email_offers_the_check_with_a_full_link(kind, language, heading, link_text):
    context = MessageContext(
        reference="RC-AAA-AAA",
        site_url="https://reliefcheck.example",
        status_url="https://reliefcheck.example/status/",
    )
    message = message_render(kind=kind, channel="email", language=language, context=context)
    assert heading.upper() in message.text
    assert "https://reliefcheck.example/eligibility/" in message.text
    assert heading in message.html and link_text in message.html
    assert 'href="https://reliefcheck.example/eligibility/"' in message.html


def test_a_text_message_stays_short_and_carries_no_offer():
    context = MessageContext(
        reference="RC-AAA-AAA", site_url="https://x.example", status_url="https://x.example/s/"
    )
    message = message_render(kind="result_no_match", channel="sms", language="en", context=context)
    assert "eligibility" not in message.text
