"""The lookup life cycle: the table of allowed moves, and every status change goes through it."""

import ast
import datetime
from pathlib import Path

import pytest
from django.test import TestCase

from audit.actions import Action
from audit.models import AuditLog
from screener import lifecycle, services
from screener.access import abuse
from screener.lifecycle import TransitionNotAllowed, lookup_status_move, transition_allowed
from screener.models import Lookup
from screener.review import review_decide, review_reopen
from tests.screener.reviewing import flagged

pytestmark = pytest.mark.django_db

S = Lookup.Status
ROOT = Path(__file__).resolve().parents[2]

# Written out here, not read from the table: the table must say exactly this.
ALLOWED = {
    (S.RECEIVED, S.CHECKING),
    (S.RECEIVED, S.FAILED),
    (S.CHECKING, S.MATCHED),
    (S.CHECKING, S.NEEDS_REVIEW),
    (S.CHECKING, S.NOT_FOUND),
    (S.CHECKING, S.FAILED),
    (S.NEEDS_REVIEW, S.MATCHED),
    (S.NEEDS_REVIEW, S.NOT_FOUND),
    (S.NEEDS_REVIEW, S.MORE_INFO),
    (S.MORE_INFO, S.NEEDS_REVIEW),
    (S.FAILED, S.RECEIVED),
    # The retention job closes a lookup left unanswered past its longer bound.
    (S.RECEIVED, S.CLOSED),
    (S.CHECKING, S.CLOSED),
    (S.NEEDS_REVIEW, S.CLOSED),
    (S.RECEIVED, S.HELD),
    (S.HELD, S.RECEIVED),
    (S.HELD, S.DECLINED),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("new", list(S))
def test_the_table_allows_exactly_the_life_cycle_moves(current, new):
    assert transition_allowed(current, new) is ((current, new) in ALLOWED)


def test_every_status_has_a_row_and_every_status_is_reachable():
    assert set(lifecycle.ALLOWED_TRANSITIONS) == set(S)
    reached = {new for moves in lifecycle.ALLOWED_TRANSITIONS.values() for new in moves}
    assert reached | {S.RECEIVED} == set(S)


def test_a_refused_move_raises_and_leaves_the_status():
    lookup = Lookup(status=S.MATCHED)
    with pytest.raises(TransitionNotAllowed):
        lookup_status_move(lookup, S.NEEDS_REVIEW)
    assert lookup.status == S.MATCHED


def received() -> Lookup:
    """A lookup submitted while its check has not run yet (the broker is slow)."""
    with TestCase.captureOnCommitCallbacks(execute=False):
        lookup, _ = services.lookup_submit(
            details=services.LookupDetails(
                first_name="Jesus",
                last_name="Gutiérrez",
                date_of_birth=datetime.date(1975, 12, 4),
                email="jesus@example.org",
            )
        )
    return lookup


def failed() -> Lookup:
    lookup = received()
    return services.lookup_mark_failed(lookup_id=lookup.pk, error="OperationalError")


def more_info(reviewer) -> Lookup:
    lookup = flagged()
    with TestCase.captureOnCommitCallbacks(execute=True):
        review_decide(
            lookup_id=lookup.pk,
            reviewer=reviewer,
            decision="more_info",
            reason="two candidates",
            message_to_person="Send the case number.",
        )
    return lookup


def _check(lookup, reviewer):
    services.lookup_check(lookup_id=lookup.pk)


def _fail(lookup, reviewer):
    services.lookup_mark_failed(lookup_id=lookup.pk, error="OperationalError")


def _confirm(lookup, reviewer):
    review_decide(
        lookup_id=lookup.pk,
        reviewer=reviewer,
        decision="confirm",
        reason="same person",
        confirmed_case_ids=[lookup.candidates.first().case_id],
    )


def _reopen(lookup, reviewer):
    review_reopen(lookup_id=lookup.pk, reviewer=reviewer, reason="called back", case_number="")


def _retry(lookup, reviewer):
    services.lookup_retry(lookup_id=lookup.pk, actor=reviewer)


def _ask_from_another_contact(lookup, reviewer):
    with TestCase.captureOnCommitCallbacks(execute=False):
        services.lookup_submit(
            details=services.LookupDetails(
                first_name="Jesus",
                last_name="Gutiérrez",
                date_of_birth=datetime.date(1975, 12, 4),
                email="someone.else@example.org",
            )
        )


def held(reviewer) -> Lookup:
    received()
    _ask_from_another_contact(None, reviewer)
    return Lookup.objects.get(email="someone.else@example.org")


def _release(lookup, reviewer):
    abuse.lookup_hold_release(lookup_id=lookup.pk, actor=reviewer)


def _decline(lookup, reviewer):
    abuse.lookup_hold_decline(lookup_id=lookup.pk, actor=reviewer, reason="not answered")


# (function, how its lookup is set up, the move it makes)
STATUS_CHANGES = [
    (_check, lambda reviewer: received(), (S.RECEIVED, S.CHECKING)),
    (_check, lambda reviewer: received(), (S.CHECKING, S.NEEDS_REVIEW)),
    (_fail, lambda reviewer: received(), (S.RECEIVED, S.FAILED)),
    (_confirm, lambda reviewer: flagged(), (S.NEEDS_REVIEW, S.MATCHED)),
    (_reopen, more_info, (S.MORE_INFO, S.NEEDS_REVIEW)),
    (_retry, lambda reviewer: failed(), (S.FAILED, S.RECEIVED)),
    (_ask_from_another_contact, lambda reviewer: received(), (S.RECEIVED, S.HELD)),
    (_release, held, (S.HELD, S.RECEIVED)),
    (_decline, held, (S.HELD, S.DECLINED)),
]


@pytest.mark.parametrize(
    ("change", "setup", "move"),
    STATUS_CHANGES,
    ids=[f"{change.__name__[1:]}:{a}->{b}" for change, _s, (a, b) in STATUS_CHANGES],
)
def test_each_status_change_is_refused_when_the_table_does_not_list_it(
    monkeypatch, jesus_cases, reviewer, change, setup, move
):
    # Take the one move out of the table: a function that asks the table must now refuse.
    lookup = setup(reviewer)
    current, new = move
    narrowed = lifecycle.ALLOWED_TRANSITIONS[current] - {new}
    monkeypatch.setitem(lifecycle.ALLOWED_TRANSITIONS, current, narrowed)
    audit_rows = AuditLog.objects.count()

    with pytest.raises(TransitionNotAllowed):
        change(lookup, reviewer)

    lookup.refresh_from_db()
    assert lookup.status != new
    if current != S.CHECKING:  # the check's first step (RECEIVED → CHECKING) has committed
        assert (lookup.status, AuditLog.objects.count()) == (current, audit_rows)


def _assigns_lookup_status(tree: ast.AST) -> list[int]:
    """Lines that set a lookup's status other than through lookup_status_move."""
    lines = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "status"
                and "lookup" in ast.unparse(target.value).lower()
            ):
                lines.append(node.lineno)
        # Lookup.objects....update(status=...) would skip the table (and the audit row).
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and "lookup" in ast.unparse(node.func.value).lower()
            and any(keyword.arg == "status" for keyword in node.keywords)
        ):
            lines.append(node.lineno)
    return lines


def test_no_application_code_sets_a_lookup_status_around_the_table():
    offenders = {}
    for app in ("audit", "cases", "config", "screener"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / "screener" / "lifecycle.py":
                continue
            lines = _assigns_lookup_status(ast.parse(path.read_text(), filename=str(path)))
            if lines:
                offenders[str(path.relative_to(ROOT))] = lines
    assert offenders == {}


def test_the_check_runs_with_the_lookup_in_checking(jesus_cases):
    lookup = received()

    services.lookup_check(lookup_id=lookup.pk)

    lookup.refresh_from_db()
    assert lookup.status == S.NEEDS_REVIEW
    trail = list(
        AuditLog.objects.filter(object_type="screener.lookup", object_id=str(lookup.pk))
        .order_by("pk")
        .values_list("action")
    )
    assert [action for (action,) in trail] == [
        Action.LOOKUP_SUBMITTED,
        Action.LOOKUP_CHECK_STARTED,
        Action.LOOKUP_CHECKED,
    ]
