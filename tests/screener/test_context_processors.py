"""Facts that pages repeat (review time, the Public Defender's number and address, who runs the
service) come from settings, through screener.context_processors.service_facts."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from config.errors import server_error
from screener.context_processors import service_facts
from tests.screener.reviewing import flagged

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_facts(settings):
    settings.PUBLIC_DEFENDER_PHONE = "(213) 974-2811"
    settings.PUBLIC_DEFENDER_URL = "https://pd.example.gov/cannabis/"
    settings.REVIEW_BUSINESS_DAYS = 15


def test_the_facts_default_to_the_public_defenders_line_and_ten_days():
    assert service_facts() == {
        "review_business_days": 10,
        "public_defender_phone": "(323) 760-6763",
        "public_defender_tel": "+13237606763",
        "public_defender_url": "https://pubdef.lacounty.gov",
        "public_defender_site": "pubdef.lacounty.gov",
        "service_operator": "Relief Check Project",
        "service_operator_email": "help@reliefcheck.example",
        "service_operator_phone": "",
        "service_operator_tel": "",
    }


def test_a_phone_setting_that_is_not_a_number_is_refused_clearly(settings):
    settings.PUBLIC_DEFENDER_PHONE = "call us"
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_DEFENDER_PHONE"):
        service_facts()


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_footer_gives_the_configured_help_line(client, other_facts, language):
    client.cookies["django_language"] = language
    content = client.get(reverse("screener:home")).content.decode()

    assert '<a class="usa-link" href="tel:+12139742811">(213) 974-2811</a>' in content
    assert '<a class="usa-link" href="https://pd.example.gov/cannabis/">' in content
    assert ">pd.example.gov/cannabis</a>" in content
    assert "760-6763" not in content and "pubdef.lacounty.gov" not in content


def test_the_operators_phone_must_be_a_number_too(settings):
    settings.SERVICE_OPERATOR_PHONE = "ask at the desk"
    with pytest.raises(ImproperlyConfigured, match="SERVICE_OPERATOR_PHONE"):
        service_facts()


@pytest.mark.parametrize(
    ("path", "language"),
    [
        (path, language)
        for path in ("/", "/check/", "/status/", "/about/", "/privacy/")
        for language in ("en", "es")
    ],
)
def test_every_page_says_who_runs_it_in_the_header_and_how_to_reach_them(
    client, settings, path, language
):
    settings.SERVICE_OPERATOR = "Los Angeles County Public Defender"
    settings.SERVICE_OPERATOR_EMAIL = "help@pd.example.gov"
    settings.SERVICE_OPERATOR_PHONE = "(213) 974-2811"
    client.cookies["django_language"] = language
    content = client.get(path).content.decode()

    header, footer = content.split("<main", 1)[0], content.rsplit("</main>", 1)[1]
    run_by = {
        "en": "Run by Los Angeles County Public Defender",
        "es": "A cargo de Los Angeles County Public Defender",
    }[language]
    assert run_by in header
    assert "Los Angeles County Public Defender" in footer
    assert 'href="mailto:help@pd.example.gov"' in footer
    assert 'href="tel:+12139742811"' in footer
    assert 'href="/about/"' in footer and 'href="/privacy/"' in footer


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "up to 15 business days"), ("es", "hasta 15 días hábiles")],
)
def test_the_home_page_promises_the_configured_review_time(client, other_facts, language, expected):
    client.cookies["django_language"] = language
    assert expected in client.get(reverse("screener:home")).content.decode()


def test_the_server_error_page_still_gives_the_help_line():
    with translation.override("en"):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert 'href="tel:+13237606763">(323) 760-6763</a>' in content


def test_the_reviewers_suggested_question_gives_the_configured_number(
    client, other_facts, jesus_cases, reviewer
):
    lookup = flagged()
    client.force_login(reviewer)

    response = client.get(reverse("admin:screener_reviewqueueitem_review", args=[lookup.pk]))

    message = response.context["form"].initial["message_to_person"]
    assert "cannabis dismissal line at (213) 974-2811 and give your reference code" in message
