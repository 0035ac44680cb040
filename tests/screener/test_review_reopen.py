"""Reopening a lookup after the person answered a request for more information."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditLog
from cases.models import Case
from screener.models import Lookup, Notification, ReviewDecision
from screener.review import (
    ClaimedByOther,
    ReviewError,
    claim_is_active,
    review_decide,
    review_reopen,
)
from tests.screener.reviewing import JESUS_LATER_ROW, flagged, import_cases

pytestmark = pytest.mark.django_db

QUESTION = "Please reply with the case number on your court papers."


def asked_for_more_info(reviewer, capture) -> Lookup:
    lookup = flagged()
    with capture(execute=True):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            decision="more_info",
            reason="Three cases, the date of birth does not agree.",
            message_to_person=QUESTION,
        )
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.MORE_INFO
    return lookup


@pytest.fixture
def waiting(jesus_cases, reviewer, django_capture_on_commit_callbacks) -> Lookup:
    lookup = asked_for_more_info(reviewer, django_capture_on_commit_callbacks)
    # While the person is asked, a later batch brings another of their cases.
    import_cases([JESUS_LATER_ROW])
    return lookup


def candidate_numbers(lookup: Lookup) -> set[str]:
    return set(lookup.candidates.values_list("case__case_number", flat=True))


# --- Service ----------------------------------------------------------------


def test_the_persons_case_number_brings_its_case_back_and_the_lookup_to_the_reviewer(
    waiting, reviewer, django_capture_on_commit_callbacks
):
    # Imported after the lookup ran: not a candidate until the person names the case.
    assert "BA555000" not in candidate_numbers(waiting)
    notifications_before = set(waiting.notifications.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        reopened = review_reopen(
            lookup_id=waiting.pk,
            reviewer=reviewer,
            reason="Called the line and read the number from the court papers.",
            case_number="ba-555 000",
            ip_address="10.0.0.9",
        )

    lookup = Lookup.objects.get(pk=waiting.pk)
    assert reopened.pk == lookup.pk
    assert lookup.status == Lookup.Status.NEEDS_REVIEW
    assert lookup.outcome == Lookup.Outcome.POSSIBLE
    assert lookup.decided_at is None
    assert lookup.claimed_by == reviewer and claim_is_active(lookup)
    # Kept as the person gave it; the engine compares it normalized.
    assert lookup.case_number == "ba-555 000"
    assert "BA555000" in candidate_numbers(lookup)
    assert set(lookup.candidates.values_list("confirmed", flat=True)) == {None}
    # The person is waiting for the decision: nothing is sent now.
    assert set(lookup.notifications.values_list("pk", flat=True)) == notifications_before


def test_reopening_writes_an_audit_row_without_personal_data(waiting, reviewer):
    review_reopen(
        lookup_id=waiting.pk,
        reviewer=reviewer,
        reason="The person phoned; Jesus gave case BA555000.",
        case_number="BA555000",
        other_names=["Chuy Gutierrez"],
        ip_address="10.0.0.9",
    )

    audit = AuditLog.objects.get(action=Action.REVIEW_REOPENED, object_id=str(waiting.pk))
    assert audit.actor == reviewer and audit.ip_address == "10.0.0.9"
    assert waiting.reference in audit.summary
    for personal in ("BA555000", "Chuy", "Jesus", "Gutierrez", "phoned"):
        assert personal not in audit.summary
        assert personal not in str(audit.detail)
    assert audit.detail["case_number_given"] is True
    assert audit.detail["other_names_given"] == 1
    reopen = ReviewDecision.objects.get(pk=audit.detail["review_decision_id"])
    assert reopen.decision == ReviewDecision.Decision.REOPEN
    assert reopen.reason == "The person phoned; Jesus gave case BA555000."


def test_other_names_are_added_once_to_those_already_given(waiting, reviewer):
    Lookup.objects.filter(pk=waiting.pk).update(other_names=["Chuy Gutierrez"])

    review_reopen(
        lookup_id=waiting.pk,
        reviewer=reviewer,
        reason="Emailed staff with the names used.",
        other_names=["chuy gutierrez", " Jesse Gutierrez ", ""],
    )

    lookup = Lookup.objects.get(pk=waiting.pk)
    assert lookup.other_names == ["Chuy Gutierrez", "Jesse Gutierrez"]
    assert lookup.case_number == ""


def test_after_reopening_the_reviewer_confirms_and_the_person_gets_the_decision(
    waiting, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    review_reopen(
        lookup_id=waiting.pk,
        reviewer=reviewer,
        reason="Case number read over the phone.",
        case_number="BA555000",
    )
    chosen = list(
        Case.objects.filter(case_number__in=["BA123456", "BA555000"]).values_list("pk", flat=True)
    )
    with pytest.raises(ClaimedByOther):
        review_decide(
            lookup_id=waiting.pk, reviewer=second_reviewer, decision="reject", reason="No."
        )

    with django_capture_on_commit_callbacks(execute=True):
        review_decide(
            lookup_id=waiting.pk,
            reviewer=reviewer,
            decision="confirm",
            reason="Same CII number; the person's case number agrees.",
            confirmed_case_ids=chosen,
        )

    lookup = Lookup.objects.get(pk=waiting.pk)
    assert (lookup.status, lookup.outcome) == (Lookup.Status.MATCHED, Lookup.Outcome.MATCH)
    assert lookup.decided_at is not None
    assert lookup.notifications.filter(
        kind=Notification.Kind.REVIEW_DECIDED, channel=Notification.Channel.EMAIL
    ).exists()
    assert list(
        lookup.decisions.order_by("created_at", "pk").values_list("decision", flat=True)
    ) == [
        "more_info",
        "reopen",
        "confirm",
    ]


def test_reopening_needs_the_decide_permission(waiting, outreach_worker):
    with pytest.raises(PermissionDenied):
        review_reopen(lookup_id=waiting.pk, reviewer=outreach_worker, reason="The person called.")
    assert Lookup.objects.get(pk=waiting.pk).status == Lookup.Status.MORE_INFO


def test_only_a_lookup_waiting_for_the_persons_answer_can_be_reopened(jesus_cases, reviewer):
    lookup = flagged()
    with pytest.raises(ReviewError, match="not waiting for the person"):
        review_reopen(lookup_id=lookup.pk, reviewer=reviewer, reason="The person called.")
    review_decide(lookup_id=lookup.pk, reviewer=reviewer, decision="reject", reason="Not them.")
    with pytest.raises(ReviewError):
        review_reopen(lookup_id=lookup.pk, reviewer=reviewer, reason="The person called.")
    assert Lookup.objects.get(pk=lookup.pk).status == Lookup.Status.NOT_FOUND
    assert not AuditLog.objects.filter(action=Action.REVIEW_REOPENED).exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"reason": "Called.", "case_number": " - "}, "case_number"),
        ({"reason": "Called.", "case_number": "BA" * 30}, "case_number"),
    ],
)
def test_an_incomplete_reopening_is_refused_and_changes_nothing(waiting, reviewer, extra, field):
    with pytest.raises(ValidationError) as excinfo:
        review_reopen(lookup_id=waiting.pk, reviewer=reviewer, **extra)
    assert field in excinfo.value.message_dict
    lookup = Lookup.objects.get(pk=waiting.pk)
    assert lookup.status == Lookup.Status.MORE_INFO and lookup.case_number == ""


def test_reopen_is_not_a_decision_a_reviewer_can_choose(jesus_cases, reviewer):
    lookup = flagged()
    with pytest.raises(ValidationError) as excinfo:
        review_decide(lookup_id=lookup.pk, reviewer=reviewer, decision="reopen", reason="ok")
    assert "decision" in excinfo.value.message_dict


# --- Admin ------------------------------------------------------------------


def reopen_url(lookup: Lookup) -> str:
    return reverse("admin:screener_lookup_reopen", args=[lookup.pk])


def test_the_lookup_page_offers_reopening_and_the_queue_links_to_waiting_lookups(
    client, waiting, reviewer
):
    client.force_login(reviewer)

    page = client.get(reverse("admin:screener_lookup_change", args=[waiting.pk]))
    queue = client.get(reverse("admin:screener_reviewqueueitem_changelist"))
    waiting_list = client.get(
        reverse("admin:screener_lookup_changelist"), {"status__exact": "more_info"}
    )

    assert reopen_url(waiting) in page.content.decode()
    # The queue points to the follow-up list, where these wait with their due dates.
    assert reverse("admin:screener_followupitem_changelist") in queue.content.decode()
    assert [item.reference for item in waiting_list.context["cl"].result_list] == [
        waiting.reference
    ]


def test_the_admin_form_reopens_and_opens_the_review_screen(client, waiting, reviewer):
    client.force_login(reviewer)

    form_page = client.get(reopen_url(waiting))
    response = client.post(
        reopen_url(waiting),
        {"reason": "Called the line.", "case_number": "BA555000", "other_names": ""},
        follow=True,
    )

    assert QUESTION in form_page.content.decode()
    assert response.redirect_chain[0][0] == reverse(
        "admin:screener_reviewqueueitem_review", args=[waiting.pk]
    )
    assert response.status_code == 200
    assert "back in review" in response.content.decode()
    assert "BA555000" in [col.case.case_number for col in response.context["columns"]]
    lookup = Lookup.objects.get(pk=waiting.pk)
    assert lookup.status == Lookup.Status.NEEDS_REVIEW and lookup.claimed_by == reviewer


def test_the_admin_form_shows_what_is_missing(client, waiting, reviewer):
    client.force_login(reviewer)

    response = client.post(reopen_url(waiting), {"reason": "", "case_number": "--"})

    assert response.status_code == 200
    form = response.context["form"]
    assert "reason" in form.errors
    content = response.content.decode()
    assert "errornote" in content
    assert Lookup.objects.get(pk=waiting.pk).status == Lookup.Status.MORE_INFO

    response = client.post(reopen_url(waiting), {"reason": "Called.", "case_number": "--"})
    assert "case_number" in response.context["form"].errors
    assert Lookup.objects.get(pk=waiting.pk).status == Lookup.Status.MORE_INFO


def test_staff_without_the_decide_permission_cannot_reopen(client, waiting, outreach_worker):
    client.force_login(outreach_worker)

    response = client.post(reopen_url(waiting), {"reason": "Called."})

    assert response.status_code == 403
    assert Lookup.objects.get(pk=waiting.pk).status == Lookup.Status.MORE_INFO
