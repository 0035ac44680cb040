import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditLog
from screener.models import Notification, Suppression
from screener.notifications.outbox import notifications_queue
from screener.notifications.suppressions import recipient_hash
from tests.screener.notifying import _clear_sms_outbox, submit  # noqa: F401

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:screener_notification_changelist"


def staff_with(django_user_model, username: str, *codenames: str):
    user = django_user_model.objects.create_user(
        username=username, password="x" * 16, is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="screener", codename__in=codenames)
    )
    return user


@pytest.fixture
def reviewer(django_user_model, client):
    user = staff_with(django_user_model, "rita", "view_notification", "change_notification")
    client.force_login(user)
    return user


def failed_and_sent():
    lookup = submit()
    with TestCase.captureOnCommitCallbacks(execute=True):
        rows = notifications_queue(lookup=lookup, kind=Notification.Kind.RECEIVED)
    email = next(row for row in rows if row.channel == Notification.Channel.EMAIL)
    sms = next(row for row in rows if row.channel == Notification.Channel.SMS)
    Notification.objects.filter(pk=email.pk).update(
        status=Notification.Status.FAILED, last_error="SMTPServerDisconnected"
    )
    mail.outbox.clear()
    return email, sms


def test_outbox_list_masks_recipients_and_filters_failures(client, reviewer):
    email, sms = failed_and_sent()

    response = client.get(reverse(CHANGELIST), {"status__exact": "failed"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "m••••••••••@example.org" in content
    assert "maria.lopez@example.org" not in content
    assert "SMTPServerDisconnected" in content
    assert f"/{sms.pk}/change/" not in content
    assert f"/{email.pk}/change/" in content


def test_opening_a_message_shows_its_body_read_only_and_is_audited(client, reviewer):
    email, _sms = failed_and_sent()

    response = client.get(reverse("admin:screener_notification_change", args=[email.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert email.lookup.reference in content
    assert 'name="status"' not in content  # no editable fields
    entry = AuditLog.objects.get(action=Action.NOTIFICATION_VIEWED)
    assert entry.actor == reviewer
    assert "maria" not in entry.summary


def test_resend_action_queues_failed_messages_again_and_skips_others(client, reviewer):
    email, sms = failed_and_sent()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse(CHANGELIST),
            {"action": "resend_failed", "_selected_action": [email.pk, sms.pk]},
            follow=True,
        )

    assert response.status_code == 200
    email.refresh_from_db()
    sms.refresh_from_db()
    assert email.status == Notification.Status.SENT
    assert sms.status == Notification.Status.SENT
    assert len(mail.outbox) == 1
    assert AuditLog.objects.filter(action=Action.NOTIFICATION_RESENT, actor=reviewer).count() == 1
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 notification queued" in m for m in messages)
    assert any("1 notification skipped" in m for m in messages)


def test_staff_who_may_only_view_cannot_resend(client, django_user_model):
    client.force_login(staff_with(django_user_model, "viv", "view_notification"))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "resend_failed" not in response.content.decode()


def test_staff_can_add_an_opt_out_which_is_normalized_and_audited(client, django_user_model):
    user = staff_with(
        django_user_model, "sam", "view_suppression", "add_suppression", "delete_suppression"
    )
    client.force_login(user)

    response = client.post(
        reverse("admin:screener_suppression_add"),
        {"channel": "sms", "recipient": "(213) 555-0123", "reason": "asked by phone"},
    )

    assert response.status_code == 302
    suppression = Suppression.objects.get()
    # Normalized, then kept only as a keyed hash.
    assert suppression.recipient_hash == recipient_hash("sms", "+12135550123")
    assert AuditLog.objects.get(action=Action.SUPPRESSION_ADDED).actor == user


def test_adding_an_opt_out_with_a_landline_explains_the_problem(client, django_user_model):
    client.force_login(staff_with(django_user_model, "sam", "view_suppression", "add_suppression"))
    response = client.post(
        reverse("admin:screener_suppression_add"),
        {"channel": "sms", "recipient": "(800) 555-1234", "reason": ""},
    )
    assert response.status_code == 200
    assert "cannot receive text messages" in response.content.decode()
    assert not Suppression.objects.exists()


def test_removing_an_opt_out_is_audited(client, django_user_model):
    from screener.notifications.suppressions import suppression_add

    user = staff_with(django_user_model, "sam", "view_suppression", "delete_suppression")
    client.force_login(user)
    suppression, _ = suppression_add(channel="sms", recipient="+12135550123", reason="STOP")

    response = client.post(
        reverse("admin:screener_suppression_delete", args=[suppression.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Suppression.objects.exists()
    assert AuditLog.objects.get(action=Action.SUPPRESSION_REMOVED).actor == user
