"""Keyed hashes: what the service must recognise again without keeping it (search terms in audit
rows, opted-out addresses, the audit chain).

HMAC-SHA256 under PRIVACY_HASH_KEY, with the purpose mixed in so that one kind of hash cannot
stand in for another. Without the key a stored hash cannot be turned back into the value by
guessing, which a plain hash of a phone number or a name allows in seconds.
"""

import hashlib
import hmac

from django.conf import settings


def keyed_hash(purpose: str, value: str) -> str:
    """Hex HMAC-SHA256 of `value` for `purpose` (e.g. "search", "suppression:sms")."""
    key = settings.PRIVACY_HASH_KEY.encode()
    message = purpose.encode() + b"\x00" + value.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def search_term_hash(term: str) -> str:
    """The same search typed with other spacing or case gives the same hash."""
    return keyed_hash("search", " ".join(term.split()).casefold())


def case_ref(case_id: int) -> str:
    """Stands for a case in audit rows about a person's lookup: a row that named the case's id
    would tie the person to the case (and its name) after the lookup is erased, while the ref
    still confirms a given case when someone asks ("was case 123 the one confirmed?")."""
    return keyed_hash("case", str(case_id))[:16]


def case_refs(case_ids) -> list[str]:
    return sorted(case_ref(case_id) for case_id in case_ids)
