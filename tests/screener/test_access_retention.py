"""What the disclosure rules store goes once it has done its job; holds do not wait forever."""

from datetime import timedelta

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from screener.access.identity import identity_check_record
from screener.access.retention import access_records_expire
from screener.models import ContactCode, IdentityProof, Lookup, ResultLink
from screener.services import lookups_anonymize_expired
from tests.screener.public_flow import cases_load, lookup_form_data, post_lookup
from tests.screener.reviewing import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    cases_load()
    post_lookup(Client(), lookup_form_data())
    lookup = Lookup.objects.get()
    identity_check_record(
        lookup_id=lookup.pk,
        actor=staff("rita.reviewer", "Reviewer"),
        method="in_person",
        id_kind="passport",
    )
    assert ContactCode.objects.exists() and ResultLink.objects.exists()
    assert lookup.person_key and lookup.device_key
    return lookup


def test_nothing_live_is_erased(answered):
    assert access_records_expire() == {
        "codes": 0,
        "links": 0,
        "proofs": 0,
        "keys": 0,
        "holds_declined": 0,
    }
    assert not AuditLog.objects.filter(action=Action.ACCESS_RECORD_ERASED).exists()


def test_expired_codes_and_links_go_after_their_grace_period(answered):
    now = timezone.now()
    ContactCode.objects.update(expires_at=now - timedelta(days=1, minutes=1))
    ResultLink.objects.update(expires_at=now - timedelta(days=29))
    counts = access_records_expire()
    assert counts["codes"] == 1 and counts["links"] == 0
    ResultLink.objects.update(expires_at=now - timedelta(days=31))
    assert access_records_expire()["links"] == 1
    assert not ContactCode.objects.exists() and not ResultLink.objects.exists()
    row = AuditLog.objects.filter(action=Action.ACCESS_RECORD_ERASED).first()
    assert row.detail["links"] == 1


def test_abuse_keys_go_after_the_window(answered, settings):
    Lookup.objects.update(
        created_at=timezone.now() - timedelta(days=settings.ABUSE_WINDOW_DAYS + 1)
    )
    assert access_records_expire()["keys"] == 1
    answered.refresh_from_db()
    assert (answered.person_key, answered.device_key) == ("", "")


def test_an_anonymized_lookup_loses_its_codes_links_proofs_and_keys(answered, settings):
    Lookup.objects.update(
        updated_at=timezone.now() - timedelta(days=settings.LOOKUP_RETENTION_DAYS + 1)
    )
    assert lookups_anonymize_expired() == 1
    counts = access_records_expire()
    assert counts["proofs"] == 1 and counts["keys"] == 1
    assert not ContactCode.objects.exists() and not ResultLink.objects.exists()
    assert not IdentityProof.objects.exists()
    # The audit log still says that an ID check was made.
    assert AuditLog.objects.filter(action=Action.LOOKUP_IDENTITY_CHECKED).exists()


def test_a_hold_left_undecided_for_the_window_is_declined_and_then_anonymized(settings):
    cases_load()
    post_lookup(Client(), lookup_form_data())
    post_lookup(Client(), lookup_form_data(email="other@example.org"))
    held = Lookup.objects.get(status=Lookup.Status.HELD)
    long_ago = timezone.now() - timedelta(days=settings.ABUSE_WINDOW_DAYS + 1)
    Lookup.objects.filter(pk=held.pk).update(created_at=long_ago)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert access_records_expire()["holds_declined"] == 1
    held.refresh_from_db()
    assert held.status == Lookup.Status.DECLINED
    declined = AuditLog.objects.get(action=Action.LOOKUP_DECLINED)
    assert declined.actor is None and "Not decided by staff" in declined.detail["reason"]

    Lookup.objects.filter(pk=held.pk).update(
        updated_at=timezone.now() - timedelta(days=settings.LOOKUP_RETENTION_DAYS + 1)
    )
    lookups_anonymize_expired()
    held.refresh_from_db()
    assert held.anonymized_at is not None and held.first_name == ""


def test_the_job_runs_every_hour(settings):
    job = settings.CELERY_BEAT_SCHEDULE["expire-access-records"]
    assert job == {"task": "screener.tasks.expire_access_records", "schedule": 3600.0}
