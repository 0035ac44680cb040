"""Admin registrations live in two modules: staff review and the notification outbox."""

from screener import admin_notifications, admin_review  # noqa: F401
