"""One-time codes: six digits, ten minutes, five tries, one live code, stored only as a hash."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import TestCase, override_settings
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from screener.access.codes import (
    CODE_MAX_TRIES,
    CodeResult,
    code_hash,
    code_normalize,
    contact_code_check,
    contact_code_mint,
    contact_code_request,
)
from screener.models import ContactCode, Notification
from screener.sms import outbox as sms_outbox
from tests.screener.notifying import _clear_sms_outbox, submit  # noqa: F401
from tests.screener.public_flow import latest_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def lookup():
    return submit()


def send_code(lookup, channel="email"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        contact_code_request(lookup=lookup, channel=channel)
    return latest_code(lookup.email if channel == "email" else lookup.phone)


def test_a_code_is_six_digits_made_when_sent_and_stored_only_as_a_keyed_hash(lookup):
    code = send_code(lookup)
    assert len(code) == 6 and code.isdigit()
    [row] = ContactCode.objects.filter(lookup=lookup)
    assert row.code_hash == code_hash(lookup_id=lookup.pk, code=code) != code
    assert code not in row.code_hash
    # The outbox row keeps the placeholder: the code was only in the message that left.
    message = Notification.objects.get(lookup=lookup, kind=Notification.Kind.CODE)
    assert code not in message.subject + message.body_text + message.body_html
    assert "[code]" in message.body_text
    assert abs(row.expires_at - row.created_at - timedelta(minutes=10)) < timedelta(seconds=1)
    # Keyed: without SECRET_KEY the million possible codes give other hashes.
    with override_settings(SECRET_KEY="another-key"):
        assert code_hash(lookup_id=lookup.pk, code=code) != row.code_hash


def test_a_code_by_text_message_goes_to_the_phone_only(lookup):
    code = send_code(lookup, channel="sms")
    [texted] = sms_outbox
    assert texted.to == lookup.phone and code in texted.body
    assert ContactCode.objects.get(lookup=lookup).channel == "sms"


def test_the_right_code_is_accepted_once_and_audited(lookup):
    code = send_code(lookup)
    assert contact_code_check(lookup_id=lookup.pk, code=code, ip_address="203.0.113.9").accepted
    assert contact_code_check(lookup_id=lookup.pk, code=code).result == CodeResult.USED
    row = AuditLog.objects.get(action=Action.LOOKUP_CONTACT_VERIFIED)
    assert row.object_id == str(lookup.pk) and row.ip_address == "203.0.113.9"
    assert code not in str(row.detail) + row.summary


def test_a_wrong_code_counts_down_and_the_fifth_ends_the_code(lookup):
    code = send_code(lookup)
    wrong = "000000" if code != "000000" else "111111"
    results = [contact_code_check(lookup_id=lookup.pk, code=wrong) for _ in range(CODE_MAX_TRIES)]
    assert [r.tries_left for r in results] == [4, 3, 2, 1, 0]
    assert [r.result for r in results][-1] == CodeResult.USED_UP
    # Even the right code no longer works: a new one must be sent.
    assert contact_code_check(lookup_id=lookup.pk, code=code).result == CodeResult.USED_UP


def test_a_code_expires_after_ten_minutes(lookup):
    code = send_code(lookup)
    ContactCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert contact_code_check(lookup_id=lookup.pk, code=code).result == CodeResult.EXPIRED


def test_a_new_code_replaces_the_old_one(lookup):
    old = contact_code_mint(lookup_id=lookup.pk, channel="email")
    new = contact_code_mint(lookup_id=lookup.pk, channel="email")
    assert ContactCode.objects.filter(used_at__isnull=True, revoked_at__isnull=True).count() == 1
    if old != new:
        assert contact_code_check(lookup_id=lookup.pk, code=old).result == CodeResult.REPLACED
    assert contact_code_check(lookup_id=lookup.pk, code=new).accepted


def test_before_any_code_was_sent_the_check_says_so(lookup):
    assert contact_code_check(lookup_id=lookup.pk, code="123456").result == CodeResult.NONE_SENT


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("123456", "123456"),
        (" 123 456 ", "123456"),
        ("123-456", "123456"),
        ("12345", ""),
        ("1234567", ""),
        ("12a456", ""),
        ("١٢٣٤٥٦", ""),
    ],
)
def test_codes_are_read_as_people_type_or_paste_them(typed, expected):
    assert code_normalize(typed) == expected


def test_a_submission_that_asks_for_a_code_writes_it_with_the_lookup_or_not_at_all():
    from screener.services import lookup_submit
    from tests.screener.factories import LookupDetailsFactory

    details = LookupDetailsFactory(email="one@example.org", phone="")
    with TestCase.captureOnCommitCallbacks(execute=True):
        lookup, created = lookup_submit(details=details, send_code=True)
    assert created
    [first] = Notification.objects.filter(lookup=lookup, kind=Notification.Kind.CODE)
    assert first.channel == "email" and first.recipient == "one@example.org"
    # The same details again: the same request, and a new code to the same contact.
    with TestCase.captureOnCommitCallbacks(execute=True):
        again, created = lookup_submit(details=details, send_code=True)
    assert (again, created) == (lookup, False)
    assert Notification.objects.filter(lookup=lookup, kind=Notification.Kind.CODE).count() == 2

    # The audit row is written after the code: when it fails, neither the lookup nor a code
    # is left behind.
    other = LookupDetailsFactory(email="two@example.org", phone="")
    audit_fails = mock.patch("screener.services.audit_record", side_effect=RuntimeError("down"))
    with audit_fails, pytest.raises(RuntimeError):
        lookup_submit(details=other, send_code=True)
    assert not Notification.objects.filter(recipient="two@example.org").exists()
    assert Notification.objects.filter(kind=Notification.Kind.CODE).count() == 2
