"""The notification outbox in the admin."""
