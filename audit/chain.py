"""The audit chain: each row carries the hash of the row before it and a hash of itself.

Pure functions over plain values. A row edited in place no longer matches its own hash; a row
taken out breaks the link of the row after it. The hash is keyed (PRIVACY_HASH_KEY), so someone
who can write to the database but does not hold the key cannot rebuild the chain after an edit.
"""

import ipaddress
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from audit.hashing import keyed_hash

# The fields a row's hash covers, in this order. The id is left out: it is given by the database
# on insert, after the hash is computed; the links between rows take its place.
CHAINED_FIELDS = (
    "prev_hash",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "summary",
    "detail",
    "ip_address",
)


def _ip(value: str | None) -> str:
    # The database may print an address differently from how it was given (IPv6 zeros).
    return ipaddress.ip_address(value).exploded if value else ""


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(values: Mapping[str, Any]) -> str:
    """The hash of one row from its CHAINED_FIELDS values (as stored, or about to be)."""
    canonical = [
        values["prev_hash"] or "",
        _moment(values["created_at"]),
        values["actor_id"],
        values["actor_label"] or "",
        values["action"] or "",
        values["object_type"] or "",
        values["object_id"] or "",
        values["summary"] or "",
        values["detail"] if values["detail"] is not None else {},
        _ip(values["ip_address"]),
    ]
    payload = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return keyed_hash("audit-chain", payload)


@dataclass(frozen=True)
class ChainBreak:
    row_id: int
    problem: str  # "changed" or "link"

    def __str__(self) -> str:
        if self.problem == "changed":
            return f"row {self.row_id} was changed after it was written"
        return f"the row before row {self.row_id} was removed or changed (its link does not match)"


def chain_verify(rows: Iterable[Mapping[str, Any]]) -> Iterator[ChainBreak]:
    """Every break in `rows` (dicts with "id", "entry_hash" and CHAINED_FIELDS, in id order)."""
    previous = ""
    for row in rows:
        if row["prev_hash"] != previous:
            yield ChainBreak(row["id"], "link")
        if entry_hash(row) != row["entry_hash"]:
            yield ChainBreak(row["id"], "changed")
        previous = row["entry_hash"]
