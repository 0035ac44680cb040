"""A lookup's life cycle: which status may follow which.

    RECEIVED ──► CHECKING ──► MATCHED | NEEDS_REVIEW | NOT_FOUND
        │            │
        └────────────┴──► FAILED ──► RECEIVED   (staff check it again)

    RECEIVED ──► HELD ──► RECEIVED | DECLINED   (same person asked about from another contact:
                                                 staff release it or decline to answer)

    NEEDS_REVIEW ──► MATCHED | NOT_FOUND | MORE_INFO   (a reviewer decides)
    MORE_INFO ──► NEEDS_REVIEW                         (reopened with the person's answer)

    RECEIVED | CHECKING | NEEDS_REVIEW ──► CLOSED      (left unanswered past
                                                        OPEN_LOOKUP_RETENTION_DAYS: erased)

Every function that changes a lookup's status (screener.services, screener.review) moves it with
`lookup_status_move`, which refuses a move this table does not list. RECEIVED → FAILED is the
check giving up before it could start (the database or broker failed on every try).
"""

from screener.models import Lookup

Status = Lookup.Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.CHECKING, Status.FAILED, Status.HELD, Status.CLOSED}),
    Status.CHECKING: frozenset(
        {Status.MATCHED, Status.NEEDS_REVIEW, Status.NOT_FOUND, Status.FAILED, Status.CLOSED}
    ),
    Status.NEEDS_REVIEW: frozenset(
        {Status.MATCHED, Status.NOT_FOUND, Status.MORE_INFO, Status.CLOSED}
    ),
    Status.MORE_INFO: frozenset({Status.NEEDS_REVIEW}),
    Status.FAILED: frozenset({Status.RECEIVED}),
    Status.HELD: frozenset({Status.RECEIVED, Status.DECLINED}),
    # A result, once reached, is not changed.
    Status.MATCHED: frozenset(),
    Status.NOT_FOUND: frozenset(),
    Status.CLOSED: frozenset(),
    Status.DECLINED: frozenset(),
}


class TransitionNotAllowed(ValueError):
    """A status change the life cycle does not allow: a bug in the caller, never user input."""


def transition_allowed(current: str, new: str) -> bool:
    return new in ALLOWED_TRANSITIONS.get(current, frozenset())


def lookup_status_move(lookup: Lookup, status: str) -> None:
    """Set `lookup.status` to `status` if the table allows it (the caller saves, and audits)."""
    if not transition_allowed(lookup.status, status):
        raise TransitionNotAllowed(
            f"lookup {lookup.pk}: {lookup.status} → {status} is not an allowed transition"
        )
    lookup.status = status
