"""Shared fixtures, and the gate for tests that need real services.

Integration tests (real PostgreSQL, Redis and a running worker) run when REDIS_URL is set; browser
tests when Chromium and chromedriver are installed. CI sets REQUIRE_INTEGRATION=1 and
REQUIRE_BROWSER=1 so that a missing service fails the run instead of silently skipping.
"""

import os
import shutil

import pytest
from django.core.cache import cache
from django.db.backends.signals import connection_created
from hypothesis import HealthCheck, settings

REQUIRE_INTEGRATION = os.environ.get("REQUIRE_INTEGRATION") == "1"

# Property-based tests (hypothesis) run in both CI passes; few examples keep the suite fast, and
# no deadline, since a PostgreSQL round trip varies. HYPOTHESIS_PROFILE=thorough tries more.
settings.register_profile(
    "default",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"


def browser_available() -> bool:
    return bool(shutil.which("chromedriver")) and bool(
        shutil.which("chromium") or shutil.which("chromium-browser")
    )


def pytest_collection_modifyitems(config, items):
    have_services = bool(os.environ.get("REDIS_URL"))
    have_browser = browser_available()
    for item in items:
        if "integration" in item.keywords and not have_services and not REQUIRE_INTEGRATION:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL, PostgreSQL and a worker"))
        if "browser" in item.keywords and not have_browser and not REQUIRE_BROWSER:
            item.add_marker(pytest.mark.skip(reason="needs chromium and chromedriver"))


def _allow_test_flush(sender, connection, **kwargs):
    # Transactional tests end by emptying every table with TRUNCATE, which the audit log's
    # trigger refuses unless the session says so (audit/migrations/0005_auditlog_no_truncate.py).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET audit.allow_truncate = 'on'")


connection_created.connect(_allow_test_flush, dispatch_uid="tests.allow_test_flush")


_ran = {"integration": 0, "browser": 0}


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        for marker in _ran:
            if marker in report.keywords:
                _ran[marker] += 1


def pytest_sessionfinish(session, exitstatus):
    required = {"integration": REQUIRE_INTEGRATION, "browser": REQUIRE_BROWSER}
    for marker, needed in required.items():
        if needed and _ran[marker] == 0:
            session.config.get_terminal_writer().line(
                f"ERROR: {marker} tests were required but none ran and passed.", red=True
            )
            session.exitstatus = 1
    if any(required.values()):
        session.config.get_terminal_writer().line(
            f"required-service tests passed: integration={_ran['integration']} "
            f"browser={_ran['browser']}"
        )


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put back what data migrations wrote (the two batches, the staff roles).

    A transactional test (live server, real worker) ends by flushing every table, data
    migrations' rows included, so the next one would start without them.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    import importlib

    from django.apps import apps

    from screener.roles import roles_ensure

    if not transactional:
        request.getfixturevalue("transactional_db")
    importlib.import_module("cases.migrations.0002_dismissal_batches").create_batches(apps, None)
    roles_ensure()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache (Redis in CI): start every test from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def real_worker():
    """Send tasks through the real broker to the worker that CI starts (integration tests)."""
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = True


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.25):
    """Poll until predicate() is truthy; return its value or fail with a clear message."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout:.0f}s")
