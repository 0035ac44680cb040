"""Staff browsing and changing things in the admin leave audit rows: lists and their filters,
searches (as a keyed hash, never the term), user, group and permission changes, and deletes,
superusers' included. The lists show no names or dates of birth."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from audit.actions import Action
from audit.hashing import search_term_hash
from audit.models import AuditLog
from cases.models import Case
from tests.screener.reviewing import flagged, staff

pytestmark = pytest.mark.django_db


def test_the_lookup_list_and_its_filters_are_audited(client, jesus_cases, reviewer):
    flagged()
    client.force_login(reviewer)
    url = reverse("admin:screener_lookup_changelist")
    assert client.get(url, {"status__exact": "needs_review"}).status_code == 200
    row = AuditLog.objects.get(action=Action.LOOKUP_LISTED)
    assert (row.actor, row.detail["filters"]) == (reviewer, {"status__exact": "needs_review"})


def test_a_search_is_recorded_as_a_keyed_hash_never_the_term(client, jesus_cases, reviewer):
    flagged()
    client.force_login(reviewer)
    client.get(reverse("admin:screener_lookup_changelist"), {"q": "Gutierrez"})
    client.get(reverse("admin:screener_lookup_changelist"), {"q": "  gutierrez "})
    searched = AuditLog.objects.filter(action=Action.LOOKUP_SEARCHED)
    listed = AuditLog.objects.filter(action=Action.LOOKUP_LISTED)
    hashes = {r.detail["search_hash"] for r in [*searched, *listed]}
    assert hashes == {search_term_hash("gutierrez")}
    for row in AuditLog.objects.all():
        assert "gutierrez" not in f"{row.summary} {row.detail}".lower()


def test_the_case_list_is_audited_and_shows_no_names_or_birth_dates(client, jesus_cases, reviewer):
    client.force_login(reviewer)
    page = client.get(
        reverse("admin:cases_case_changelist"), {"relief__exact": "dismissed_and_sealed"}
    )
    text = page.content.decode()
    case = Case.objects.first()
    assert case.case_number in text
    assert case.last_name not in text and case.first_name not in text
    assert case.date_of_birth.strftime("%b. %-d, %Y") not in text
    row = AuditLog.objects.get(action=Action.CASE_LISTED)
    assert row.detail["filters"] == {"relief__exact": "dismissed_and_sealed"}


def test_the_lookup_list_shows_no_names(client, jesus_cases, reviewer):
    lookup = flagged()
    client.force_login(reviewer)
    text = client.get(reverse("admin:screener_lookup_changelist")).content.decode()
    assert lookup.reference in text
    assert "Gutiérrez" not in text and "Jesus" not in text


def test_the_review_queue_is_audited(client, jesus_cases, reviewer):
    flagged()
    client.force_login(reviewer)
    assert client.get(reverse("admin:screener_reviewqueueitem_changelist")).status_code == 200
    assert AuditLog.objects.filter(action=Action.REVIEW_QUEUE_LISTED, actor=reviewer).exists()


def test_group_and_permission_changes_to_a_user_are_audited(client, superuser):
    client.force_login(superuser)
    member = staff("nina.new")
    group = Group.objects.create(name="Night shift")
    permission = Permission.objects.get(codename="view_case")
    url = reverse("admin:auth_user_change", args=[member.pk])
    response = client.post(
        url,
        {
            "username": member.username,
            "is_active": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "user_permissions": [permission.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditLog.objects.get(action=Action.OBJECT_CHANGED)
    assert (row.actor, row.object_type, row.object_id) == (superuser, "auth.user", str(member.pk))
    changed = row.detail["changes"][0]["changed"]["fields"]
    assert {"Groups", "User permissions"} <= set(changed)


def test_a_new_group_and_its_permissions_are_audited(client, superuser):
    client.force_login(superuser)
    permission = Permission.objects.get(codename="view_case")
    client.post(
        reverse("admin:auth_group_add"), {"name": "Auditors", "permissions": [permission.pk]}
    )
    group = Group.objects.get(name="Auditors")
    row = AuditLog.objects.get(action=Action.OBJECT_ADDED)
    assert (row.object_type, row.object_id) == ("auth.group", str(group.pk))


def test_a_superusers_delete_is_audited_one_row_per_object(client, jesus_cases, superuser):
    client.force_login(superuser)
    cases = list(Case.objects.values_list("pk", flat=True)[:2])
    response = client.post(
        reverse("admin:cases_case_changelist"),
        {"action": "delete_selected", "_selected_action": cases, "post": "yes"},
    )
    assert response.status_code == 302
    deleted = AuditLog.objects.filter(action=Action.OBJECT_DELETED)
    assert sorted(int(i) for i in deleted.values_list("object_id", flat=True)) == sorted(cases)
    assert not Case.objects.filter(pk__in=cases).exists()


def test_deleting_one_user_from_its_page_is_audited(client, superuser):
    client.force_login(superuser)
    leaver = User.objects.create_user("leo.leaver", password="x" * 12, is_staff=True)
    client.post(reverse("admin:auth_user_delete", args=[leaver.pk]), {"post": "yes"})
    row = AuditLog.objects.get(action=Action.OBJECT_DELETED)
    assert (row.object_type, row.object_id) == ("auth.user", str(leaver.pk))
