"""The session store: a new session is one INSERT, and a taken key is never reused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.session_store import SessionStore

pytestmark = pytest.mark.django_db


def test_a_new_session_is_written_without_asking_whether_its_key_exists():
    store = SessionStore()
    store["lookup"] = 1
    with CaptureQueriesContext(connection) as queries:
        store.save()
    reads = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert reads == []
    assert SessionStore(store.session_key).load() == {"lookup": 1}


def assert_a_taken_key_is_drawn_again(monkeypatch, fresh_key: str) -> None:
    first = SessionStore()
    first["n"] = 1
    first.save()
    keys = iter([first.session_key, fresh_key])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(keys))
    second = SessionStore()
    second["n"] = 2
    second.save()
    assert second.session_key == fresh_key
    assert SessionStore(first.session_key).load() == {"n": 1}
    assert SessionStore(second.session_key).load() == {"n": 2}


def test_a_key_already_taken_is_drawn_again(monkeypatch):
    assert_a_taken_key_is_drawn_again(monkeypatch, "x" * 32)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_session_is_written_without_one_of_its_own(monkeypatch):
    from django.db import transaction

    opened = []
    real_atomic = transaction.Atomic.__enter__

    def counting_enter(self):
        opened.append(self)
        return real_atomic(self)

    monkeypatch.setattr(transaction.Atomic, "__enter__", counting_enter)
    store = SessionStore()
    store["lookup"] = 1
    store.save()
    store["lookup"] = 2
    store.save()
    assert opened == []
    assert SessionStore(store.session_key).load() == {"lookup": 2}


@pytest.mark.django_db(transaction=True)
def test_a_taken_key_outside_a_transaction_is_drawn_again_and_the_connection_still_works(
    monkeypatch,
):
    assert_a_taken_key_is_drawn_again(monkeypatch, "y" * 32)
