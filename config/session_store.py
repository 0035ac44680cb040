"""Django's database sessions, without a SELECT before each new session's INSERT.

Django's store asks the database whether a freshly drawn 32-character key exists, then inserts it
with must_create, which fails on a taken key and draws again anyway. The question is one more
round trip on every first visit (the public form's POST starts a session for each person) and
can only ever answer no: 32 characters from 36 are about 165 bits.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        # A taken key still cannot be reused: save(must_create=True) raises CreateError on it
        # and create() draws again.
        return get_random_string(32, VALID_KEY_CHARS)
