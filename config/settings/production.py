"""Production settings: PostgreSQL, Redis, a real worker, SMTP and Twilio.

Refuses to start rather than run half-configured: without a secret, PostgreSQL, Redis, the https
address people reach the site at, or with email and SMS backends that deliver nothing.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, EMAIL_BACKEND, IDENTITY_PROVIDER, REDIS_URL, SMS_BACKEND, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
# Old keys, newest first, still accepted for sessions, signed links and password resets while
# they expire (docs/operations.md: rotating secrets).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# Set it apart from SECRET_KEY so that SECRET_KEY can be rotated (see base.py).
PRIVACY_HASH_KEY = env("PRIVACY_HASH_KEY", default=SECRET_KEY)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set in production.")
# Pages, messages and letters name who runs the service: never the development placeholder.
SERVICE_OPERATOR = env("SERVICE_OPERATOR", default="")
SERVICE_OPERATOR_EMAIL = env("SERVICE_OPERATOR_EMAIL", default="")
if not (SERVICE_OPERATOR and SERVICE_OPERATOR_EMAIL):
    raise ImproperlyConfigured("SERVICE_OPERATOR and SERVICE_OPERATOR_EMAIL must be set.")
if IDENTITY_PROVIDER.startswith("tests."):
    raise ImproperlyConfigured("IDENTITY_PROVIDER names the tests' double, not a provider.")

# Every link in every message is built on it, and inbound SMS signatures are checked against it:
# the embedded default (http://127.0.0.1:8000) would make them all dead.
SITE_URL = env("SITE_URL", default="")
if not SITE_URL.startswith("https://") or len(SITE_URL) <= len("https://"):
    raise ImproperlyConfigured(
        "SITE_URL must be the https address people reach the site at, e.g. "
        "https://reliefcheck.example"
    )

# Backends that print, keep or drop messages instead of delivering them: production would mark
# messages sent that nobody received. ALLOW_UNDELIVERED_MESSAGES=true permits them (a staging
# copy, a load test on loopback).
UNDELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
UNDELIVERING_SMS_BACKENDS = {
    "screener.sms.ConsoleSMSBackend",
    "screener.sms.LocmemSMSBackend",
}
ALLOW_UNDELIVERED_MESSAGES = env.bool("ALLOW_UNDELIVERED_MESSAGES", default=False)
if not ALLOW_UNDELIVERED_MESSAGES:
    if EMAIL_BACKEND in UNDELIVERING_EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL selects {EMAIL_BACKEND}, which delivers nothing: set EMAIL_URL to the "
            "SMTP server (smtp+tls://user:password@host:587), or ALLOW_UNDELIVERED_MESSAGES=true."
        )
    if SMS_BACKEND in UNDELIVERING_SMS_BACKENDS:
        raise ImproperlyConfigured(
            f"SMS_BACKEND is {SMS_BACKEND}, which delivers nothing: set "
            "SMS_BACKEND=screener.sms.TwilioSMSBackend with the TWILIO_* settings, or "
            "ALLOW_UNDELIVERED_MESSAGES=true."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
STAFF_REQUIRE_OTP = env.bool("STAFF_REQUIRE_OTP", default=True)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A connection kept for CONN_MAX_AGE is checked before each request reuses it, so a database
# restart costs one failed request per process at most, not one per request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- HTTPS (https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Lets the domain be submitted to browsers' HSTS preload lists; set false if any subdomain
# must stay reachable over plain http.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
