"""The lookup life cycle: submit, check, fail, re-queue, anonymize."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditLog
from screener import services
from screener.models import Lookup, Notification
from screener.roles import DATA_ADMINISTRATOR, REVIEWER
from screener.services import LookupDetails
from tests.cases.factories import CaseFactory
from tests.screener.factories import LookupDetailsFactory
from tests.screener.reviewing import staff

pytestmark = pytest.mark.django_db

CASE_ROW = {
    "case_number": "BA123456",
    "last_name": "HERNANDEZ",
    "first_name": "MARIA",
    "middle_name": "ELENA",
    "date_of_birth": "1975-04-12",
    "charge_codes": "HS 11357(a)",
    "conviction_date": "1999-06-01",
}


@pytest.fixture
def maria_case():
    CaseFactory(**CASE_ROW)


@pytest.fixture
def lookup_submit(django_capture_on_commit_callbacks):
    """lookup_submit, with its after-commit work (notifications, the check) run as on commit."""

    def submit(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.lookup_submit(**kwargs)

    return submit


def details(**overrides) -> LookupDetails:
    values = {
        "first_name": "María",
        "middle_name": "Elena",
        "last_name": "Hernández",
        "date_of_birth": datetime.date(1975, 4, 12),
        "email": "maria@example.org",
        "language": "es",
    }
    values.update(overrides)
    return LookupDetailsFactory(**values)


def test_reference_codes_are_short_and_unambiguous():
    for _ in range(200):
        code = services.reference_new()
        assert len(code) == 10 and code.startswith("RC-")
        assert not set(code[3:].replace("-", "")) & set("01258OILZSB")


def test_reference_normalize_accepts_what_people_type():
    assert services.reference_normalize(" rc 7kq 93m ") == "RC-7KQ-93M"
    assert services.reference_normalize("7KQ-93M") == "RC-7KQ-93M"
    assert services.reference_normalize("RC-7KQ") == ""


def test_submitting_a_found_person_ends_matched_with_candidates_and_audit(
    maria_case, lookup_submit
):
    lookup, created = lookup_submit(details=details())
    assert created
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.MATCHED
    assert lookup.outcome == Lookup.Outcome.MATCH
    assert [c.case.case_number for c in lookup.candidates.all()] == ["BA123456"]
    actions = set(
        AuditLog.objects.filter(object_id=str(lookup.pk)).values_list("action", flat=True)
    )
    assert {"lookup.submitted", "lookup.checked"} <= actions
    kinds = set(lookup.notifications.values_list("kind", flat=True))
    assert kinds == {Notification.Kind.RECEIVED, Notification.Kind.RESULT_MATCH}


def test_submitting_an_unknown_person_ends_not_found(maria_case, lookup_submit):
    lookup, _ = lookup_submit(
        details=details(first_name="Rosa", date_of_birth=datetime.date(1980, 1, 1))
    )
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NOT_FOUND
    assert not lookup.candidates.exists()


def test_resubmitting_the_same_details_returns_the_open_request(maria_case, lookup_submit):
    first, created_first = lookup_submit(details=details())
    again, created_again = lookup_submit(details=details(first_name=" MARIA "))
    assert created_first and not created_again
    assert again.pk == first.pk
    assert Lookup.objects.count() == 1


def test_a_different_contact_is_a_separate_request(maria_case, lookup_submit):
    lookup_submit(details=details())
    _, created = lookup_submit(details=details(email="someone.else@example.org"))
    assert created
    assert Lookup.objects.count() == 2


def test_checking_twice_changes_nothing(maria_case, lookup_submit):
    lookup, _ = lookup_submit(details=details())
    before = list(lookup.candidates.values_list("pk", flat=True))
    services.lookup_check(lookup_id=lookup.pk)
    assert list(lookup.candidates.values_list("pk", flat=True)) == before
    assert (
        AuditLog.objects.filter(action=Action.LOOKUP_CHECKED, object_id=str(lookup.pk)).count() == 1
    )


def test_a_lookup_that_cannot_be_checked_ends_failed_for_staff(maria_case, lookup_submit):
    lookup, _ = lookup_submit(details=details())
    Lookup.objects.filter(pk=lookup.pk).update(status=Lookup.Status.CHECKING)
    services.lookup_mark_failed(lookup_id=lookup.pk, error="OperationalError")
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.FAILED
    assert lookup.last_error == "OperationalError"
    assert AuditLog.objects.filter(action=Action.LOOKUP_FAILED, object_id=str(lookup.pk)).exists()


def test_stuck_lookups_are_checked_again(maria_case, lookup_submit):
    lookup, _ = lookup_submit(details=details())
    old = timezone.now() - timedelta(hours=1)
    Lookup.objects.filter(pk=lookup.pk).update(status=Lookup.Status.RECEIVED, updated_at=old)
    assert services.lookups_requeue_stuck() == [lookup.pk]
    lookup.refresh_from_db()
    # Eager in tests: the re-queued check ran and finished the lookup.
    assert lookup.status == Lookup.Status.MATCHED


def test_expired_lookups_lose_personal_details_but_keep_their_outcome(
    maria_case, lookup_submit, settings
):
    settings.LOOKUP_RETENTION_DAYS = 30
    lookup, _ = lookup_submit(details=details(phone="+13235550100"))
    Lookup.objects.filter(pk=lookup.pk).update(updated_at=timezone.now() - timedelta(days=31))
    fresh, _ = lookup_submit(details=details(email="fresh@example.org"))

    assert services.lookups_anonymize_expired() == 1

    lookup.refresh_from_db()
    assert lookup.anonymized_at is not None
    assert (lookup.first_name, lookup.last_name, lookup.email, lookup.phone) == ("", "", "", "")
    assert lookup.date_of_birth is None and lookup.dedupe_key == ""
    assert lookup.outcome == Lookup.Outcome.MATCH
    assert not lookup.notifications.exclude(recipient="").exists()
    fresh.refresh_from_db()
    assert fresh.anonymized_at is None and fresh.email == "fresh@example.org"
    assert AuditLog.objects.filter(action=Action.LOOKUP_ANONYMIZED).exists()


def test_lookups_under_review_are_never_anonymized(maria_case, lookup_submit, settings):
    settings.LOOKUP_RETENTION_DAYS = 1
    lookup, _ = lookup_submit(details=details())
    Lookup.objects.filter(pk=lookup.pk).update(
        status=Lookup.Status.NEEDS_REVIEW, updated_at=timezone.now() - timedelta(days=10)
    )
    assert services.lookups_anonymize_expired() == 0


def test_a_check_cut_off_while_checking_is_finished_by_the_sweep(maria_case, lookup_submit):
    lookup, _ = lookup_submit(details=details())
    # The worker died between marking the lookup CHECKING and writing the result.
    old = timezone.now() - timedelta(hours=1)
    Lookup.objects.filter(pk=lookup.pk).update(status=Lookup.Status.CHECKING, updated_at=old)
    assert services.lookups_requeue_stuck() == [lookup.pk]
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.MATCHED


@pytest.fixture
def failed_lookup(maria_case, django_capture_on_commit_callbacks):
    """A lookup whose check gave up (the broker never delivered it, the retries ran out)."""
    with django_capture_on_commit_callbacks(execute=False):
        lookup, _ = services.lookup_submit(details=details())
    return services.lookup_mark_failed(lookup_id=lookup.pk, error="OperationalError")


def test_staff_check_a_failed_lookup_again_after_commit(
    failed_lookup, django_capture_on_commit_callbacks
):
    reviewer = staff("rita.retry", REVIEWER)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lookup = services.lookup_retry(
            lookup_id=failed_lookup.pk, actor=reviewer, ip_address="10.0.0.5"
        )
    # Nothing is checked before the commit: the task would not see the RECEIVED row.
    assert (lookup.status, lookup.last_error) == (Lookup.Status.RECEIVED, "")
    assert len(callbacks) == 1
    entry = AuditLog.objects.get(action=Action.LOOKUP_RETRIED)
    assert (entry.actor, entry.object_id, entry.ip_address) == (
        reviewer,
        str(lookup.pk),
        "10.0.0.5",
    )
    assert entry.detail["previous_error"] == "OperationalError"

    callbacks[0]()

    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.MATCHED


def test_only_a_failed_lookup_can_be_checked_again(maria_case, lookup_submit):
    lookup, _ = lookup_submit(details=details())
    with pytest.raises(ValidationError, match="could not be checked"):
        services.lookup_retry(lookup_id=lookup.pk, actor=staff("rita.retry", REVIEWER))
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.MATCHED
    assert not AuditLog.objects.filter(action=Action.LOOKUP_RETRIED).exists()


def test_checking_again_needs_the_permission_to_decide_lookups(failed_lookup):
    with pytest.raises(PermissionDenied):
        services.lookup_retry(lookup_id=failed_lookup.pk, actor=staff("dana", DATA_ADMINISTRATOR))
    failed_lookup.refresh_from_db()
    assert failed_lookup.status == Lookup.Status.FAILED


def test_a_failed_lookup_whose_details_were_erased_cannot_be_checked_again(failed_lookup, settings):
    settings.LOOKUP_RETENTION_DAYS = 30
    Lookup.objects.filter(pk=failed_lookup.pk).update(
        updated_at=timezone.now() - timedelta(days=31)
    )
    assert services.lookups_anonymize_expired() == 1

    with pytest.raises(ValidationError, match="details were erased"):
        services.lookup_retry(lookup_id=failed_lookup.pk, actor=staff("rita.retry", REVIEWER))
    failed_lookup.refresh_from_db()
    assert failed_lookup.status == Lookup.Status.FAILED
