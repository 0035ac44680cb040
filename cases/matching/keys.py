"""Blocking keys: short codes that a recorded name and a typed name share when they may agree.

The importer stores one `CaseSearchKey(case, key, date_of_birth)` row per key of
`case_search_keys`, indexed on (key, date_of_birth). A lookup then reads only the rows whose key
is among `query_search_keys` and whose date of birth is near the one typed (see dates.py), so a
person with a typo in the date of birth is still found without scanning the table.

Keys:
- ``S:<code>`` sound-alike code of each significant surname word, of the surname written
  together without particles (GARCIALOPEZ) and with them (DELACRUZ);
- ``G:<code>`` sound-alike code of each given name (first and middle) and of each formal name it
  may be a nickname of (BILL → WILLIAM).
Aliases recorded on the case add their own keys. Codes are cut to 40 characters.
"""

from collections.abc import Iterable

from .names import name_roots
from .normalize import given_names, phonetic, surname
from .types import PersonQuery

KEY_MAX_LENGTH = 40
SURNAME_PREFIX = "S:"
GIVEN_PREFIX = "G:"


def _key(prefix: str, word: str) -> str | None:
    code = phonetic(word)
    return (prefix + code)[:KEY_MAX_LENGTH] if code else None


def surname_keys(text: str) -> set[str]:
    found = surname(text)
    keys = {_key(SURNAME_PREFIX, form) for form in found.forms}
    return {k for k in keys if k}


def given_keys(*texts: str) -> set[str]:
    keys: set[str | None] = set()
    for word in given_names(*texts):
        keys.update(_key(GIVEN_PREFIX, root) for root in name_roots(word))
    return {k for k in keys if k}


def case_search_keys(
    *,
    first_name: str,
    middle_name: str,
    last_name: str,
    aliases: Iterable[tuple[str, str]] = (),
) -> set[str]:
    """Keys for a recorded case; `aliases` are (first_name, last_name) pairs."""
    keys = surname_keys(last_name) | given_keys(first_name, middle_name)
    for alias_first, alias_last in aliases:
        keys |= surname_keys(alias_last) | given_keys(alias_first)
    return keys


def _split_other_name(text: str) -> tuple[str, str]:
    """ "FIRST [MIDDLE] LAST" as typed in other_names → (given part, last word)."""
    words = text.split()
    if len(words) < 2:
        return "", text
    return " ".join(words[:-1]), words[-1]


def query_search_keys(query: PersonQuery) -> set[str]:
    """Keys for what a person typed.

    A person may swap first and last name, or give a maiden name in other_names, so each typed
    name is keyed in both roles; the date-of-birth restriction keeps the extra keys cheap.
    """
    keys = surname_keys(query.last_name) | given_keys(query.first_name, query.middle_name)
    keys |= surname_keys(query.first_name) | given_keys(query.last_name)
    # A middle name typed in the middle-name box may be the first part of a double surname.
    keys |= surname_keys(query.middle_name)
    for other in query.other_names:
        given, last = _split_other_name(other)
        keys |= surname_keys(last) | surname_keys(other) | given_keys(given)
    return keys
