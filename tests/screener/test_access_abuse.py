"""Someone asking about other people: the same person from another contact is held and the first
contact told; limits on people per contact and per browser; the staff report."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from screener.access.abuse import (
    contacts_with_several_people,
    lookup_hold_decline,
    lookup_hold_release,
)
from screener.models import Lookup, Notification
from tests.screener.public_flow import (
    cases_load,
    latest_code,
    lookup_form_data,
    nobody_form_data,
    post_lookup,
    type_code,
)
from tests.screener.reviewing import staff

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
Status = Lookup.Status


@pytest.fixture
def cases():
    cases_load()


def ask(data: dict, client: Client | None = None):
    client = client or Client()
    response = post_lookup(client, data)
    return response, Lookup.objects.filter(email=data["email"]).order_by("pk").last()


def kinds_sent(lookup: Lookup) -> set[str]:
    return set(Notification.objects.filter(lookup=lookup).values_list("kind", flat=True))


@pytest.fixture
def held(cases):
    _response, first = ask(lookup_form_data(phone="213 555 0123"))
    _response, second = ask(lookup_form_data(email="someone.else@example.org"))
    assert second.status == Status.HELD
    return first, second


def test_the_same_person_from_another_contact_is_held_unchecked_and_the_first_contact_told(held):
    first, second = held
    assert not second.candidates.exists() and second.checked_at is None
    assert kinds_sent(second) == {Kind.RECEIVED, Kind.CODE}
    assert Kind.SOMEONE_ELSE_ASKED in kinds_sent(first)
    told = [m for m in mail.outbox if m.to == ["maria@example.org"] and "Someone else" in m.subject]
    assert len(told) == 1
    assert "from another email address or phone number" in told[0].body
    assert "someone.else" not in told[0].body  # the other contact is not named
    row = AuditLog.objects.get(action=Action.LOOKUP_HELD)
    assert row.object_id == str(second.pk) and row.detail == {"earlier_lookup_ids": [first.pk]}


def test_a_third_contact_is_held_too_and_the_first_is_told_only_once(held):
    first, _second = held
    _response, third = ask(lookup_form_data(email="third@example.org"))
    assert third.status == Status.HELD
    told = Notification.objects.filter(lookup=first, kind=Kind.SOMEONE_ELSE_ASKED, channel="email")
    assert told.count() == 1


def test_the_same_person_with_the_phone_added_is_not_held(cases):
    ask(lookup_form_data())
    _response, again = ask(lookup_form_data(phone="213 555 0123"))
    assert again.status == Status.MATCHED


def test_an_earlier_request_older_than_the_window_or_erased_does_not_hold(cases, settings):
    _response, first = ask(lookup_form_data())
    Lookup.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(days=settings.ABUSE_WINDOW_DAYS + 1)
    )
    _response, second = ask(lookup_form_data(email="later@example.org"))
    assert second.status == Status.MATCHED


def test_a_held_request_reads_like_a_staff_review_to_its_contact(held):
    client = Client()
    post_lookup(client, lookup_form_data(email="someone.else@example.org"))
    type_code(client, latest_code("someone.else@example.org"))
    page = client.get("/my-request/").content.decode()
    assert "Status: Being reviewed by staff" in page
    assert "someone else" not in page.lower() and "held" not in page.lower()


def test_staff_release_a_hold_and_it_is_checked_and_answered(held):
    _first, second = held
    reviewer = staff("rita.reviewer", "Reviewer")
    with TestCase.captureOnCommitCallbacks(execute=True):
        lookup_hold_release(lookup_id=second.pk, actor=reviewer)
    second.refresh_from_db()
    assert second.status == Status.MATCHED
    assert Kind.RESULT_MATCH in kinds_sent(second)
    assert AuditLog.objects.filter(action=Action.LOOKUP_RELEASED, actor=reviewer).exists()


def test_staff_decline_a_hold_the_person_gets_an_update_and_the_page_says_where_to_ask(held):
    _first, second = held
    reviewer = staff("rita.reviewer", "Reviewer")
    with TestCase.captureOnCommitCallbacks(execute=True):
        lookup_hold_decline(lookup_id=second.pk, actor=reviewer, reason="Two people, one record.")
    second.refresh_from_db()
    assert second.status == Status.DECLINED
    [update] = [
        m for m in mail.outbox if m.to == ["someone.else@example.org"] and "update" in m.subject
    ]
    assert "There is an update on your request" in update.body
    row = AuditLog.objects.get(action=Action.LOOKUP_DECLINED)
    assert row.actor == reviewer and row.detail == {"reason": "Two people, one record."}
    client = Client()
    post_lookup(client, lookup_form_data(email="someone.else@example.org"))
    type_code(client, latest_code("someone.else@example.org"))
    page = client.get("/my-request/").content.decode()
    assert "We could not answer this request online" in page
    assert "BA123456" not in page


def test_only_reviewers_decide_holds(held):
    _first, second = held
    with pytest.raises(PermissionDenied):
        lookup_hold_release(lookup_id=second.pk, actor=staff("oscar.outreach", "Outreach worker"))


def test_the_admin_pages_release_and_decline_a_hold_and_list_the_other_requests(held):
    first, second = held
    reviewer = staff("rita.reviewer", "Reviewer")
    admin = Client()
    admin.force_login(reviewer)
    change = admin.get(f"/staff/screener/lookup/{second.pk}/change/").content.decode()
    assert f"/staff/screener/lookup/{second.pk}/release/" in change
    page = admin.get(f"/staff/screener/lookup/{second.pk}/decline/").content.decode()
    assert first.reference in page and "m••••@example.org" in page
    assert (
        admin.post(f"/staff/screener/lookup/{second.pk}/decline/", {"reason": ""}).status_code
        == 200
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin.post(f"/staff/screener/lookup/{second.pk}/release/", {})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Status.MATCHED


# --- People per contact and per browser -----------------------------------------------------------


PEOPLE = [
    nobody_form_data(first_name=name, email="asker@example.org")
    for name in ("Ana", "Berta", "Carla", "Diana", "Elena", "Flor")
]


def test_one_contact_may_ask_about_three_people_then_gets_a_429_saying_when(cases, settings):
    settings.PEOPLE_PER_CONTACT = 3
    for data in PEOPLE[:3]:
        assert post_lookup(Client(), data).status_code == 303
    refused = post_lookup(Client(), PEOPLE[3])
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Please try again in about 90 days" in page
    assert 'value="Diana"' in page and 'value="asker@example.org"' in page
    assert int(refused["Retry-After"]) > 89 * 86400
    # Asking again about someone already asked about adds nobody.
    assert post_lookup(Client(), PEOPLE[0]).status_code == 303
    assert Lookup.objects.count() == 3


def test_one_browser_may_ask_about_five_people_whatever_the_contacts(cases, settings):
    settings.PEOPLE_PER_DEVICE = 5
    browser = Client()
    for n, data in enumerate(PEOPLE[:5]):
        assert post_lookup(browser, {**data, "email": f"p{n}@example.org"}).status_code == 303
    assert post_lookup(browser, {**PEOPLE[5], "email": "p5@example.org"}).status_code == 429
    assert post_lookup(Client(), {**PEOPLE[5], "email": "p5@example.org"}).status_code == 303


def test_a_browser_new_to_the_site_is_not_looked_up_by_its_just_made_id(cases):
    def device_reads(client: Client, data: dict) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert post_lookup(client, data).status_code == 303
        return [q["sql"] for q in queries if '"screener_lookup"."device_key" = ' in q["sql"]]

    browser = Client()
    assert device_reads(browser, {**PEOPLE[0], "email": "p0@example.org"}) == []
    # The same browser again, its cookie kept: now it has asked about someone.
    assert len(device_reads(browser, {**PEOPLE[1], "email": "p1@example.org"})) == 1


def test_the_limit_lifts_when_the_oldest_person_leaves_the_window(cases, settings):
    settings.PEOPLE_PER_CONTACT = 2
    for data in PEOPLE[:2]:
        post_lookup(Client(), data)
    Lookup.objects.filter(first_name="Ana").update(
        created_at=timezone.now() - timedelta(days=settings.ABUSE_WINDOW_DAYS, hours=-3)
    )
    refused = post_lookup(Client(), PEOPLE[2])
    assert refused.status_code == 429 and "about 3 hours" in refused.content.decode()


# --- The staff report -----------------------------------------------------------------------------


def test_staff_see_the_contacts_that_asked_about_several_people(cases):
    for data in PEOPLE[:3]:
        post_lookup(Client(), data)
    post_lookup(Client(), lookup_form_data())
    [row] = contacts_with_several_people()
    assert (row.channel, row.contact, row.people, row.lookups) == (
        "email",
        "asker@example.org",
        3,
        3,
    )
    reviewer = staff("rita.reviewer", "Reviewer")
    admin = Client()
    admin.force_login(reviewer)
    assert "Contacts that asked about several people" in admin.get("/staff/").content.decode()
    page = admin.get("/staff/screener/lookup/several-people/").content.decode()
    assert "asker@example.org" in page and "maria@example.org" not in page
    assert AuditLog.objects.filter(action=Action.SEVERAL_PEOPLE_REPORT_VIEWED).exists()
    outreach = Client()
    outreach.force_login(staff("oscar.outreach", "Outreach worker"))
    assert outreach.get("/staff/screener/lookup/several-people/").status_code == 403
