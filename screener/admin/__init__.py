"""Screener's admin, one module per screen: lookups, the review queue and screen, the follow-up
list, the notification outbox, outreach events, and the index box and dashboard (the audit log's
admin is audit/admin.py; the outreach pages are screener/outreach)."""

from screener.admin import dashboard, events, follow_up, lookups, outbox, review  # noqa: F401
