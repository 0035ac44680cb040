"""Fixtures shared by the screener tests (the staff review ones live in reviewing.py)."""

from tests.screener.notifying import _clear_sms_outbox  # noqa: F401 (every test starts empty)
from tests.screener.reviewing import (  # noqa: F401
    data_admin,
    jesus_cases,
    outreach_worker,
    reviewer,
    second_reviewer,
    superuser,
)
