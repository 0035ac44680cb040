"""Production settings: PostgreSQL, Redis, a real worker, SMTP and Twilio."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, IDENTITY_PROVIDER, REDIS_URL, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
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

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
STAFF_REQUIRE_OTP = env.bool("STAFF_REQUIRE_OTP", default=True)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- HTTPS (https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
