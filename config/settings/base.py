"""Relief Check settings. Everything comes from the environment; see README.md.

The defaults are the embedded set-up used by `make run` and `make test`: a SQLite file,
no broker (Celery tasks run eagerly in-process), console email and SMS.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -----------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Only good for the embedded default; production.py refuses to start without SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-never-used-in-production")
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
    # The audit log, below both apps: cases and screener write it, it imports neither.
    "audit",
    "cases",
    "screener",
    "eligibility",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "reliefcheck",
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

# --- Celery (https://docs.celeryq.dev/en/stable/userguide/configuration.html)
CELERY_BROKER_URL = REDIS_URL or "memory://"
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
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
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
# Second factor for staff (django-otp); production.py turns it on.
STAFF_REQUIRE_OTP = env.bool("STAFF_REQUIRE_OTP", default=False)

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
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
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
RESULT_LINK_MAX_AGE_DAYS = env.int("RESULT_LINK_MAX_AGE_DAYS", default=30)
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
SUBMIT_RATE_PER_IP = env("SUBMIT_RATE_PER_IP", default="10/h")
SUBMIT_RATE_PER_CONTACT = env("SUBMIT_RATE_PER_CONTACT", default="5/d")
STATUS_RATE_PER_IP = env("STATUS_RATE_PER_IP", default="20/h")
# Per reference code (status page) and per letter link: tries at one person's date of birth.
STATUS_RATE_PER_REFERENCE = env("STATUS_RATE_PER_REFERENCE", default="10/h")
# The lookup form never answers sooner, so its timing does not tell a match from no match while
# the check runs in-process (screener/views.py).
LOOKUP_RESPONSE_MIN_SECONDS = env.float("LOOKUP_RESPONSE_MIN_SECONDS", default=1.5)
# django-ratelimit's decorator (block=True) ends in the same 429 page as the public views.
RATELIMIT_VIEW = "screener.views.too_many_requests"
# The "ip" rate-limit key asks the same function as the audit rows (audit/request.py).
RATELIMIT_IP_META_KEY = "audit.request.ratelimit_ip"

SESSION_COOKIE_HTTPONLY = True
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
    },
}

# --- Periodic jobs (celery beat) --------------------------------------------
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-lookups": {"task": "screener.tasks.requeue_stuck_lookups", "schedule": 300.0},
    # Notifications still queued after a lost task message (e.g. a Redis restart) are sent again.
    "requeue-stale-notifications": {
        "task": "screener.tasks.requeue_stale_notifications",
        "schedule": 300.0,
    },
    "anonymize-expired-lookups": {
        "task": "screener.tasks.anonymize_expired_lookups",
        "schedule": 6 * 3600.0,
    },
    # Sessions carry the eligibility questionnaire's answers: erase them once they expire.
    "clear-expired-sessions": {
        "task": "eligibility.tasks.clear_expired_sessions",
        "schedule": 3600.0,
    },
}
