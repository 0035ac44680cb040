"""The offer of the eligibility check: on the not-found answer page, in both languages.

Messages read the same for every outcome (screener/disclosure.py), so the offer is no longer in
a not-found message: it is on the page the message's link leads to, once the person has typed
the code sent to them (level 1).
"""

import pytest

from screener.models import Notification
from screener.notifications.content import MessageContext, message_render
from tests.screener.public_flow import cases_load, nobody_form_data, verified_client

pytestmark = pytest.mark.django_db


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
def test_the_not_found_answer_page_offers_the_check(language, heading, link_text):
    cases_load()
    client = verified_client(nobody_form_data(language=language))
    client.cookies["django_language"] = language

    page = client.get("/my-request/").content.decode()

    assert heading in page and link_text in page
    assert 'href="/eligibility/"' in page


def test_no_message_carries_the_offer():
    context = MessageContext(
        reference="RC-AAA-AAA", site_url="https://x.example", status_url="https://x.example/s/"
    )
    for kind in Notification.Kind.values:
        for channel in Notification.Channel.values:
            message = message_render(kind=kind, channel=channel, language="en", context=context)
            assert "eligibility" not in message.text + message.html
