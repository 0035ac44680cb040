import pytest

from config.site import site_url


@pytest.mark.parametrize(
    ("configured", "path", "expected"),
    [
        ("https://reliefcheck.example", "/status/", "https://reliefcheck.example/status/"),
        ("https://reliefcheck.example/", "/status/", "https://reliefcheck.example/status/"),
        ("https://reliefcheck.example/", "", "https://reliefcheck.example"),
        ("http://127.0.0.1:8000", "/letter/a:b/?x=1", "http://127.0.0.1:8000/letter/a:b/?x=1"),
    ],
)
def test_links_leaving_the_site_use_the_configured_address(settings, configured, path, expected):
    settings.SITE_URL = configured
    assert site_url(path) == expected
