"""Screener's admin, one module per screen: lookups, the review queue and screen, the follow-up
list, the notification outbox, and the index box and dashboard (the audit log's admin is
audit/admin.py)."""

from screener.admin import dashboard, follow_up, lookups, outbox, review  # noqa: F401
