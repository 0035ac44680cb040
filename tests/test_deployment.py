"""What the Dockerfile, docker-compose.yml and the Makefile run: gunicorn.conf.py, loopback only."""

import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_publishes_gunicorn_on_loopback_only():
    for name, service in compose()["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on all interfaces"
    assert compose()["services"]["web"]["ports"]


def test_the_image_and_compose_run_gunicorn_with_its_config_file():
    assert '"gunicorn", "-c", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
    assert (
        "gunicorn -c gunicorn.conf.py config.wsgi:application"
        in (compose()["services"]["web"]["command"])
    )


def test_compose_requires_an_https_site_url_and_a_real_mail_server():
    environment = compose()["x-app"]["environment"]
    assert environment["SITE_URL"].startswith("${SITE_URL:?")
    assert environment["EMAIL_URL"].startswith("${EMAIL_URL:?")


def test_make_run_passes_its_own_address_as_site_url():
    result = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0", "PORT=9000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "SITE_URL=http://0.0.0.0:9000" in result.stdout
    assert "runserver 0.0.0.0:9000" in result.stdout


def test_gunicorn_conf_reads_its_sizing_from_the_environment(monkeypatch):
    import runpy

    monkeypatch.setenv("GUNICORN_WORKERS", "7")
    monkeypatch.setenv("GUNICORN_THREADS", "")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["workers"] == 7
    assert config["threads"] >= 1
    assert config["control_socket_disable"] is True


def _gunicorn_worker_class(monkeypatch, **env: str) -> str:
    """The worker class gunicorn itself resolves from gunicorn.conf.py under `env`."""
    import runpy

    from gunicorn.config import Config

    for name in ("GUNICORN_WORKER_CLASS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    for name in ("worker_class", "threads"):
        config.set(name, values[name])
    return config.worker_class_str


def test_gunicorn_runs_the_worker_class_its_config_names(monkeypatch):
    # gunicorn turns "sync" into gthread whenever threads > 1: asking for sync must get sync.
    assert _gunicorn_worker_class(monkeypatch) == "gthread"
    assert _gunicorn_worker_class(monkeypatch, GUNICORN_WORKER_CLASS="sync") == "sync"


def test_ci_gives_the_compose_check_every_variable_the_file_requires():
    """docker-compose refuses a file whose mandatory ``${NAME:?...}`` variables are unset."""
    import re

    required = set(re.findall(r"\$\{([A-Z_]+):\?", (ROOT / "docker-compose.yml").read_text()))
    ci = (ROOT / ".ci" / "run").read_text()
    check = ci[: ci.index("docker-compose -f docker-compose.yml config")]
    check = check[check.rindex("step ") :]
    missing = sorted(name for name in required if f"{name}=" not in check)
    assert not missing, f".ci/run's compose check does not set {missing}"


def test_compose_puts_the_worker_below_the_web_by_cpu_weight():
    # Each container is its own CPU group: `nice` inside one does not rank it against another.
    services = compose()["services"]
    assert services["worker"]["cpu_shares"] < services["web"].get("cpu_shares", 1024)


@pytest.mark.skipif(not Path("/proc/self/autogroup").exists(), reason="no autogroup scheduling")
def test_the_load_test_worker_session_runs_below_the_others():
    # Under autogroup scheduling a process's own nice ranks it within its session only; the
    # stack's processes each start a session, so the worker's session is niced as a whole.
    from benchmarks.stack import session_nice

    sleeper = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        session_nice(sleeper.pid, 10)
        assert "nice 10" in Path(f"/proc/{sleeper.pid}/autogroup").read_text()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_stack_log_starts_empty_and_keeps_a_restarted_process_history(tmp_path):
    # The load test counts submissions in web.log: a --logdir used before must not add its own.
    import sys

    from benchmarks.stack import Stack

    (tmp_path / "web.log").write_text('"POST /check/ HTTP/1.1" 303 from an earlier run\n')
    stack = Stack(database_url="", redis_url="", logdir=tmp_path, smtp_url="")
    for text in ("first life", "second life"):
        stack._spawn("web", [sys.executable, "-c", f"print({text!r})"], env={}).wait()
    assert stack.log("web").split() == ["first", "life", "second", "life"]


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ([], 0),
        # The ramp-up's submissions are left out; the window is 10 s from the 5th second.
        ([0, 1, 4.9, 5, 6, 14.9], 3),
        # Served after the window (a backlog, or the load ran long): not counted either.
        ([0, 5, 15, 16], 1),
    ],
)
def test_the_load_test_counts_submissions_at_full_load_only(offsets, expected):
    from datetime import UTC, datetime, timedelta

    from benchmarks.load_test import full_load_count

    first = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    created = [first + timedelta(seconds=offset) for offset in offsets]
    assert full_load_count(created, ramp=5, duration=10) == (expected, 10.0)
