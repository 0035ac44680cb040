import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def load_settings(module: str, **env: str) -> dict:
    """Import a settings module in a clean interpreter with exactly the given environment."""
    clean_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean_env.update(env)
    code = (
        f"import json, {module} as s; "
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
        "'name': str(s.DATABASES['default']['NAME']), 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
        "'broker': s.CELERY_BROKER_URL, 'cache': s.CACHES['default']['BACKEND'], "
        "'cache_location': s.CACHES['default'].get('LOCATION', '')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout)


def test_default_settings_use_sqlite_and_run_tasks_eagerly():
    settings = load_settings("config.settings.base")
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["name"].endswith("db.sqlite3")
    assert settings["eager"] is True
    assert settings["cache"].endswith("LocMemCache")


def test_database_and_redis_urls_select_postgresql_and_a_real_broker():
    settings = load_settings(
        "config.settings.base",
        DATABASE_URL="postgres://relief:pw@db.internal:5432/reliefcheck",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["name"] == "reliefcheck"
    assert settings["eager"] is False
    assert settings["broker"] == "redis://cache.internal:6379/0"
    assert settings["cache"].endswith("RedisCache")
    # Another Redis database than the broker's: clearing the cache keeps queued tasks.
    assert settings["cache_location"] == "redis://cache.internal:6379/1"


def test_production_refuses_to_start_without_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        load_settings(
            "config.settings.production",
            DATABASE_URL="postgres://relief:pw@db.internal:5432/reliefcheck",
            REDIS_URL="redis://cache.internal:6379/0",
            ALLOWED_HOSTS="reliefcheck.example",
            SECRET_KEY="",
        )


PRODUCTION_ENV = {
    "DATABASE_URL": "postgres://relief:pw@db.internal:5432/reliefcheck",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "reliefcheck.example",
    "SECRET_KEY": "a-real-secret-from-the-environment",
    "SERVICE_OPERATOR": "Los Angeles County Public Defender",
    "SERVICE_OPERATOR_EMAIL": "reliefcheck@pubdef.example.gov",
    "SITE_URL": "https://reliefcheck.example",
    "EMAIL_URL": "smtp+tls://relief:pw@smtp.internal:587",
    "SMS_BACKEND": "screener.sms.TwilioSMSBackend",
}


def test_production_starts_with_its_environment():
    settings = load_settings("config.settings.production", **PRODUCTION_ENV)
    assert settings["engine"] == "django.db.backends.postgresql"


@pytest.mark.parametrize("missing", ["SERVICE_OPERATOR", "SERVICE_OPERATOR_EMAIL"])
def test_production_refuses_to_start_without_saying_who_runs_it(missing):
    with pytest.raises(RuntimeError, match="SERVICE_OPERATOR and SERVICE_OPERATOR_EMAIL"):
        load_settings("config.settings.production", **{**PRODUCTION_ENV, missing: ""})


def test_production_refuses_the_tests_identity_provider():
    env = {**PRODUCTION_ENV, "IDENTITY_PROVIDER": "tests.screener.identity_double.FakeProvider"}
    with pytest.raises(RuntimeError, match="IDENTITY_PROVIDER names the tests' double"):
        load_settings("config.settings.production", **env)


def test_an_unknown_disclosure_policy_is_refused():
    with pytest.raises(RuntimeError, match='DISCLOSURE_POLICY must be "standard" or "strict"'):
        load_settings("config.settings.base", DISCLOSURE_POLICY="lenient")


@pytest.mark.django_db
def test_healthz_says_ok_and_nothing_more_when_database_and_broker_reachable(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable_and_does_not_say_why(client, settings):
    # Port 9 on loopback has no listener: the connection is refused at once.
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
def test_staff_see_which_dependency_failed_without_vendor_or_exception(admin_client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    response = admin_client.get(reverse("admin:health"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["broker"]["ok"] is False
    text = response.content.decode().lower()
    for word in ("sqlite", "postgresql", "connectionerror", "error"):
        assert word not in text


@pytest.mark.django_db
def test_the_health_details_need_a_staff_login(client):
    response = client.get(reverse("admin:health"))
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


def test_healthz_is_503_when_the_database_is_unreachable():
    # A fresh process whose DATABASE_URL points at a port with no server behind it.
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.json()['status'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL="postgres://nobody:nothing@127.0.0.1:9/absent",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["503", "unavailable"], result.stderr
