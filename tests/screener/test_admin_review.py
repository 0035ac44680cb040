"""The review queue, the review screen and lookup search in the staff admin."""

import datetime
from datetime import timedelta

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from cases.matching.explain import Agreement
from cases.models import Case
from screener.admin.lookups import lookup_search_filter
from screener.models import Lookup, Notification, OutreachEvent
from screener.review import review_claim
from tests.screener.reviewing import JESUS_LATER_ROW, MARIA_ROW, flagged, import_cases, submit

pytestmark = pytest.mark.django_db

QUEUE_URL = "/staff/screener/reviewqueueitem/"
LOOKUPS_URL = "/staff/screener/lookup/"


def review_url(lookup: Lookup) -> str:
    return reverse("admin:screener_reviewqueueitem_review", args=[lookup.pk])


def age(lookup: Lookup, **delta) -> None:
    Lookup.objects.filter(pk=lookup.pk).update(created_at=timezone.now() - timedelta(**delta))


def case_pk(number: str) -> int:
    return Case.objects.get(case_number=number).pk


def listed(response) -> list[str]:
    return [item.reference for item in response.context["cl"].result_list]


# --- Queue ------------------------------------------------------------------


def test_the_queue_lists_flagged_lookups_oldest_first_without_names(client, jesus_cases, reviewer):
    newer = flagged()
    older = flagged(email="older@example.org")
    age(older, days=2)
    import_cases([MARIA_ROW])
    matched = submit(
        first_name="Maria",
        last_name="Hernandez",
        date_of_birth=datetime.date(1980, 3, 5),
        email="found@example.org",
    )
    assert matched.status == Lookup.Status.MATCHED
    client.force_login(reviewer)

    response = client.get(QUEUE_URL)

    assert listed(response) == [older.reference, newer.reference]
    content = response.content.decode()
    assert "2 lookups waiting for review" in content
    # A queue of thousands shows references, not who asked.
    assert "Gutiérrez" not in content and "older@example.org" not in content


def test_the_queue_filters_by_batch_event_language_and_age(client, jesus_cases, reviewer):
    import_cases([MARIA_ROW])
    event = OutreachEvent.objects.create(name="Week of Action, Pomona", starts_on=timezone.now())
    at_event = flagged(event=event, email="event@example.org", submitted_by=reviewer)
    spanish = flagged(language="es", email="es@example.org")
    old = flagged(email="old@example.org")
    age(old, days=10)
    maria = flagged(
        first_name="Maria",
        middle_name="Elena",
        last_name="Hernandez",
        date_of_birth=datetime.date(1980, 5, 3),
        email="maria@example.org",
    )
    client.force_login(reviewer)

    assert listed(client.get(QUEUE_URL, {"event__id__exact": event.pk})) == [at_event.reference]
    assert listed(client.get(QUEUE_URL, {"language": "es"})) == [spanish.reference]
    assert listed(client.get(QUEUE_URL, {"age": "30d"})) == [old.reference]
    in_2022 = listed(client.get(QUEUE_URL, {"batch": "LASC-REVIEW-2022"}))
    assert maria.reference not in in_2022 and set(in_2022) == {
        at_event.reference,
        spanish.reference,
        old.reference,
    }
    assert listed(client.get(QUEUE_URL, {"batch": "DOJ-AB1793-2020"}))[-1] == maria.reference


def test_the_admin_index_shows_the_queue_size_and_the_oldest_items_age(
    client, jesus_cases, reviewer
):
    lookup = flagged()
    age(lookup, days=3)
    flagged(email="second@example.org")
    client.force_login(reviewer)

    content = client.get("/staff/").content.decode()

    assert "<strong>2</strong> lookups waiting for review." in content
    assert "The oldest has waited 3\xa0days." in content


def test_staff_who_cannot_decide_see_no_queue(client, jesus_cases, outreach_worker):
    flagged()
    client.force_login(outreach_worker)
    assert "review-queue-module" not in client.get("/staff/").content.decode()
    assert client.get(QUEUE_URL).status_code == 403


# --- Review screen ----------------------------------------------------------


def test_the_review_screen_compares_every_case_of_a_multi_case_person(
    client, jesus_cases, reviewer
):
    lookup = flagged()
    import_cases([JESUS_LATER_ROW])
    client.force_login(reviewer)

    response = client.get(review_url(lookup))

    assert response.status_code == 200
    columns = response.context["columns"]
    assert {c.case.case_number for c in columns} == {"BA123456", "KA057009", "VA111222"}
    rows = {row.field: row for row in response.context["rows"]}
    assert rows["date_of_birth"].submitted == "1975-12-04"
    assert {cell.agreement for cell in rows["date_of_birth"].cells} == {Agreement.SIMILAR}
    # One verdict per field, the engine's: its level, in words, and what the level means.
    dob_cells = rows["date_of_birth"].cells
    assert {cell.level for cell in dob_cells} == {"day_month_swapped"}
    assert {cell.label for cell in dob_cells} == {"day and month swapped"}
    assert {cell.note for cell in dob_cells} == {"The date of birth has day and month swapped."}
    assert {cell.agreement for cell in rows["last_name"].cells} == {Agreement.SAME}
    cells = zip(columns, rows["other_names"].cells, strict=True)
    aliases = {col.case.case_number: cell for col, cell in cells}
    assert aliases["VA111222"].value == "CHUY GUTIERREZ"
    # Other cases of the recorded person: the one sharing the CII number, not the namesake.
    related = {col.case.case_number: [c.case_number for c in col.related] for col in columns}
    assert related == {"BA123456": ["BA555000"], "KA057009": ["BA555000"], "VA111222": []}

    content = response.content.decode()
    table = content[content.index('<table class="comparison"') :]
    assert table.count('class="agree agree-similar"') == 3
    # Each field's verdict is shown once per candidate, not again in the engine's explanation.
    assert content.count("The date of birth has day and month swapped.") == 3
    assert "Possible match: needs staff review." in content  # the engine's explanation
    assert "BA555000" in content and "LA999001" not in content
    assert content.count('name="confirmed_case_ids"') == 3


def test_opening_the_review_screen_claims_the_item_and_is_audited(client, jesus_cases, reviewer):
    lookup = flagged()
    client.force_login(reviewer)

    client.get(review_url(lookup), REMOTE_ADDR="10.1.2.3")

    lookup.refresh_from_db()
    assert lookup.claimed_by == reviewer
    audit = AuditLog.objects.get(action=Action.LOOKUP_VIEWED, object_id=str(lookup.pk))
    assert audit.actor == reviewer and audit.ip_address == "10.1.2.3"
    assert lookup.reference in audit.summary and "Gutiérrez" not in audit.summary


def test_confirming_on_the_review_screen_decides_notifies_and_audits(client, jesus_cases, reviewer):
    lookup = flagged()
    client.force_login(reviewer)
    client.get(review_url(lookup))

    response = client.post(
        review_url(lookup),
        {
            "decision": "confirm",
            "confirmed_case_ids": [case_pk("BA123456"), case_pk("KA057009")],
            "reason": "Same CII number on both; date typed day first.",
            "message_to_person": "",
            "_save": "1",
        },
    )

    assert response.status_code == 302 and response.url == QUEUE_URL
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.MATCHED
    assert lookup.notifications.filter(kind=Notification.Kind.REVIEW_DECIDED).exists()
    assert AuditLog.objects.filter(action=Action.REVIEW_CONFIRMED, actor=reviewer).exists()


def test_a_decision_without_a_reason_is_shown_again_with_the_error(client, jesus_cases, reviewer):
    lookup = flagged()
    client.force_login(reviewer)

    response = client.post(
        review_url(lookup),
        {"decision": "confirm", "confirmed_case_ids": [case_pk("BA123456")], "reason": ""},
    )

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW


def test_confirming_without_choosing_a_case_is_refused_on_the_screen(client, jesus_cases, reviewer):
    lookup = flagged()
    client.force_login(reviewer)

    response = client.post(review_url(lookup), {"decision": "confirm", "reason": "looks right"})

    assert response.status_code == 200
    assert "confirmed_case_ids" in response.context["form"].errors
    assert "Choose which of the candidate cases" in response.content.decode()


def test_a_second_reviewer_sees_who_holds_the_item_and_cannot_decide_it(
    client, jesus_cases, reviewer, second_reviewer
):
    lookup = flagged()
    review_claim(lookup_id=lookup.pk, reviewer=reviewer)
    client.force_login(second_reviewer)

    page = client.get(review_url(lookup))
    assert "is being reviewed by rita.reviewer" in page.content.decode()
    assert 'name="decision"' not in page.content.decode()

    response = client.post(review_url(lookup), {"decision": "reject", "reason": "not him"})
    assert response.status_code == 302 and response.url == QUEUE_URL
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW and not lookup.decisions.exists()


def test_an_item_decided_meanwhile_cannot_be_decided_from_a_stale_screen(
    client, jesus_cases, reviewer, second_reviewer
):
    lookup = flagged()
    client.force_login(reviewer)
    client.get(review_url(lookup))
    client.post(review_url(lookup), {"decision": "reject", "reason": "not him"})

    client.force_login(second_reviewer)
    client.post(
        review_url(lookup),
        {"decision": "confirm", "confirmed_case_ids": [case_pk("BA123456")], "reason": "him"},
    )

    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NOT_FOUND
    assert lookup.decisions.count() == 1
    # Opening it again leads to the lookup's page, which shows the decision.
    response = client.get(review_url(lookup))
    assert response.url == reverse("admin:screener_lookup_change", args=[lookup.pk])


def test_save_and_next_opens_the_next_oldest_item(client, jesus_cases, reviewer):
    first = flagged()
    age(first, days=2)
    second = flagged(email="second@example.org")
    client.force_login(reviewer)

    response = client.post(
        review_url(first),
        {"decision": "reject", "reason": "different person", "_next": "1"},
        follow=True,
    )

    assert response.request["PATH_INFO"] == review_url(second)
    second.refresh_from_db()
    assert second.claimed_by == reviewer


def test_releasing_an_item_returns_it_to_the_queue(client, jesus_cases, reviewer):
    lookup = flagged()
    client.force_login(reviewer)
    client.get(review_url(lookup))

    client.post(reverse("admin:screener_reviewqueueitem_release", args=[lookup.pk]))

    lookup.refresh_from_db()
    assert lookup.claimed_by is None


def test_an_outreach_worker_cannot_open_the_review_screen_or_decide(
    client, jesus_cases, outreach_worker
):
    lookup = flagged(submitted_by=outreach_worker)
    client.force_login(outreach_worker)

    assert client.get(review_url(lookup)).status_code == 403
    response = client.post(review_url(lookup), {"decision": "reject", "reason": "x"})
    assert response.status_code == 403
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW


# --- Lookups ----------------------------------------------------------------


def test_the_lookup_page_is_audited_and_links_to_the_review_screen(client, jesus_cases, reviewer):
    lookup = flagged()
    client.force_login(reviewer)

    response = client.get(reverse("admin:screener_lookup_change", args=[lookup.pk]))

    assert response.status_code == 200
    assert review_url(lookup) in response.content.decode()
    audit = AuditLog.objects.get(action=Action.LOOKUP_VIEWED, object_id=str(lookup.pk))
    assert audit.summary == f"Lookup {lookup.reference} viewed"


def test_lookups_cannot_be_added_changed_or_deleted_in_the_admin(client, jesus_cases, superuser):
    lookup = flagged()
    client.force_login(superuser)

    assert client.get(reverse("admin:screener_lookup_add")).status_code == 403
    assert client.get(reverse("admin:screener_lookup_delete", args=[lookup.pk])).status_code == 403
    client.post(
        reverse("admin:screener_lookup_change", args=[lookup.pk]),
        {"first_name": "Someone", "status": "matched"},
    )
    lookup.refresh_from_db()
    assert (lookup.first_name, lookup.status) == ("Jesus", Lookup.Status.NEEDS_REVIEW)


def test_outreach_workers_see_only_the_lookups_they_recorded_and_no_candidates(
    client, jesus_cases, outreach_worker
):
    theirs = flagged(submitted_by=outreach_worker, email="theirs@example.org")
    other = flagged()
    client.force_login(outreach_worker)

    assert listed(client.get(LOOKUPS_URL, {"q": "gutierrez"})) == [theirs.reference]
    assert client.get(reverse("admin:screener_lookup_change", args=[other.pk])).status_code == 302
    page = client.get(reverse("admin:screener_lookup_change", args=[theirs.pk]))
    # A possible match may be someone else's conviction: not for intake staff to see.
    assert "BA123456" not in page.content.decode()


# --- Search -----------------------------------------------------------------


@pytest.fixture
def searchable(jesus_cases):
    import_cases([MARIA_ROW])
    jesus = flagged(phone="+12135550123")
    maria = submit(
        first_name="María",
        middle_name="Elena",
        last_name="Hernández",
        date_of_birth=datetime.date(1980, 3, 5),
        email="Maria.H@Example.org",
    )
    return jesus, maria


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("reference", "jesus"),
        ("gutierrez", "jesus"),
        ("maria hern", "maria"),
        ("1975-12-04", "jesus"),
        ("12/04/1975", "jesus"),
        ("(213) 555-0123", "jesus"),
        ("5550123", "jesus"),
        ("maria.h@example.org", "maria"),
    ],
)
def test_staff_find_lookups_by_reference_name_date_of_birth_phone_or_email(
    client, searchable, reviewer, term, who
):
    jesus, maria = searchable
    target = {"jesus": jesus, "maria": maria}[who]
    if term == "reference":
        term = target.reference.lower().replace("-", " ")
    client.force_login(reviewer)

    assert listed(client.get(LOOKUPS_URL, {"q": term})) == [target.reference]


def test_the_queue_can_be_searched_too(client, searchable, reviewer):
    jesus, _maria = searchable
    client.force_login(reviewer)
    assert listed(client.get(QUEUE_URL, {"q": "1975-12-04"})) == [jesus.reference]


def test_a_search_is_audited_by_kind_never_by_the_term(client, searchable, reviewer):
    client.force_login(reviewer)
    client.get(LOOKUPS_URL, {"q": "maria.h@example.org"})

    audit = AuditLog.objects.get(action=Action.LOOKUP_SEARCHED)
    assert audit.detail["kind"] == "email"
    assert "maria" not in f"{audit.summary} {audit.detail}".lower()


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        ("RC-7KQ-93M", "reference"),
        ("rc7kq93m", "reference"),
        ("1980-03-05", "date_of_birth"),
        ("3/5/1980", "date_of_birth"),
        ("someone@example.org", "email"),
        ("+1 213 555 0123", "phone"),
        ("De La Cruz", "name"),
        ("José", "name"),
    ],
)
def test_search_terms_are_read_as_what_they_look_like(term, kind):
    found_kind, condition = lookup_search_filter(term)
    assert found_kind == kind
    assert isinstance(condition, Q)
