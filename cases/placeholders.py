"""Placeholder names: rows of a court extract that name no one (EXPUNGED, DOE JOHN, NOT ON FILE,
a business).

Court data carries them where a name was removed, never recorded or belongs to a company. Such a
row's date of birth is often still real, so a person born that day whose name happens to read
like the placeholder (a John Doe, or someone typing UNKNOWN) would be told about a case that is
not theirs. The importer flags these rows (`Case.placeholder_name`) and the matching engine never
loads them. Pure: no database.
"""

from cases.normalize import strip_accents

# Words that, making up the whole name, stand for no name at all.
_NO_NAME_WORDS = frozenset(
    {
        "EXPUNGED",
        "SEALED",
        "REDACTED",
        "CONFIDENTIAL",
        "UNKNOWN",
        "UNK",
        "NONE",
        "NA",
        "NOT",
        "ON",
        "FILE",
        "NAME",
        "NO",
        "GIVEN",
        "NFN",
        "NLN",
        "FNU",
        "LNU",
        "DEFENDANT",
        "TEST",
        "X",
        "XX",
        "XXX",
        "XXXX",
    }
)
# The stand-in names of the U.S. courts (John Doe, Jane Doe, Richard Roe).
_STAND_INS = frozenset({("JOHN", "DOE"), ("JANE", "DOE"), ("RICHARD", "ROE"), ("JANE", "ROE")})
# Words only a business or organisation's name carries.
_BUSINESS_WORDS = frozenset(
    {
        "INC",
        "INCORPORATED",
        "LLC",
        "LLP",
        "LTD",
        "CORP",
        "CORPORATION",
        "COLLECTIVE",
        "COOPERATIVE",
        "COOP",
        "DISPENSARY",
        "ENTERPRISES",
        "DBA",
    }
)
# ... and words a business name carries beside others (a one-word surname CENTER is a surname).
_BUSINESS_IN_LONG_NAMES = frozenset(
    {"CO", "COMPANY", "CENTER", "GROUP", "HOLDINGS", "ASSOCIATION", "FOUNDATION", "CLUB"}
)


def _words(text: str) -> list[str]:
    cleaned = "".join(c if c.isalnum() else " " for c in strip_accents(text).upper())
    return cleaned.split()


def is_placeholder_name(*, first_name: str, middle_name: str, last_name: str) -> bool:
    """Whether a recorded name names no one: every word a no-name word (EXPUNGED, NOT ON FILE),
    a court's stand-in name (DOE JOHN), or a business's name (VALLEY GREEN COLLECTIVE INC)."""
    first, middle, last = _words(first_name), _words(middle_name), _words(last_name)
    every = first + middle + last
    if not every or all(word in _NO_NAME_WORDS for word in every):
        return True
    if first[:1] and last and (first[0], " ".join(last)) in _STAND_INS:
        return True
    if any(word in _BUSINESS_WORDS for word in every):
        return True
    return len(last) >= 2 and any(word in _BUSINESS_IN_LONG_NAMES for word in last)
