"""Relief Check settings. Everything comes from the environment; see README.md.

The defaults are the embedded set-up used by `make run` and `make test`: a SQLite file,
no broker (Celery tasks run eagerly in-process), console email and SMS.
"""

from pathlib import Path

import environ
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -----------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Only good for the embedded default; production.py refuses to start without SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-never-used-in-production")
# Key of the keyed hashes that stand in for personal data: search terms in audit rows, opted-out
# addresses, the audit chain (audit/hashing.py). Unlike SECRET_KEY it must never be rotated:
# the opt-out list and `verify_audit` compare against hashes made with it.
PRIVACY_HASH_KEY = env("PRIVACY_HASH_KEY", default=SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # django.contrib.admin, with the staff site of config/staff_admin.py as its default site
    "config.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # One-time codes (`manage.py addstatictoken <user>`): the first login when OTP is required.
    "django_otp.plugins.otp_static",
    "crispy_forms",
    # Staff sign-in throttling and lockout (AXES_* below).
    "axes",
    "csp",
    # The audit log, below both apps: cases and screener write it, it imports neither.
    "audit",
    "cases",
    "screener",
    "eligibility",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a session that ended says so on the sign-in page.
    "config.staff_sessions.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "screener.context_processors.service_facts",
            ],
        },
    },
]

# --- Database (https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# The owner role that `manage.py migrate` connects as, when the application's own role (above)
# may not change the schema; see docs/database-roles.md. Empty: one role does both.
DATABASE_MIGRATE_URL = env("DATABASE_MIGRATE_URL", default="")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["timeout"] = 20

# --- Broker and cache -------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# The cache lives in its own Redis database: clearing it (tests do) must never drop queued tasks.
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default="")
if REDIS_URL and not REDIS_CACHE_URL:
    from urllib.parse import urlsplit, urlunsplit

    _broker = urlsplit(REDIS_URL)
    _broker_db = int(_broker.path.strip("/") or 0)
    REDIS_CACHE_URL = urlunsplit(_broker._replace(path=f"/{_broker_db + 1}"))

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis, or process memory while Redis is unreachable: rate limits fall back to
            # counting per process rather than refusing everyone or no one (config/cache.py).
            "BACKEND": "config.cache.FallbackRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "reliefcheck",
            # A request waits at most this long on a Redis that does not answer.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # The matching engine caches how common each name is; 300 entries (the default)
            # would evict the common ones all the time.
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

# Page parts that are the same for every visitor in a language (the menu, the footer), kept in
# each process ({% cache ... using="fragments" %} in templates/base.html): they were half the
# CPU of rendering the page chrome, on every public page. Keyed on everything they show.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 1_000},
}

# --- Celery (https://docs.celeryq.dev/en/stable/userguide/configuration.html)
CELERY_BROKER_URL = REDIS_URL or "memory://"
if CELERY_BROKER_URL.startswith("redis://"):
    # kombu's Redis transport, one client per channel instead of one per publish (config/broker.py).
    # Other schemes (rediss://, sentinel://) keep kombu's own, which sets up TLS or Sentinel.
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
CELERY_RESULT_BACKEND = None
# Without a broker the embedded default runs every task in-process, so the whole flow works.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
# A task whose worker died is redelivered instead of silently dropped.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# With late acknowledgement a message stays unacknowledged while its task runs, and while a retry
# waits for its countdown; Redis hands it to another worker after this many seconds. It must
# exceed the longest hard time limit (partner screening, 3,600 s) and the longest retry wait
# (a notification's, up to 6 min), or a task still running or waiting would be run twice. A
# lookup whose worker died does not wait for it: the sweep below re-enqueues it after minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3900),
    # A worker takes from CELERY_TASK_QUEUES in their order, the first that has a message.
    "queue_order_strategy": "priority",
}
# Two queues, and every worker consumes both (no -Q to forget): one-time code messages, which a
# person waits for on the page to see their answer, and everything else. In a surge the checks
# queue up for minutes (benchmarks/load_test.py at 30/s: the code message was sent 79 s after
# the submission, as long as the check); a code now waits only for the tasks already running.
CELERY_CODES_QUEUE = "codes"
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue(CELERY_CODES_QUEUE), Queue(CELERY_TASK_DEFAULT_QUEUE))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up after about half a second while Redis is down (Celery's default waits
# longer): the submission is already stored and the sweep enqueues it once Redis is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2.0
# Celery's Django fix-up closes every database connection before and after every task unless
# this is set, so each task paid for a new PostgreSQL connection (a server process forked, the
# password exchange): a fifth of the worker's time under load (benchmarks/load_test.py, py-spy).
# With it, the worker keeps its connection as the web processes do (CONN_MAX_AGE), and
# config/celery.py checks it before each task the way Django does before each request.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=500)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {}

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes checks every sign-in before the password is (https://django-axes.readthedocs.io).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Second factor for staff (django-otp); production.py turns it on.
STAFF_REQUIRE_OTP = env.bool("STAFF_REQUIRE_OTP", default=False)
# The staff site never shows a device's key, QR code or codes (config/staff_otp.py too).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Staff sessions (config/staff_sessions.py): they end after this long without a request, and
# at the latest this long after sign-in. Pages warn STAFF_SESSION_WARNING_MINUTES before.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=15)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=10)
STAFF_SESSION_WARNING_MINUTES = env.int("STAFF_SESSION_WARNING_MINUTES", default=2)
# Sign-in lockout (django-axes): after this many failures for one account, or from one
# address, sign-in is refused for STAFF_LOCKOUT_MINUTES. A wrong second-factor code counts.
AXES_FAILURE_LIMIT = env.int("STAFF_LOGIN_FAILURE_LIMIT", default=5)
STAFF_LOCKOUT_MINUTES = env.int("STAFF_LOCKOUT_MINUTES", default=30)
AXES_COOLOFF_TIME = STAFF_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "audit.request.client_ip"
AXES_LOCKOUT_CALLABLE = "config.staff_otp.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
# Successful sign-ins are in the audit log (audit/logins.py); axes keeps only failures.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# --- Internationalization ---------------------------------------------------
LANGUAGE_CODE = "en"
# The one list of languages: the form offers them and messages are written in them. Names are
# written in their own language, as people look for them.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Los_Angeles"

# --- Static files (whitenoise) ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded extracts, partner screening files and results (cases/storage.py): outside MEDIA_ROOT
# and STATIC_ROOT, mode 0600 in 0700 directories, never served.
PRIVATE_UPLOAD_ROOT = Path(env("PRIVATE_UPLOAD_ROOT", default=str(BASE_DIR / "private")))
# The largest extract or screening file the admin takes (a million-row extract is about 150 MB).
UPLOAD_MAX_MEGABYTES = env.int("UPLOAD_MAX_MEGABYTES", default=300)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Forms ------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ("uswds",)
CRISPY_TEMPLATE_PACK = "uswds"

# --- Facts that pages and messages repeat -----------------------------------
# Shown by screener/context_processors.py to every page and passed to every message.
# The answer we promise when staff check a request by hand. Keep in step with review staffing.
REVIEW_BUSINESS_DAYS = env.int("REVIEW_BUSINESS_DAYS", default=10)
# Free help for anyone we cannot answer: the Public Defender's cannabis dismissal line.
PUBLIC_DEFENDER_PHONE = env("PUBLIC_DEFENDER_PHONE", default="(323) 760-6763")
PUBLIC_DEFENDER_URL = env("PUBLIC_DEFENDER_URL", default="https://pubdef.lacounty.gov")
# A request for more information is due for follow-up this many business days after it was
# sent, or after the last call (screener/follow_up.py).
MORE_INFO_FOLLOW_UP_DAYS = env.int("MORE_INFO_FOLLOW_UP_DAYS", default=3)
# A mailbox staff read: "more information" emails carry it as Reply-To and invite a reply.
# Empty: the messages never ask for a reply (DEFAULT_FROM_EMAIL is not read).
MORE_INFO_REPLY_TO = env("MORE_INFO_REPLY_TO", default="")
# Who runs the service and how to reach them (questions, deletion requests): in the header and
# footer of every page, every message and every letter. production.py requires the first two.
SERVICE_OPERATOR = env("SERVICE_OPERATOR", default="Relief Check Project")
SERVICE_OPERATOR_EMAIL = env("SERVICE_OPERATOR_EMAIL", default="help@reliefcheck.example")
SERVICE_OPERATOR_PHONE = env("SERVICE_OPERATOR_PHONE", default="")

# --- Email and SMS ----------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Relief Check <no-reply@reliefcheck.example>"
)
SMS_BACKEND = env("SMS_BACKEND", default="screener.sms.ConsoleSMSBackend")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="")
# Twilio's REST API root; the fault tests point it at a local stand-in.
TWILIO_API_BASE = env("TWILIO_API_BASE", default="https://api.twilio.com/2010-04-01")
# A message the provider does not take is tried NOTIFICATION_MAX_TRIES times, waiting
# NOTIFICATION_BACKOFF_SECONDS, then twice as long each time (30 s, 1, 2, 4 min, plus jitter),
# then marked failed: in the outbox, on the dashboard, and in an alert to OPERATIONS_ALERT_EMAIL.
NOTIFICATION_MAX_TRIES = env.int("NOTIFICATION_MAX_TRIES", default=5)
NOTIFICATION_BACKOFF_SECONDS = env.float("NOTIFICATION_BACKOFF_SECONDS", default=30.0)
# Who hears of failed messages and lookups (empty: the alerts are only logged). At most one
# alert per OPERATIONS_ALERT_MINUTES, counting what failed since the last one, so an outage
# sends a few alerts, not one per message.
OPERATIONS_ALERT_EMAIL = env.list("OPERATIONS_ALERT_EMAIL", default=[])
OPERATIONS_ALERT_MINUTES = env.int("OPERATIONS_ALERT_MINUTES", default=15)

# --- Matching ---------------------------------------------------------------
# Scores are log2 likelihood ratios (see cases/matching/weights.py); tuned with
# benchmarks/matching_eval.py. A match also needs the safety rules (cases/matching/rules.py).
MATCH_THRESHOLD = env.float("MATCH_THRESHOLD", default=18.0)
POSSIBLE_THRESHOLD = env.float("POSSIBLE_THRESHOLD", default=13.0)
# Processes a partner screening (screen_csv) spreads its lookups over: one per core.
SCREENING_WORKERS = env.int("SCREENING_WORKERS", default=2)

# --- Privacy ----------------------------------------------------------------
# Lookups are anonymized this many days after their result; counts and audit rows remain.
LOOKUP_RETENTION_DAYS = env.int("LOOKUP_RETENTION_DAYS", default=180)
# Lookups never answered (left received, checking or in review) are closed and erased this long
# after their last change: longer, so that a slow review still finishes.
OPEN_LOOKUP_RETENTION_DAYS = env.int("OPEN_LOOKUP_RETENTION_DAYS", default=365)
# Uploaded extracts, partner screening files and their results are deleted this many days after
# the run (the cases they loaded, the run's counts and its audit rows remain).
UPLOAD_RETENTION_DAYS = env.int("UPLOAD_RETENTION_DAYS", default=30)

# --- Who may see an answer (screener/disclosure.py, screener/access/, docs/privacy.md) ----
# "standard": once the person types a code sent to their contact, the outcome in general terms;
# "strict": even the outcome only once they have proved who they are.
DISCLOSURE_POLICY = env("DISCLOSURE_POLICY", default="standard")
if DISCLOSURE_POLICY not in ("standard", "strict"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured('DISCLOSURE_POLICY must be "standard" or "strict".')
# A browser that typed a code sees the answer for this long, then asks for a new code.
ACCESS_SESSION_MINUTES = env.int("ACCESS_SESSION_MINUTES", default=30)
# Result links in messages work this long; "send my answer again" sends a fresh one.
RESULT_LINK_MAX_AGE_DAYS = env.int("RESULT_LINK_MAX_AGE_DAYS", default=7)
# Wrong dates of birth on one link before it locks; the lock doubles each time (at most a day).
LINK_TRIES_BEFORE_LOCK = env.int("LINK_TRIES_BEFORE_LOCK", default=5)
LINK_LOCK_MINUTES = env.int("LINK_LOCK_MINUTES", default=15)
# One-time codes sent per lookup and per address; code entries per address.
CODE_SENDS_PER_LOOKUP = env("CODE_SENDS_PER_LOOKUP", default="5/h")
CODE_SENDS_PER_IP = env("CODE_SENDS_PER_IP", default="20/h")
CODE_CHECKS_PER_IP = env("CODE_CHECKS_PER_IP", default="30/h")
# Case numbers typed to prove identity, per lookup: the numbers' space is small enough to guess.
CASE_NUMBER_TRIES_PER_LOOKUP = env("CASE_NUMBER_TRIES_PER_LOOKUP", default="5/d")
ANSWER_AGAIN_PER_LOOKUP = env("ANSWER_AGAIN_PER_LOOKUP", default="3/d")
# The same person asked about from another contact within this many days is held for staff;
# one contact, and one browser, may ask about this many people in that time.
ABUSE_WINDOW_DAYS = env.int("ABUSE_WINDOW_DAYS", default=90)
PEOPLE_PER_CONTACT = env.int("PEOPLE_PER_CONTACT", default=3)
PEOPLE_PER_DEVICE = env.int("PEOPLE_PER_DEVICE", default=5)
# Dotted path of a screener.access.providers.IdentityProvider class; empty: none offered.
IDENTITY_PROVIDER = env("IDENTITY_PROVIDER", default="")
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
SUBMIT_RATE_PER_IP = env("SUBMIT_RATE_PER_IP", default="10/h")
SUBMIT_RATE_PER_CONTACT = env("SUBMIT_RATE_PER_CONTACT", default="5/d")
STATUS_RATE_PER_IP = env("STATUS_RATE_PER_IP", default="20/h")
# Per reference code (status page) and per letter link: tries at one person's date of birth.
STATUS_RATE_PER_REFERENCE = env("STATUS_RATE_PER_REFERENCE", default="10/h")
# The letter verification page (/verify/), per address: an employer checking a few letters stays
# well under it, and at 74 bits per code, guessing one at this rate would take longer than the
# universe has existed.
LETTER_VERIFY_RATE_PER_IP = env("LETTER_VERIFY_RATE_PER_IP", default="30/h")
# Outreach intake (screener/outreach/quotas.py): signed-in workers are not under the public
# per-IP limits (one community-center laptop serves hundreds of walk-ins) but under a day's quota
# each, and one per event. National Expungement Week 2019: 652 people at 44 events.
OUTREACH_WORKER_DAILY_QUOTA = env.int("OUTREACH_WORKER_DAILY_QUOTA", default=300)
OUTREACH_EVENT_DAILY_QUOTA = env.int("OUTREACH_EVENT_DAILY_QUOTA", default=1000)
# The lookup form never answers sooner while the check runs inside the request (eager Celery,
# the embedded default), so its timing does not tell a match from no match. With a broker the
# response does not wait for matching and the floor is not applied (screener/views.py;
# benchmarks/lookup_response_timing.py shows both).
LOOKUP_RESPONSE_MIN_SECONDS = env.float("LOOKUP_RESPONSE_MIN_SECONDS", default=1.5)
# django-ratelimit's decorator (block=True) ends in the same 429 page as the public views.
RATELIMIT_VIEW = "screener.views.too_many_requests"
# The "ip" rate-limit key asks the same function as the audit rows (audit/request.py).
RATELIMIT_IP_META_KEY = "audit.request.ratelimit_ip"
# The visitor's address behind our own proxies (audit/request.py: client_ip): how many proxies
# append to X-Forwarded-For in front of gunicorn (1 for the TLS proxy), or the networks they
# connect from. Neither set: X-Forwarded-For is ignored and REMOTE_ADDR is the visitor. Set one
# only when gunicorn cannot be reached except through those proxies (docs/operations.md).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_NETWORKS = env.list("TRUSTED_PROXY_NETWORKS", default=[])

# Content Security Policy (https://django-csp.readthedocs.io/): nothing inline, nothing from
# elsewhere. The staff site also allows inline styles (config/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # USWDS draws some icons as data: URIs in its stylesheet.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# The database store, one query fewer per new session (config/session_store.py).
SESSION_ENGINE = "config.session_store"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Eligibility check (eligibility/) ------------------------------------------
# The questionnaire's answers live only in the session, which ends this long after the last
# step (a beat job erases expired sessions from the database).
ELIGIBILITY_SESSION_MINUTES = env.int("ELIGIBILITY_SESSION_MINUTES", default=60)

# --- Logging ----------------------------------------------------------------
# Log lines carry ids and reference codes only, never names, dates of birth or contacts.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django logs request paths on 4xx/5xx; our URLs carry no personal data.
        "django.request": {"level": "ERROR"},
        # django-axes logs each failed sign-in with the name typed, which may be anyone's email;
        # the audit log records failures with a keyed hash instead (audit/logins.py).
        "axes": {"level": "ERROR"},
    },
}

# --- Periodic jobs (celery beat) --------------------------------------------
# A lookup is stuck when still RECEIVED LOOKUP_STUCK_SECONDS after its last change (the enqueue
# failed while Redis was down, or the message was lost), or still CHECKING
# LOOKUP_CHECKING_STUCK_SECONDS after the check started: longer than check_lookup's hard time
# limit (90 s), so its worker was killed. The sweep every LOOKUP_SWEEP_SECONDS re-enqueues them,
# so a lookup stored while Redis was down is checked at most sweep + age (75 s) after its return,
# plus the worker's reconnection (Celery retries up to every 30 s): within 2 minutes. Each lookup
# is re-enqueued at most once in 10 minutes, so a backlog in a surge is not doubled at every sweep.
LOOKUP_SWEEP_SECONDS = env.int("LOOKUP_SWEEP_SECONDS", default=30)
LOOKUP_STUCK_SECONDS = env.int("LOOKUP_STUCK_SECONDS", default=45)
LOOKUP_CHECKING_STUCK_SECONDS = env.int("LOOKUP_CHECKING_STUCK_SECONDS", default=150)
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-lookups": {
        "task": "screener.tasks.requeue_stuck_lookups",
        "schedule": float(LOOKUP_SWEEP_SECONDS),
        # A sweep that waited longer than its interval (beat or Redis was down) is dropped:
        # the next one does the same work.
        "options": {"expires": float(LOOKUP_SWEEP_SECONDS)},
    },
    # Notifications still queued after a lost task message (e.g. a Redis restart) are sent again.
    "requeue-stale-notifications": {
        "task": "screener.tasks.requeue_stale_notifications",
        "schedule": 300.0,
    },
    # Failures held back by the last operations alert's window are reported at the next one.
    "operations-alert": {
        "task": "screener.tasks.send_operations_alert",
        "schedule": OPERATIONS_ALERT_MINUTES * 60.0,
    },
    "anonymize-expired-lookups": {
        "task": "screener.tasks.anonymize_expired_lookups",
        "schedule": 6 * 3600.0,
    },
    # Codes, result links, identity proofs and abuse keys once they have done their job.
    "expire-access-records": {
        "task": "screener.tasks.expire_access_records",
        "schedule": 3600.0,
    },
    # Sessions carry the eligibility questionnaire's answers: erase them once they expire.
    "delete-expired-uploads": {
        "task": "cases.tasks.delete_expired_uploads",
        "schedule": 6 * 3600.0,
    },
    # Staff sessions expire too (config/staff_sessions.py sets each one's expiry).
    "clear-expired-sessions": {
        "task": "eligibility.tasks.clear_expired_sessions",
        "schedule": 3600.0,
    },
}
