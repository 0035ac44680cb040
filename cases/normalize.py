"""Normal forms of text, case numbers and charge codes, shared by the importer, partner
screening and the matching engine.

Pure functions over strings: the importer stores these forms, and a lookup normalizes what a
person typed with the same functions, so both sides land on the same value.
"""

import re
import unicodedata
from functools import lru_cache


def collapse_spaces(value: str | None) -> str:
    """Words separated by single spaces, none at either end: "  Maria \t del  Carmen " →
    "Maria del Carmen". Extracts and partners' files pad and split values at random."""
    return " ".join(value.split()) if value else ""


def strip_accents(text: str | None) -> str:
    """The text in ASCII, accents dropped and other characters that have no ASCII form left
    out: "José Muñoz" → "Jose Munoz". The extracts record names without accents."""
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")


_CASE_NUMBER_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")


def case_normalize_number(value: str) -> str:
    """Upper case without spaces or dashes: "ka-057 009" → "KA057009".

    Court and DOJ extracts write the same number with and without separators; people type it
    either way too.
    """
    return _CASE_NUMBER_SEPARATORS.sub("", value or "").upper()


class ChargeCodeError(ValueError):
    """A charge code that cannot be read as "<code> <section>[(sub)...]"."""


# Statute abbreviations as they appear in DOJ and court extracts, mapped to the form we store.
_CODE_ALIASES = {
    "HS": "HS",
    "H&S": "HS",
    "HSC": "HS",
    "H&SC": "HS",
    "H/S": "HS",
    "PC": "PC",
    "VC": "VC",
    "BP": "BP",
    "B&P": "BP",
    "WI": "WI",
    "W&I": "WI",
}
_CODE = r"(?P<code>[A-Z][A-Z&/]{0,4})"
_SECTION = r"(?P<section>\d{1,6}(?:\.\d{1,3})?)"
_SUBSECTIONS = r"(?P<subs>(?:\s*\(\s*[A-Z0-9]{1,4}\s*\))*)"
_CODE_FIRST = re.compile(rf"^{_CODE}\s*{_SECTION}{_SUBSECTIONS}$")
_SECTION_FIRST = re.compile(rf"^{_SECTION}{_SUBSECTIONS}\s+{_CODE}$")
_SUBSECTION = re.compile(r"\(\s*([A-Z0-9]{1,4})\s*\)")


@lru_cache(maxsize=4096)
def charge_normalize_code(value: str) -> str:
    """Canonical form of a code section: "h&s 11357 (B)" and "11357(b) HS" → "HS 11357(b)".

    The statute abbreviation is upper case and the subsections lower case, as the statutes write
    them. Raises ChargeCodeError with a reason fit for an import report (a charge code is not
    personal data, so the reason may quote it).
    """
    text = collapse_spaces(value).upper().replace(".(", "(")
    if not text:
        raise ChargeCodeError("empty charge code")
    match = _CODE_FIRST.match(text) or _SECTION_FIRST.match(text)
    if match is None:
        if re.fullmatch(rf"{_SECTION}{_SUBSECTIONS}", text):
            raise ChargeCodeError(f"charge code {text!r} has no statute abbreviation (e.g. HS)")
        raise ChargeCodeError(f"charge code {text[:40]!r} is not like 'HS 11357(b)'")
    code = _CODE_ALIASES.get(match["code"])
    if code is None:
        raise ChargeCodeError(f"charge code {text!r} names an unknown statute {match['code']!r}")
    subsections = "".join(f"({s.lower()})" for s in _SUBSECTION.findall(match["subs"]))
    return f"{code} {match['section']}{subsections}"


# --- Names: characters a person's name may hold -------------------------------
# Checked where names come in (the public form, partner screening files, the importer's rows),
# each with its own wording. A name made only of emoji or punctuation normalizes to nothing and
# would match, and share a dedupe key with, every other such name; invisible characters (bidi
# overrides, zero-width joiners) make a name display as something it is not.


class NameProblem:
    NO_LETTER = "no_letter"
    CONTROL = "control"  # Unicode category Cc: tabs, NUL, escape, line breaks
    FORMAT = "format"  # Cf: direction overrides, zero-width characters, soft hyphens
    PRIVATE_USE = "private_use"  # Co, and unassigned or broken code points (Cn, Cs)
    FORMULA = "formula"  # starts with = + - @: a spreadsheet would run it as a formula


_FORMULA_STARTS = ("=", "+", "-", "@")
_CATEGORY_PROBLEMS = {
    "Cc": NameProblem.CONTROL,
    "Cf": NameProblem.FORMAT,
    "Co": NameProblem.PRIVATE_USE,
    "Cn": NameProblem.PRIVATE_USE,
    "Cs": NameProblem.PRIVATE_USE,
}


def name_problem(value: str) -> str | None:
    """The first NameProblem of a (non-empty) name as typed, or None when it may be a name."""
    for char in value:
        problem = _CATEGORY_PROBLEMS.get(unicodedata.category(char))
        if problem is not None:
            return problem
    if not any(char.isalpha() for char in value):
        return NameProblem.NO_LETTER
    if value.lstrip().startswith(_FORMULA_STARTS):
        return NameProblem.FORMULA
    return None


# Reasons for import reports and screening results: they name the field, never the value.
NAME_PROBLEM_REASONS = {
    NameProblem.NO_LETTER: "has no letters",
    NameProblem.CONTROL: "contains a control character",
    NameProblem.FORMAT: "contains an invisible formatting character (such as a direction override)",
    NameProblem.PRIVATE_USE: "contains a private-use or unassigned character",
    NameProblem.FORMULA: "starts like a spreadsheet formula (=, +, - or @)",
}


def name_problem_reason(label: str, value: str) -> str | None:
    """ "first name has no letters", or None when `value` may be a name."""
    problem = name_problem(value)
    return f"{label} {NAME_PROBLEM_REASONS[problem]}" if problem else None
