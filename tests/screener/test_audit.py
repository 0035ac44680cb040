"""The audit log: append-only at every layer, read-only in the admin, fed by staff actions."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditLog
from cases.models import Case
from screener.review import review_decide
from tests.audit.factories import AuditLogFactory
from tests.screener.reviewing import flagged

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(reviewer):
    return AuditLogFactory(
        actor=reviewer, action=Action.LOOKUP_VIEWED, summary="Lookup RC-AAA-333 viewed"
    )


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(entry):
    entry.summary = "nothing happened"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(summary="nothing happened")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    entry.refresh_from_db()
    assert entry.summary == "Lookup RC-AAA-333 viewed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_even_raw_sql_changes(entry):
    for statement in (
        "UPDATE audit_auditlog SET summary = 'x'",
        "DELETE FROM audit_auditlog",
    ):
        with (
            pytest.raises(Exception, match="cannot be changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditLog.objects.filter(pk=entry.pk, summary="Lookup RC-AAA-333 viewed").exists()


def test_the_admin_offers_no_way_to_add_change_or_delete_entries(client, entry, superuser):
    client.force_login(superuser)
    change_url = reverse("admin:audit_auditlog_change", args=[entry.pk])

    assert client.get(reverse("admin:audit_auditlog_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditlog_delete", args=[entry.pk])).status_code == 403
    page = client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(change_url, {"summary": "nothing happened", "action": "x"})
    listing = client.get(reverse("admin:audit_auditlog_changelist"))
    assert "delete_selected" not in listing.content.decode()
    client.post(
        reverse("admin:audit_auditlog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    entry.refresh_from_db()
    assert entry.summary == "Lookup RC-AAA-333 viewed"


def test_administrators_read_the_log_and_reviewers_do_not(client, entry, data_admin, reviewer):
    url = reverse("admin:audit_auditlog_changelist")
    client.force_login(data_admin)
    assert client.get(url).status_code == 200
    client.force_login(reviewer)
    assert client.get(url).status_code == 403


def test_staff_actions_on_personal_data_leave_who_when_what_and_where(
    client, jesus_cases, reviewer
):
    lookup = flagged()
    client.force_login(reviewer)
    client.get(reverse("admin:screener_lookup_change", args=[lookup.pk]), REMOTE_ADDR="10.9.8.7")
    client.get(reverse("admin:screener_lookup_history", args=[lookup.pk]), REMOTE_ADDR="10.9.8.7")
    client.get(reverse("admin:screener_lookup_changelist"), {"q": "gutierrez"})
    review_decide(lookup_id=lookup.pk, reviewer=reviewer, decision="reject", reason="not him")

    mine = AuditLog.objects.filter(actor=reviewer)
    assert set(mine.values_list("action", flat=True)) == {
        Action.STAFF_LOGGED_IN,
        Action.LOOKUP_VIEWED,
        Action.LOOKUP_HISTORY_VIEWED,
        Action.LOOKUP_SEARCHED,
        Action.LOOKUP_LISTED,
        Action.REVIEW_REJECTED,
    }
    viewed = mine.get(action=Action.LOOKUP_VIEWED)
    assert (viewed.actor_label, viewed.ip_address) == ("rita.reviewer", "10.9.8.7")
    assert (viewed.object_type, viewed.object_id) == ("screener.lookup", str(lookup.pk))
    assert viewed.created_at is not None


def test_audit_summaries_carry_no_names_or_contacts(client, jesus_cases, reviewer):
    lookup = flagged()
    client.force_login(reviewer)
    client.get(reverse("admin:screener_reviewqueueitem_review", args=[lookup.pk]))
    client.get(reverse("admin:screener_lookup_changelist"), {"q": "jesus@example.org"})

    for row in AuditLog.objects.all():
        text = f"{row.summary} {row.detail}".lower()
        assert "gutierrez" not in text and "gutiérrez" not in text
        assert "jesus@example.org" not in text and "1975" not in text


def test_opening_or_searching_cases_is_audited_without_the_case_number(
    client, jesus_cases, reviewer
):
    case = Case.objects.get(case_number="BA123456")
    client.force_login(reviewer)

    assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200
    client.get(reverse("admin:cases_case_changelist"), {"q": "gutierrez"})

    viewed = AuditLog.objects.get(action=Action.CASE_VIEWED)
    assert (viewed.actor, viewed.object_id) == (reviewer, str(case.pk))
    assert "BA123456" not in viewed.summary
    searched = AuditLog.objects.get(action=Action.CASE_SEARCHED)
    assert "gutierrez" not in f"{searched.summary} {searched.detail}".lower()
