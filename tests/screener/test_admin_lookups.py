"""The lookups list in the staff admin: checking failed lookups again."""

import pytest
from django.test import TestCase
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditLog
from screener.models import Lookup
from screener.services import lookup_mark_failed
from tests.screener.reviewing import flagged

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:screener_lookup_changelist"


def failed(**overrides) -> Lookup:
    """A lookup whose check gave up after its retries (the engine found it possible before)."""
    lookup = flagged(**overrides)
    Lookup.objects.filter(pk=lookup.pk).update(status=Lookup.Status.CHECKING)
    return lookup_mark_failed(lookup_id=lookup.pk, error="OperationalError")


def test_reviewers_check_failed_lookups_again_and_others_are_skipped(client, jesus_cases, reviewer):
    broken = failed()
    in_review = flagged(email="other@example.org")
    client.force_login(reviewer)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse(CHANGELIST),
            {"action": "check_again", "_selected_action": [broken.pk, in_review.pk]},
            follow=True,
        )

    assert response.status_code == 200
    broken.refresh_from_db()
    # Checked again by the engine after the commit: back in the review queue, no error left.
    assert (broken.status, broken.last_error) == (Lookup.Status.NEEDS_REVIEW, "")
    assert broken.attempts == 2
    entry = AuditLog.objects.get(action=Action.LOOKUP_RETRIED)
    assert (entry.actor, entry.object_id) == (reviewer, str(broken.pk))
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 lookup sent to be checked again" in m for m in messages)
    assert any("1 lookup skipped" in m for m in messages)


def test_outreach_workers_are_not_offered_the_action_and_cannot_post_it(
    client, jesus_cases, outreach_worker, reviewer
):
    # Outreach workers see the lookups they recorded, and may not decide them.
    broken = failed(submitted_by=outreach_worker)
    client.force_login(reviewer)
    assert 'value="check_again"' in client.get(reverse(CHANGELIST)).content.decode()
    client.force_login(outreach_worker)
    listing = client.get(reverse(CHANGELIST))
    assert broken.reference in listing.content.decode()
    assert 'value="check_again"' not in listing.content.decode()

    client.post(reverse(CHANGELIST), {"action": "check_again", "_selected_action": [broken.pk]})

    broken.refresh_from_db()
    assert broken.status == Lookup.Status.FAILED
    assert not AuditLog.objects.filter(action=Action.LOOKUP_RETRIED).exists()


def test_the_action_is_offered_in_spanish_too(client, jesus_cases, reviewer):
    failed()
    client.force_login(reviewer)
    response = client.get(reverse(CHANGELIST), headers={"accept-language": "es"})
    assert "Revisar de nuevo las solicitudes seleccionadas" in response.content.decode()
