"""A strict Content Security Policy on the public pages, and pages that need nothing more."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("get", "/", None),
    ("get", "/check/", None),
    ("post", "/check/", {"first_name": ""}),
    ("get", "/status/", None),
    ("post", "/status/", {"reference": "nonsense"}),
    ("get", "/eligibility/", None),
    ("get", "/no-such-page/", None),
]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize(("method", "path", "data"), PUBLIC_PAGES)
def test_public_pages_send_the_strict_policy_and_carry_nothing_inline(method, path, data):
    response = getattr(Client(), method)(path, data or {})
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    page = response.content.decode()
    for pattern, what in INLINE:
        assert not pattern.search(page), f"{path} has {what}"


def test_the_error_pages_carry_nothing_inline():
    from django.template import loader

    from screener.context_processors import service_facts

    for template in ("500.html", "503.html"):
        page = loader.render_to_string(template, service_facts())
        for pattern, what in INLINE:
            assert not pattern.search(page), f"{template} has {what}"


def test_the_staff_site_may_use_inline_styles_but_not_scripts(admin_client):
    response = admin_client.get(reverse("admin:index"))
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]
