"""Django's database sessions, without a SELECT before each new session's INSERT, and without a
transaction around the one statement that writes a session.

Django's store asks the database whether a freshly drawn 32-character key exists, then inserts it
with must_create, which fails on a taken key and draws again anyway. The question is one more
round trip on every first visit (the public form's POST starts a session for each person) and
can only ever answer no: 32 characters from 36 are about 165 bits.

Django also wraps the session's one INSERT or UPDATE in a transaction of its own: BEGIN and
COMMIT, two more round trips on every page that starts or changes a session. One statement in
autocommit is a transaction already, and a failed one leaves nothing to roll back; inside a
caller's transaction Django's savepoint still keeps a failed write from spoiling it.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DatabaseError, IntegrityError, connections, router
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        # A taken key still cannot be reused: save(must_create=True) raises CreateError on it
        # and create() draws again.
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        using = router.db_for_write(self.model)
        if connections[using].in_atomic_block:
            return super().save(must_create=must_create)
        obj = self.create_model_instance(self._get_session(no_load=must_create))
        try:
            obj.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError as error:
            if must_create:
                raise CreateError from error
            raise
        except DatabaseError as error:
            if not must_create:
                raise UpdateError from error
            raise
        return None
