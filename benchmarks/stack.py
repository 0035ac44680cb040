"""The production-like stack on loopback, as real processes: for the load test and the fault tests.

- `RedisServer`: a throwaway redis-server on its own port (never the shared one on 6379), which
  can be stopped and started again on the same port.
- `TcpProxy`: a TCP relay in front of PostgreSQL; stopping it makes the database refuse
  connections (and cuts open ones) without touching the shared server.
- `SmtpSink` and `TwilioStandIn`: local providers that keep what they receive, or refuse it
  (`failing = True`: SMTP answers 451, Twilio answers HTTP 500).
- `Stack`: gunicorn (with gunicorn.conf.py), Celery workers and beat, with the production
  settings module, pointed at the pieces above.

Everything binds to 127.0.0.1 and every process is stopped by `Stack.stop()`.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import select
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"


def session_nice(pid: int, nice: int) -> None:
    """Put the session of `pid` at `nice` against the other sessions on the machine.

    With the kernel's autogroup scheduling (on by default on desktop and many server kernels),
    each session is its own scheduling group, and a process's own nice value only ranks it
    against processes of its session: `nice -n 10 celery ...` started in a session of its own
    still took an equal share of the cores from gunicorn. The session's nice is set through
    /proc/PID/autogroup. Containers are the same story with cgroups: docker-compose.yml gives
    the worker fewer CPU shares.
    """
    autogroup = Path(f"/proc/{pid}/autogroup")
    if nice and autogroup.exists():
        # Refused where there is no autogroup scheduling: the process's own nice does the work.
        with contextlib.suppress(OSError):
            autogroup.write_text(str(nice))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], object], *, timeout: float, what: str, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout:.0f}s")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((LOOPBACK, port)) == 0


def http_status(url: str, timeout: float = 5.0) -> int | None:
    """The status of a GET, or None when nothing answered."""
    from urllib.error import HTTPError
    from urllib.request import urlopen

    try:
        with urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback URLs only)
            return response.status
    except HTTPError as exc:
        return exc.code
    except OSError:
        return None


# --- Redis ---------------------------------------------------------------------------------------


class RedisServer:
    """redis-server on a free loopback port, without persistence: stopping it loses the queue,
    as a Redis that crashed without its append-only file would."""

    def __init__(self, logdir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.logdir = logdir
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://{LOOPBACK}:{self.port}/{db}"

    def start(self) -> None:
        log = open(self.logdir / f"redis-{self.port}.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", LOOPBACK, "--save", "",
             "--appendonly", "no", "--protected-mode", "yes"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(lambda: port_open(self.port), timeout=15, what="redis-server")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None


# --- PostgreSQL through a relay ------------------------------------------------------------


class TcpProxy:
    """Relays 127.0.0.1:port to a target; `stop()` refuses new connections and cuts open ones."""

    def __init__(self, target_host: str, target_port: int, port: int | None = None) -> None:
        self.target = (target_host, target_port)
        self.port = port or free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LOOPBACK, self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would leave the
            # socket listening for as long as that call holds it.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                readable, _, _ = select.select([a, b], [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            a.close()
            b.close()


# --- Providers -----------------------------------------------------------------------------------


@dataclass
class Delivered:
    recipients: list[str]
    data: bytes


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: _SmtpServer

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        sink = self.server.sink
        self.reply("220 localhost sink")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                if sink.failing:
                    self.reply("451 4.3.0 temporarily unavailable")
                else:
                    recipients = []
                    self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                chunks = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk == b".\r\n":
                        break
                    chunks.append(chunk)
                sink.record(Delivered(recipients=recipients, data=b"".join(chunks)))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    sink: SmtpSink


class SmtpSink:
    """An SMTP server that keeps every message; `failing` makes it answer 451 to each one."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.failing = False
        self.messages: list[Delivered] = []
        self._lock = threading.Lock()
        self._server: _SmtpServer | None = None

    def record(self, message: Delivered) -> None:
        with self._lock:
            self.messages.append(message)

    def url(self) -> str:
        return f"smtp://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        self._server = _SmtpServer((LOOPBACK, self.port), _SmtpHandler)
        self._server.sink = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


class TwilioStandIn:
    """Twilio's Messages endpoint on loopback; `failing` makes it answer HTTP 500."""

    ACCOUNT_SID = "AC" + "0" * 32
    AUTH_TOKEN = "stand-in-token"  # noqa: S105
    FROM_NUMBER = "+13235550100"

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.failing = False
        self.refused = 0
        self.messages: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server: http.server.ThreadingHTTPServer | None = None

    def api_base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/2010-04-01"

    def settings_env(self) -> dict[str, str]:
        return {
            "SMS_BACKEND": "screener.sms.TwilioSMSBackend",
            "TWILIO_API_BASE": self.api_base(),
            "TWILIO_ACCOUNT_SID": self.ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": self.AUTH_TOKEN,
            "TWILIO_FROM_NUMBER": self.FROM_NUMBER,
        }

    def start(self) -> None:
        standin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if standin.failing or not urlsplit(self.path).path.endswith("/Messages.json"):
                    with standin._lock:
                        standin.refused += 1
                    self._answer(500, {"code": 20500, "message": "Internal Server Error"})
                    return
                with standin._lock:
                    standin.messages.append(form)
                self._answer(201, {"sid": "SM" + uuid.uuid4().hex, "status": "queued"})

            def _answer(self, status: int, body: dict) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer((LOOPBACK, self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


# --- The application's processes ------------------------------------------------------------------


@dataclass
class Stack:
    """gunicorn, Celery worker(s) and beat with the production settings, on loopback."""

    database_url: str
    redis_url: str
    logdir: Path
    smtp_url: str
    extra_env: dict[str, str] = field(default_factory=dict)
    # Where collectstatic writes; shared between stacks to collect once.
    static_root: Path | None = None
    web_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    # Names whose log this stack has begun (emptied): later starts of the same name append.
    _logs_begun: set[str] = field(default_factory=set)
    # Restarted when they exit on their own, as compose's `restart: unless-stopped` does: a
    # Celery worker holding an unacknowledged task when Redis goes away exits ("Unrecoverable
    # error" in kombu 5.7) and is started again by its supervisor.
    supervised: dict[str, tuple[list[str], dict[str, str]]] = field(default_factory=dict)
    _supervisor: threading.Thread | None = None

    @property
    def web_url(self) -> str:
        return f"http://{LOOPBACK}:{self.web_port}"

    def env(self, **overrides: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "CELERY_", "EMAIL_", "SMS_"))
            and key not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "PYTEST_ADDOPTS"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY="stack-" + uuid.uuid4().hex * 2,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            ALLOWED_HOSTS=LOOPBACK,
            SITE_URL=f"https://{LOOPBACK}:{self.web_port}",
            CSRF_TRUSTED_ORIGINS=f"https://{LOOPBACK}:{self.web_port}",
            EMAIL_URL=self.smtp_url,
            SERVICE_OPERATOR="Relief Check load test",
            SERVICE_OPERATOR_EMAIL="operator@example.org",
            # The clients speak to gunicorn as the TLS proxy would: http, with its headers.
            TRUSTED_PROXY_COUNT="1",
            STAFF_REQUIRE_OTP="false",
            PYTHONUNBUFFERED="1",
            STATIC_ROOT=str(self.static_root or self.logdir / "static"),
        )
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def collectstatic(self) -> None:
        """The manifest the production settings serve from (STATIC_ROOT in logdir), once."""
        static_root = Path(self.env()["STATIC_ROOT"])
        if (static_root / "staticfiles.json").exists():
            return
        subprocess.run(
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env(),
            check=True,
        )

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        # A log starts empty with the stack (a --logdir used before would add its requests to
        # this run's counts) and keeps a supervised process's earlier lives after a restart.
        mode = "ab" if name in self._logs_begun else "wb"
        self._logs_begun.add(name)
        log = open(self.logdir / f"{name}.log", mode)  # noqa: SIM115
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def _supervise(self) -> None:
        while self.supervised:
            for name, (argv, env) in list(self.supervised.items()):
                process = self.processes.get(name)
                if process is not None and process.poll() is not None:
                    with open(self.logdir / f"{name}.log", "ab") as log:
                        log.write(
                            f"\n[stack] {name} exited ({process.returncode}): restarting\n".encode()
                        )
                    self._spawn(name, argv, env)
            time.sleep(1.0)

    def _spawn_supervised(self, name: str, argv: list[str], env: dict[str, str]):
        process = self._spawn(name, argv, env)
        self.supervised[name] = (argv, env)
        if self._supervisor is None or not self._supervisor.is_alive():
            self._supervisor = threading.Thread(target=self._supervise, daemon=True)
            self._supervisor.start()
        return process

    def log(self, name: str) -> str:
        path = self.logdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start_web(self, **env: str) -> None:
        # PGAPPNAME (here and for the workers and beat): pg_stat_activity names the process
        # behind each connection, to see who holds and who waits on a lock under load.
        self._spawn(
            "web",
            [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
             "config.wsgi:application"],
            self.env(GUNICORN_BIND=f"{LOOPBACK}:{self.web_port}", PGAPPNAME="web", **env),
        )  # fmt: skip
        # The port opens before the workers have loaded Django: wait for an answer.
        wait_until(
            lambda: http_status(f"{self.web_url}/healthz") is not None, timeout=90, what="gunicorn"
        )

    def start_worker(self, name: str = "worker", concurrency: int = 2, nice: int = 0, **env: str):
        """A Celery worker; `nice` as docker-compose.yml runs it (below the web processes)."""
        process = self._spawn_supervised(
            name,
            ["nice", "-n", str(nice),
             str(BIN / "celery"), "-A", "config", "worker", "--loglevel=INFO",
             f"--concurrency={concurrency}", f"--hostname={name}-{uuid.uuid4().hex[:6]}@%h",
             "--without-gossip", "--without-mingle"],
            self.env(PGAPPNAME=name, **env),
        )  # fmt: skip
        session_nice(process.pid, nice)
        wait_until(
            lambda: "ready." in self.log(name) or process.poll() is not None,
            timeout=90,
            what=f"celery {name}",
        )
        if process.poll() is not None:
            raise RuntimeError(f"celery {name} exited:\n{self.log(name)[-3000:]}")
        return process

    def start_beat(self, **env: str) -> subprocess.Popen:
        schedule = self.logdir / f"beat-schedule-{uuid.uuid4().hex[:6]}"
        return self._spawn(
            "beat",
            [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO",
             f"--schedule={schedule}"],
            self.env(PGAPPNAME="beat", **env),
        )  # fmt: skip

    def child_pids(self, name: str) -> list[int]:
        """The pool processes of a prefork worker (its children)."""
        parent = self.processes[name].pid
        children = Path(f"/proc/{parent}/task/{parent}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a process and everything it started (its session); it is not restarted."""
        self.supervised.pop(name, None)
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        process.wait(timeout=30)

    def stop(self) -> None:
        self.supervised.clear()
        if self._supervisor is not None:
            self._supervisor.join(timeout=5)
        for name in list(self.processes):
            process = self.processes[name]
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    self.kill(name)
            self.processes.pop(name, None)
