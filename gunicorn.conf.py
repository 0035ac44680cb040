"""gunicorn settings: the Dockerfile, docker-compose.yml and benchmarks/load_test.py all run this.

Sizing (docs/operations.md, "Sizing"): measured on 2 cores with the Celery worker, beat,
PostgreSQL and the load client on the same machine, 2 x cores + 1 processes of 4 threads each
(gthread) gave a lower p95 than 3 or 8 processes of 4 (3 December). Each value can be set from
the environment (GUNICORN_*) to resize for another machine without rebuilding the image.
"""

import os

# The TLS proxy (or the compose port mapping bound to loopback) is the only way in.
bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS") or str(2 * (os.cpu_count() or 1) + 1))
# gunicorn quietly turns "sync" into gthread whenever threads > 1: every load test so far ran
# 5 processes x 4 threads, though this file said "sync". It now names what was measured, and
# asking for sync gets one thread (tests/test_deployment.py holds both).
threads = int(os.environ.get("GUNICORN_THREADS") or ("4" if worker_class == "gthread" else "1"))
# The slowest page (a result letter's PDF) takes well under a second; a worker stuck for 30 s is
# killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or "30")
graceful_timeout = 30
# Behind a proxy that keeps connections to us open.
keepalive = 5
# A worker is replaced after this many requests (plus jitter, so they do not all restart at
# once): a slow leak in any library cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or "5000")
max_requests_jitter = 500
# Request lines only: our URLs carry no personal data.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or "-"
errorlog = "-"
# gunicorn's own X-Forwarded-* handling stays off: Django reads X-Forwarded-Proto
# (SECURE_PROXY_SSL_HEADER) and the client address (TRUSTED_PROXY_COUNT) itself.
forwarded_allow_ips = ""
# gunicorn 23+'s control socket lives at one path per user: several servers on one machine (the
# fault tests, the load test) would take each other's. Nothing here uses it.
control_socket_disable = True
