"""Screener's admin, one module per screen: lookups, the review queue and screen, the
notification outbox, and the index box and dashboard (the audit log's admin is audit/admin.py)."""

from screener.admin import dashboard, lookups, outbox, review  # noqa: F401
