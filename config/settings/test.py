"""Test settings: the embedded default plus fast hashing and in-memory email.

DATABASE_URL and REDIS_URL still apply, so the same suite runs on PostgreSQL and Redis in CI.
"""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
# Where CI's worker writes emails with the file backend (tests read the same directory).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default="/tmp/reliefcheck-test-mail")  # noqa: S108
SMS_BACKEND = env("SMS_BACKEND", default="screener.sms.LocmemSMSBackend")
# Unit tests run tasks in-process and see their errors; integration tests switch this off,
# and CI's real worker runs with CELERY_TASK_ALWAYS_EAGER=false so follow-up tasks go via Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/reliefcheck-test-media")  # noqa: S108
PRIVATE_UPLOAD_ROOT = env.path(
    "PRIVATE_UPLOAD_ROOT",
    default="/tmp/reliefcheck-test-private",  # noqa: S108
)
# The lookup form's timing floor (screener/views.py) is tested on its own; other tests skip it.
LOOKUP_RESPONSE_MIN_SECONDS = env.float("LOOKUP_RESPONSE_MIN_SECONDS", default=0.0)
