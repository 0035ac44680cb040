"""The response-time floor applies only while matching runs inside the request."""

import time

import pytest
from django.test import Client

from tests.screener.public_flow import lookup_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_a_broker():
    """Tasks go to the broker: the request only stores the lookup (no commit here, no send)."""
    from config.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_with_a_broker_the_response_is_not_held_to_the_floor(settings, with_a_broker):
    settings.LOOKUP_RESPONSE_MIN_SECONDS = 2.0
    started = time.monotonic()
    response = Client().post("/check/", lookup_form_data())
    assert response.status_code == 303
    assert time.monotonic() - started < 1.0


def test_with_matching_in_the_request_the_floor_holds(settings):
    settings.LOOKUP_RESPONSE_MIN_SECONDS = 0.3
    started = time.monotonic()
    response = Client().post("/check/", lookup_form_data())
    assert response.status_code == 303
    assert time.monotonic() - started >= 0.3
