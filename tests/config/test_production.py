"""Production refuses to start half-configured, and `check --deploy` has nothing to say."""

import os
import subprocess
import sys

import pytest

from tests.test_foundation import PRODUCTION_ENV, ROOT, load_settings


def production(**overrides: str) -> dict:
    return load_settings("config.settings.production", **{**PRODUCTION_ENV, **overrides})


@pytest.mark.parametrize(
    "site_url",
    ["", "http://reliefcheck.example", "https://", "127.0.0.1:8000"],
)
def test_production_refuses_a_site_url_that_is_not_https(site_url):
    with pytest.raises(RuntimeError, match="SITE_URL must be the https address"):
        production(SITE_URL=site_url)


@pytest.mark.parametrize(
    "email_url", ["consolemail://", "memorymail://", "dummymail://", "filemail:///tmp/mail"]
)
def test_production_refuses_email_backends_that_deliver_nothing(email_url):
    with pytest.raises(RuntimeError, match="delivers nothing"):
        production(EMAIL_URL=email_url)


@pytest.mark.parametrize(
    "backend", ["screener.sms.ConsoleSMSBackend", "screener.sms.LocmemSMSBackend"]
)
def test_production_refuses_sms_backends_that_deliver_nothing(backend):
    with pytest.raises(RuntimeError, match="delivers nothing"):
        production(SMS_BACKEND=backend)


def test_a_setting_allows_undelivering_backends_explicitly():
    settings = production(
        EMAIL_URL="consolemail://",
        SMS_BACKEND="screener.sms.ConsoleSMSBackend",
        ALLOW_UNDELIVERED_MESSAGES="true",
    )
    assert settings["engine"] == "django.db.backends.postgresql"


def test_check_deploy_is_clean_with_the_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(PRODUCTION_ENV)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        # As long and varied as `check --deploy` wants a real key to be.
        SECRET_KEY="x7Kq2vN9pL4mR8sT1wY6zB3cF5hJ0gD-aE_uI!oP@lM#nQ$rS%tU^vW&yZ*",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
