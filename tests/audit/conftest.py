# The staff and case fixtures of the review tests: audit rows are written by those people.
from tests.screener.reviewing import jesus_cases, reviewer, superuser  # noqa: F401
