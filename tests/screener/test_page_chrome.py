"""The menu, footer and header every public page shares are rendered once per process and kept
(templates/base.html, the "fragments" cache): what is kept must still follow the page and the
language it is shown on."""

import pickle
import re

import pytest
from django.core.cache import caches
from django.urls import reverse

pytestmark = pytest.mark.django_db

CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>')


@pytest.fixture(autouse=True)
def empty_fragments():
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


@pytest.mark.parametrize(
    ("language", "home", "check"),
    [("en", "Home", "Check my record"), ("es", "Inicio", "Revisar mi historial")],
)
def test_the_menu_marks_the_page_shown_in_its_language_each_time(client, language, home, check):
    client.cookies["django_language"] = language
    for _ in range(2):  # the second time from what was kept
        assert CURRENT.findall(client.get(reverse("screener:home")).content.decode()) == [
            (reverse("screener:home"), home)
        ]
        assert CURRENT.findall(client.get(reverse("screener:lookup")).content.decode()) == [
            (reverse("screener:lookup"), check)
        ]


def test_a_page_in_one_language_does_not_get_the_other_languages_chrome(client):
    client.cookies["django_language"] = "en"
    assert "Skip to main content" in client.get(reverse("screener:home")).content.decode()
    client.cookies["django_language"] = "es"
    page = client.get(reverse("screener:home")).content.decode()
    assert "Skip to main content" not in page
    assert 'lang="es"' in page


def test_nothing_of_a_visitors_is_kept(client):
    # The language form carries the visitor's CSRF token and path: it stays outside the cache.
    client.get(reverse("screener:lookup"))
    # The values this process pickled itself, read back to look inside.
    kept = [pickle.loads(value) for value in caches["fragments"]._cache.values()]  # noqa: S301
    assert kept
    assert not [part for part in kept if "csrfmiddlewaretoken" in part]
