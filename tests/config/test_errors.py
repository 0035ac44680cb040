"""When the database is down people get a translated 503 that says nothing was kept."""

import json
import os
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from config.errors import server_error
from tests.screener.public_flow import lookup_form_data
from tests.test_foundation import ROOT


def post_with_the_database_unreachable(language: str) -> tuple[int, dict, str]:
    """The lookup form, posted in a fresh process whose database is a port nobody listens on."""
    code = (
        "import json, sys, django; django.setup(); from django.test import Client; "
        "client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=sys.argv[1]); "
        "r = client.post('/check/', json.loads(sys.argv[2])); "
        "print(json.dumps([r.status_code, dict(r.headers), r.content.decode()]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL="postgres://nobody:nothing@127.0.0.1:9/absent",
    )
    data = json.dumps(lookup_form_data(language=language))
    result = subprocess.run(
        [sys.executable, "-c", code, language, data],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Nothing you entered was saved or sent", "try again in a few minutes"]),
        ("es", ["No se guardó ni se envió nada", "vuelva a intentarlo en unos minutos"]),
    ],
)
def test_a_submission_while_the_database_is_down_gets_the_friendly_503(language, words):
    status, headers, page = post_with_the_database_unreachable(language)
    assert status == 503
    assert headers["Retry-After"] == "120"
    for word in words:
        assert word in page
    for detail in ("5432", "127.0.0.1", "OperationalError", "postgres"):
        assert detail not in page


def test_other_server_errors_keep_the_generic_500_page():
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_a_database_error_reaching_the_handler_is_a_503():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
