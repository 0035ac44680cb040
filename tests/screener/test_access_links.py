"""Result links: opaque tokens stored hashed, 7 days, revocable, a lockout that backs off and
never locks the owner out for good, and "send my answer again"."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from screener.access.links import (
    LinkOpen,
    LinkUnavailable,
    result_link_check_birth_date,
    result_link_find,
    result_link_mint,
    result_links_revoke,
    token_hash,
)
from screener.models import Lookup, ResultLink
from tests.screener.public_flow import (
    MARIA_BIRTH_DATE,
    birth_data,
    cases_load,
    latest_code,
    latest_link,
    lookup_form_data,
    open_link,
    post_committed,
    post_lookup,
    status_form_data,
    type_code,
)
from tests.screener.reviewing import staff

pytestmark = pytest.mark.django_db

WRONG_BIRTH_DATE = MARIA_BIRTH_DATE.replace(year=1980)


@pytest.fixture
def matched():
    cases_load()
    post_lookup(Client(), lookup_form_data())
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.MATCHED
    return lookup


def test_the_link_in_the_result_message_is_opaque_and_stored_only_as_a_hash(matched, settings):
    path = latest_link("maria@example.org")
    token = path.strip("/").split("/")[-1]
    assert len(token) == 32 and str(matched.pk) not in token.split("-")
    link = ResultLink.objects.get(lookup=matched)
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    assert link.expires_at - link.created_at > timedelta(days=6, hours=23)
    assert link.expires_at - link.created_at <= timedelta(days=settings.RESULT_LINK_MAX_AGE_DAYS)
    assert "maria" not in path.lower() and "1975" not in path


def test_opening_the_link_moves_the_token_out_of_the_address_and_asks_for_the_date_of_birth(
    matched,
):
    client = Client()
    response = client.get(latest_link("maria@example.org"))
    assert response.status_code == 303 and response["Location"] == "/r/open/"
    page = client.get("/r/open/").content.decode()
    assert "Open your answer" in page and "date of birth" in page
    assert "BA123456" not in page and matched.reference not in page


def test_the_right_date_of_birth_sends_a_fresh_code_and_then_the_answer(matched):
    client = Client()
    response = open_link(client, latest_link("maria@example.org"))
    assert response.status_code == 303 and response["Location"] == "/code/"
    assert type_code(client, latest_code("maria@example.org")).status_code == 303
    page = client.get("/my-request/").content.decode()
    assert "We found your record in the dismissals" in page
    assert "BA123456" not in page


def test_an_altered_link_does_not_work_and_an_expired_one_says_so(matched):
    token = latest_link("maria@example.org").strip("/").split("/")[-1]
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = Client().get(f"/r/{altered}/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    ResultLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(f"/r/{token}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page and "7 days" in page
    assert 'href="/status/"' in page


def test_staff_revoke_every_link_of_a_lookup_and_it_is_audited(matched):
    path = latest_link("maria@example.org")
    reviewer = staff("rita.reviewer", "Reviewer")
    assert result_links_revoke(lookup_id=matched.pk, actor=reviewer) == 1
    assert Client().get(path).status_code == 404
    row = AuditLog.objects.get(action=Action.LOOKUP_LINKS_REVOKED)
    assert row.actor == reviewer and row.detail == {"revoked": 1}


def test_wrong_dates_of_birth_lock_the_link_for_longer_each_time_and_never_for_good(
    matched, settings
):
    settings.LINK_TRIES_BEFORE_LOCK = 3
    settings.LINK_LOCK_MINUTES = 15
    link = ResultLink.objects.get(lookup=matched)
    waits = []
    for _lockout in range(8):
        attempts = [
            result_link_check_birth_date(link_id=link.pk, date_of_birth=WRONG_BIRTH_DATE)
            for _ in range(3)
        ]
        assert [a.result for a in attempts] == [LinkOpen.WRONG, LinkOpen.WRONG, LinkOpen.LOCKED]
        waits.append(round(attempts[-1].retry_after / 60))
        # While locked even the right date waits; when the lock ends, it opens.
        locked = result_link_check_birth_date(link_id=link.pk, date_of_birth=MARIA_BIRTH_DATE)
        assert locked.result == LinkOpen.LOCKED
        ResultLink.objects.filter(pk=link.pk).update(locked_until=timezone.now())
    assert waits == [15, 30, 60, 120, 240, 480, 960, 1440]
    opened = result_link_check_birth_date(link_id=link.pk, date_of_birth=MARIA_BIRTH_DATE)
    assert opened.result == LinkOpen.OPENED
    link.refresh_from_db()
    assert (link.failed_tries, link.lockouts, link.locked_until) == (0, 0, None)


def test_a_locked_link_answers_429_saying_when_and_keeps_what_was_typed(matched, settings):
    settings.LINK_TRIES_BEFORE_LOCK = 2
    client = Client()
    first = open_link(client, latest_link("maria@example.org"), WRONG_BIRTH_DATE)
    assert first.status_code == 400
    assert "does not match our records for this link" in first.content.decode()
    locked = client.post("/r/open/", birth_data(WRONG_BIRTH_DATE))
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Please try again in about 15 minutes" in page
    assert 'value="1980"' in page
    assert int(locked["Retry-After"]) > 14 * 60


def test_each_message_link_has_its_own_token(matched):
    token = result_link_mint(lookup_id=matched.pk)
    assert result_link_find(token).lookup == matched
    other = result_link_mint(lookup_id=matched.pk)
    assert other != token and result_link_find(other).pk != result_link_find(token).pk
    with pytest.raises(LinkUnavailable):
        result_link_find("not-a-token")


def test_send_my_answer_again_sends_a_fresh_link_to_the_contact_on_file(matched):
    before = ResultLink.objects.count()
    response = post_committed(
        Client(), "/status/", {**status_form_data(matched.reference), "action": "again"}
    )
    assert response.status_code == 200
    assert ResultLink.objects.count() == before + 1
    again = mail.outbox[-1]
    assert again.to == ["maria@example.org"]
    assert latest_link("maria@example.org") in again.body


def test_the_answer_again_is_limited_per_lookup(matched, settings):
    settings.ANSWER_AGAIN_PER_LOOKUP = "1/d"
    data = {**status_form_data(matched.reference), "action": "again"}
    assert Client(REMOTE_ADDR="192.0.2.1").post("/status/", data).status_code == 200
    limited = Client(REMOTE_ADDR="192.0.2.2").post("/status/", data)
    assert limited.status_code == 429
    assert "Please try again in about" in limited.content.decode()
