"""Code sections as the rules read them, and the two lists that stop relief.

A section is parsed with the importer's normal form (cases.normalize.charge_normalize_code), so
"h&s 11359 (B)", "11359(b) HS" and "HS11359(b)" are one section here and in the case database.
Three forms that normal form refuses are read here, because records of earlier convictions
carry them: a bare 11357-11360 ("11357(a)": those sections exist only in the Health and Safety
Code, so it is HS; any other bare number is refused, "187" could be in several codes), an
attempt ("PC 664/187(a)": Penal Code 664 applied to 187), and a lettered Penal Code section
("PC 288a", "653f(b)"; a letter after a cannabis section, "HS 11357B", stays an error, as in
the importer, since it is a subsection typed without its parentheses).

The super-strike list (Penal Code 667(e)(2)(C)(iv)) and the PC 290 list live in data files
beside this module, each naming its source. An entry is either `always` on the list or on it
only in some circumstances (`depends`: force, the victim's age, intent), which a code section
cannot show; a match on such an entry is an unknown, and unknowns go to hand review.
"""

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from cases.normalize import ChargeCodeError, charge_normalize_code, collapse_spaces

DATA_DIR = Path(__file__).resolve().parent / "data"
PROP64_SECTIONS = frozenset({"11357", "11358", "11359", "11360"})
_ATTEMPT = re.compile(r"\b664\s*/\s*(?=\d)")
_BARE_SECTION = re.compile(r"^\d{1,6}(?:\.\d{1,3})?\s*(?:\(|$)")
_LETTERED_SECTION = re.compile(r"(\d)([A-Za-z])(?=\s*\(|\s|$)")
_BARE_PROP64 = re.compile(r"^1135[7-9]\s*(?:\(|$)|^11360\s*(?:\(|$)")


class CodeSectionError(ValueError):
    """A code section that cannot be read; the message says why, in English, for a report."""


@dataclass(frozen=True, order=True)
class CodeSection:
    code: str  # "HS", "PC", ...
    section: str  # "11359", "667.5"
    subsections: tuple[str, ...] = ()  # ("b",), ("e", "2", "c", "iv")
    attempt: bool = False  # "664/187": an attempt to commit the offence

    @property
    def base(self) -> str:
        """The section without its subsections: "HS 11359"."""
        return f"{self.code} {self.section}"

    @property
    def is_prop64(self) -> bool:
        """One of the four sections Proposition 64 relief covers (HS 11357-11360)."""
        return self.code == "HS" and self.section in PROP64_SECTIONS

    def __str__(self) -> str:
        written = self.section + "".join(f"({part})" for part in self.subsections)
        return f"{self.code} {'664/' if self.attempt else ''}{written}"


def code_section_parse(value: str) -> CodeSection:
    """Read a code section whatever its spacing, case, code suffix or subsections."""
    text = collapse_spaces(value)
    # An attempt is written "664/187(a)": Penal Code 664 applied to the section after the slash.
    text, attempts = _ATTEMPT.subn("", text, count=1)
    try:
        normal = charge_normalize_code(text)
    except ChargeCodeError as exc:
        if _BARE_PROP64.match(text):
            normal = charge_normalize_code(f"HS {text}")
        elif attempts and _BARE_SECTION.match(text):
            normal = charge_normalize_code(f"PC {text}")
        elif (lettered := _LETTERED_SECTION.search(text)) is not None:
            # The case database's normal form has no lettered sections ("HS 11357B" there is a
            # typo for 11357(b)); the Penal Code has real ones: 288a, 653f, 266h.
            plain = code_section_parse(text[: lettered.start(2)] + text[lettered.end(2) :])
            if plain.is_prop64:
                raise CodeSectionError(str(exc)) from exc
            return replace(
                plain, section=plain.section + lettered[2].lower(), attempt=bool(attempts)
            )
        else:
            raise CodeSectionError(str(exc)) from exc
    code, _space, rest = normal.partition(" ")
    section, _paren, subs = rest.partition("(")
    parts = tuple(part for part in subs.replace(")", "(").split("(") if part)
    return CodeSection(code=code, section=section, subsections=parts, attempt=bool(attempts))


def code_section_covers(entry: CodeSection, conviction: CodeSection) -> bool | None:
    """Whether a list entry names the conviction's section: True, False, or None (cannot tell).

    "PC 288" covers "PC 288(a)(1)"; "PC 261(a)(2)" covers "PC 261(a)(2)" but a conviction
    written only as "PC 261" may or may not be under (a)(2), so it is None.
    """
    if entry.base != conviction.base:
        return False
    depth = min(len(entry.subsections), len(conviction.subsections))
    if entry.subsections[:depth] != conviction.subsections[:depth]:
        return False
    return True if len(conviction.subsections) >= len(entry.subsections) else None


@dataclass(frozen=True)
class ListEntry:
    section: CodeSection
    always: bool  # False: on the list only in some circumstances
    what: str
    attempts: bool = False  # an attempt to commit the offence is on the list too


@dataclass(frozen=True)
class OffenceList:
    name: str
    source: str
    entries: tuple[ListEntry, ...]

    def holds(self, code: CodeSection | None) -> bool | None:
        """Whether a conviction under `code` is on this list: True, False or None (maybe)."""
        if code is None:
            return None
        found: bool | None = False
        for entry in self.entries:
            covered = code_section_covers(entry.section, code)
            if covered is True and entry.always and (entry.attempts or not code.attempt):
                return True
            if covered is not False:
                found = None
        return found


@cache
def offence_list(name: str) -> OffenceList:
    """One of the lists in eligibility/data/: "super_strikes" or "pc290"."""
    with (DATA_DIR / f"{name}.toml").open("rb") as handle:
        data = tomllib.load(handle)
    entries = tuple(
        ListEntry(
            section=code_section_parse(row["section"]),
            always=row["when"] == "always",
            what=row["what"],
            attempts=row.get("attempts", False),
        )
        for row in data["entry"]
    )
    return OffenceList(name=name, source=data["source"], entries=entries)


def is_super_strike(code: CodeSection | None) -> bool | None:
    return offence_list("super_strikes").holds(code)


def is_pc290_registrable(code: CodeSection | None) -> bool | None:
    return offence_list("pc290").holds(code)
