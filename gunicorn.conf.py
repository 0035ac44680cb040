"""gunicorn settings: the Dockerfile, docker-compose.yml and benchmarks/load_test.py all run this.

Sizing (docs/operations.md, "Sizing"): a request spends most of its time in Python (templates,
forms, the ORM), so threads in one process mostly wait for each other's GIL. Measured on 2 cores
with the Celery worker, beat, PostgreSQL and the load client on the same machine, sync workers,
2 x cores + 1 of them, served more submissions per second at a lower p95 than gthread with 3
processes x 4 threads (docs/operations.md has the figures). Each value can be set from the
environment (GUNICORN_*) to resize for another machine without rebuilding the image.
"""

import os

# The TLS proxy (or the compose port mapping bound to loopback) is the only way in.
bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "sync"
workers = int(os.environ.get("GUNICORN_WORKERS") or str(2 * (os.cpu_count() or 1) + 1))
# Used by the gthread class only.
threads = int(os.environ.get("GUNICORN_THREADS") or "4")
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
