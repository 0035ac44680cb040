"""Staff review of lookups (queue, review screen, decisions, audit log)."""
