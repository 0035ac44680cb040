"""Row locks that cannot deadlock with the audit chain's lock.

Every audited change takes the chain's lock (audit.services.CHAIN_LOCK_KEY) part-way through its
transaction, and many of them also lock a row. PostgreSQL's plain FOR UPDATE (what Django's
select_for_update() takes) conflicts with the FOR KEY SHARE lock that inserting a child row
(a notification, a code, a candidate) takes on its parent. So a worker holding a lookup FOR
UPDATE and waiting for the chain lock, and a web request holding the chain lock and inserting a
notification for that lookup, waited for each other: PostgreSQL broke the cycle by failing one of
them, and under launch-day load some submissions answered 503.

FOR NO KEY UPDATE is the lock for a change that keeps the row's key, which is every change the
application makes under a row lock: it still serialises changes to the row, but lets child rows
be inserted beside it. SQLite has no row locks; Django leaves the clause out there.
"""

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.db.models.manager import BaseManager

M = TypeVar("M", bound=Model)


def for_change(queryset: QuerySet[M] | BaseManager[M]) -> QuerySet[M]:
    """`queryset`, its rows locked until the transaction ends, for a change that keeps their key."""
    return queryset.select_for_update(no_key=True)
