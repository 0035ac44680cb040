"""The dismissal-batch extract format: its columns, and one row read into a validated record.

Pure: plain data in, plain data out, no ORM. The importer (pipeline.py) feeds it rows and
writes the records it returns. Rejection reasons go into import reports and the console, so they
name the field and the problem but never repeat the person's data (names, dates, case number).
"""

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import BinaryIO

from cases.normalize import (
    ChargeCodeError,
    case_normalize_number,
    charge_normalize_code,
    collapse_spaces,
    name_problem_reason,
)
from cases.placeholders import is_placeholder_name

COLUMNS = (
    "case_number",
    "last_name",
    "first_name",
    "middle_name",
    "date_of_birth",
    "aliases",
    "charge_codes",
    "conviction_date",
    "court",
    "batch",
    "relief",
    "relief_date",
    "cii_number",
)
# `batch` is required too unless the import names a default batch; `court` falls back to
# DEFAULT_COURT because every batch so far comes from Los Angeles County.
REQUIRED_COLUMNS = ("case_number", "last_name", "first_name", "date_of_birth", "charge_codes")
DEFAULT_COURT = "Los Angeles Superior Court"
RELIEF_VALUES = ("dismissed_and_sealed", "reduced", "other")
LIST_SEPARATOR = ";"

# Field lengths of cases.models; checked here so that a long value rejects its row instead of
# failing the database write of a whole chunk.
MAX_LENGTHS = {
    "court": 120,
    "case_number": 40,
    "last_name": 120,
    "first_name": 120,
    "middle_name": 120,
    "cii_number": 20,
    "alias": 255,
}
# Before this no one in the batches was born or convicted (the oldest convictions are from 1961).
EARLIEST_DATE = date(1900, 1, 1)

_LENGTH_LABELS = (
    ("case_number", "case number"),
    ("court", "court"),
    ("last_name", "last name"),
    ("first_name", "first name"),
    ("middle_name", "middle name"),
    ("cii_number", "CII number"),
)
_NAME_LABELS = (
    ("last_name", "last name"),
    ("first_name", "first name"),
    ("middle_name", "middle name"),
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ALNUM = re.compile(r"^[A-Z0-9]+$")
_SEPARATORS = re.compile(r"[\s\-]+")


class HeaderError(ValueError):
    """The file as a whole cannot be imported (missing columns, bad column map)."""


class RowError(ValueError):
    """One row cannot be imported; str() is the reason, free of personal data."""


class ExtractReadError(ValueError):
    """The file cannot be read on from some line (a field over the CSV limit, broken quoting);
    str() says where and why, free of personal data."""


def csv_error_reason(error: csv.Error) -> str:
    # The csv module's messages name the problem, never the text: "field larger than field limit".
    if "field larger than field limit" in str(error):
        return f"a field is longer than {csv.field_size_limit():,} characters"
    return f"the file is not valid CSV ({str(error)[:80]})"


@dataclass(frozen=True, slots=True)
class AliasRecord:
    full_name: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class CaseRecord:
    """One valid extract row, in the form stored on Case and its related rows."""

    court: str
    case_number: str
    case_number_normalized: str
    last_name: str
    first_name: str
    middle_name: str
    date_of_birth: date
    cii_number: str
    conviction_date: date | None
    relief: str
    relief_date: date | None
    batch_slug: str
    aliases: tuple[AliasRecord, ...]
    charges: tuple[str, ...]
    # The name names no one (cases/placeholders.py); derived from the names, so not hashed.
    placeholder_name: bool = False

    @cached_property
    def content_hash(self) -> str:
        """Hash of every stored value: a re-import with the same hash has nothing to write."""
        aliases = self.aliases
        parts = [
            self.court,
            self.case_number,
            self.last_name,
            self.first_name,
            self.middle_name,
            self.date_of_birth.isoformat(),
            self.cii_number,
            self.conviction_date.isoformat() if self.conviction_date else "",
            self.relief,
            self.relief_date.isoformat() if self.relief_date else "",
            self.batch_slug,
            LIST_SEPARATOR.join(f"{a.full_name}|{a.first_name}|{a.last_name}" for a in aliases),
            LIST_SEPARATOR.join(self.charges),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Header:
    """Which source column feeds each documented column, and what was ignored."""

    sources: dict[str, str]  # documented column → header as written in the file
    warnings: tuple[str, ...]


def _header_key(name: str) -> str:
    return (name or "").strip().lower()


def header_resolve(
    columns: Sequence[str],
    *,
    column_map: Mapping[str, str] | None = None,
    default_batch: str | None = None,
) -> Header:
    """Match a file's header row to the documented columns.

    `column_map` renames source headers (source → documented column); headers match without
    regard to case or surrounding spaces. Raises HeaderError when a required column is missing.
    """
    renames: dict[str, str] = {}
    for source, target in (column_map or {}).items():
        target_key = _header_key(target)
        if target_key not in COLUMNS:
            raise HeaderError(
                f"--map target {target!r} is not a documented column ({', '.join(COLUMNS)})"
            )
        renames[_header_key(source)] = target_key

    sources: dict[str, str] = {}
    warnings: list[str] = []
    present = {_header_key(c) for c in columns}
    for source in (s for s in renames if s not in present):
        warnings.append(f"mapped column {source!r} is not in the file")
    ignored = []
    for column in columns:
        key = _header_key(column)
        target = renames.get(key, key)
        if target not in COLUMNS:
            ignored.append(column)
            continue
        if target in sources:
            raise HeaderError(f"columns {sources[target]!r} and {column!r} both provide {target!r}")
        sources[target] = column
    if ignored:
        warnings.append(f"ignored columns not in the documented set: {', '.join(ignored)}")

    required = list(REQUIRED_COLUMNS)
    if not default_batch:
        required.append("batch")
    missing = [c for c in required if c not in sources]
    if missing:
        hint = " (or give a default batch)" if missing == ["batch"] else ""
        raise HeaderError(f"missing required columns: {', '.join(missing)}{hint}")
    return Header(sources=sources, warnings=tuple(warnings))


def column_map_parse(pairs: Iterable[str]) -> dict[str, str]:
    """ "source=target" pairs (from --map or the admin form) → {source: target}."""
    column_map = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise HeaderError(f"a column map entry must be source=target, got {pair[:80]!r}")
        column_map[source.strip()] = target.strip()
    return column_map


def date_parse(value: str, *, label: str) -> date | None:
    """YYYY-MM-DD or MM/DD/YYYY; None when empty. Raises RowError naming only the field."""
    if not value:
        return None
    if match := _ISO_DATE.match(value):
        year, month, day = match.groups()
    elif match := _US_DATE.match(value):
        month, day, year = match.groups()
    else:
        raise RowError(f"{label} is not in the form YYYY-MM-DD or MM/DD/YYYY")
    try:
        parsed = date(int(year), int(month), int(day))
    except ValueError:
        raise RowError(f"{label} is not a real calendar date") from None
    if parsed < EARLIEST_DATE:
        raise RowError(f"{label} is before {EARLIEST_DATE.year}")
    return parsed


def relief_parse(value: str) -> str:
    key = _SEPARATORS.sub("_", value.lower().replace("&", " and ")).strip("_")
    if key not in RELIEF_VALUES:
        expected = ", ".join(RELIEF_VALUES)
        raise RowError(f"unknown relief {value[:40]!r} (expected one of {expected})")
    return key


def alias_parse(value: str) -> AliasRecord:
    """ "FIRST LAST" (the first word is the given name) or "LAST, FIRST"."""
    if "," in value:
        last, _, first = (part.strip() for part in value.partition(","))
        first = first.split()[0] if first else ""
        return AliasRecord(full_name=value, first_name=first, last_name=last)
    words = value.split()
    if len(words) == 1:
        # A lone word in an AKA field is most often a surname (a maiden or married name).
        return AliasRecord(full_name=value, first_name="", last_name=words[0])
    return AliasRecord(full_name=value, first_name=words[0], last_name=" ".join(words[1:]))


def _split_list(value: str) -> list[str]:
    seen: dict[str, None] = {}
    for item in value.split(LIST_SEPARATOR):
        cleaned = collapse_spaces(item)
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def row_parse(
    row: Mapping[str | None, str | None],
    *,
    header: Header,
    batches: Mapping[str, date | None],
    default_batch: str | None = None,
    today: date,
) -> CaseRecord:
    """Validate one extract row and return its record, or raise RowError with every reason.

    `batches` maps each known batch slug to its relief date (the fallback when the row has
    none).
    """
    if row.get(None):
        raise RowError("row has more fields than the header")
    raw = [row.get(source) for source in header.sources.values()]
    if None in raw:
        raise RowError("row has fewer fields than the header")
    reasons: list[str] = []
    values = _row_values(header, raw, reasons)
    reasons.extend(
        f"{label} is longer than {MAX_LENGTHS[column]} characters"
        for column, label in _LENGTH_LABELS
        if len(values[column]) > MAX_LENGTHS[column]
    )
    case_number = values["case_number"]
    normalized = case_normalize_number(case_number)
    if not case_number:
        reasons.append("case number is missing")
    elif not _ALNUM.match(normalized):
        reasons.append("case number has characters other than letters, digits, spaces, dashes")
    court = values["court"] or DEFAULT_COURT

    for column, label in _NAME_LABELS:
        value = values[column]
        if not value:
            if column != "middle_name":
                reasons.append(f"{label} is missing")
        elif reason := name_problem_reason(label, value):
            reasons.append(reason)

    dob, convicted, relieved = _row_dates(values, today, reasons)

    cii = case_normalize_number(values["cii_number"])
    if cii and not _ALNUM.match(cii):
        reasons.append("CII number has characters other than letters and digits")

    relief = _row_relief(values, reasons)
    batch_slug = _row_batch(values, batches, default_batch, reasons)
    charges = _row_charges(values, reasons)
    aliases = _row_aliases(values, reasons)

    if reasons:
        raise RowError("; ".join(reasons))
    assert dob is not None
    return CaseRecord(
        court=court,
        case_number=case_number,
        case_number_normalized=normalized,
        last_name=values["last_name"],
        first_name=values["first_name"],
        middle_name=values["middle_name"],
        date_of_birth=dob,
        cii_number=cii,
        conviction_date=convicted,
        relief=relief,
        relief_date=relieved or batches[batch_slug],
        batch_slug=batch_slug,
        aliases=tuple(aliases),
        charges=tuple(charges),
        placeholder_name=is_placeholder_name(
            first_name=values["first_name"],
            middle_name=values["middle_name"],
            last_name=values["last_name"],
        ),
    )


# The parts of row_parse: each checks its columns and adds its reasons to `reasons`, in the
# order the rejection report lists them.


def _row_values(header: Header, raw: Sequence[str | None], reasons: list[str]) -> dict[str, str]:
    values = dict.fromkeys(COLUMNS, "")
    for column, value in zip(header.sources, raw, strict=True):
        if value:
            if "\x00" in value:
                # A damaged export; the database cannot store the character.
                reasons.append(f"{column.replace('_', ' ')} contains a NUL character")
                value = value.replace("\x00", "")
            values[column] = collapse_spaces(value)
    return values


def _row_dates(
    values: Mapping[str, str], today: date, reasons: list[str]
) -> tuple[date | None, date | None, date | None]:
    dates: dict[str, date | None] = {}
    for column, label in (
        ("date_of_birth", "date of birth"),
        ("conviction_date", "conviction date"),
        ("relief_date", "relief date"),
    ):
        try:
            dates[column] = date_parse(values[column], label=label)
        except RowError as error:
            reasons.append(str(error))
            dates[column] = None
    dob, convicted, relieved = (
        dates["date_of_birth"],
        dates["conviction_date"],
        dates["relief_date"],
    )
    if dob is None and not values["date_of_birth"]:
        reasons.append("date of birth is missing")
    if dob and dob > today:
        reasons.append("date of birth is in the future")
    if convicted and convicted > today:
        reasons.append("conviction date is in the future")
    if dob and convicted and dob >= convicted:
        reasons.append("date of birth is not before the conviction date")
    if convicted and relieved and relieved < convicted:
        reasons.append("relief date is before the conviction date")
    return dob, convicted, relieved


def _row_relief(values: Mapping[str, str], reasons: list[str]) -> str:
    relief_value = values["relief"]
    if not relief_value:
        reasons.append("relief is missing")
        return ""
    try:
        return relief_parse(relief_value)
    except RowError as error:
        reasons.append(str(error))
        return ""


def _row_batch(
    values: Mapping[str, str],
    batches: Mapping[str, date | None],
    default_batch: str | None,
    reasons: list[str],
) -> str:
    batch_value = values["batch"] or default_batch or ""
    if not batch_value:
        reasons.append("batch is missing (no batch column value and no default batch)")
        return ""
    batch_slug = _batch_lookup(batch_value, batches)
    if not batch_slug:
        reasons.append(f"unknown batch {batch_value[:64]!r}")
    return batch_slug


def _row_charges(values: Mapping[str, str], reasons: list[str]) -> list[str]:
    charges: list[str] = []
    for code in _split_list(values["charge_codes"]):
        try:
            normalized_code = charge_normalize_code(code)
        except ChargeCodeError as error:
            reasons.append(str(error))
            continue
        if normalized_code not in charges:
            charges.append(normalized_code)
    if not charges and not values["charge_codes"]:
        reasons.append("charge codes are missing")
    return charges


def _row_aliases(values: Mapping[str, str], reasons: list[str]) -> list[AliasRecord]:
    aliases = []
    for alias in _split_list(values["aliases"]):
        if len(alias) > MAX_LENGTHS["alias"]:
            reasons.append(f"an alias is longer than {MAX_LENGTHS['alias']} characters")
            continue
        if reason := name_problem_reason("an alias", alias):
            reasons.append(reason)
            continue
        parsed = alias_parse(alias)
        if max(len(parsed.first_name), len(parsed.last_name)) > MAX_LENGTHS["last_name"]:
            reasons.append(f"an alias name is longer than {MAX_LENGTHS['last_name']} characters")
            continue
        aliases.append(parsed)
    return aliases


def _batch_lookup(value: str, batches: Mapping[str, date | None]) -> str:
    if value in batches:
        return value
    folded = value.casefold()
    return next((slug for slug in batches if slug.casefold() == folded), "")


@dataclass
class ExtractFile:
    """A CSV extract opened for import: its checksum, header and numbered rows."""

    checksum: str
    encoding: str
    columns: list[str]
    rows: Iterator[tuple[int, dict[str | None, str | None]]]  # (line number, row)
    # Why the header row cannot be read; the import then fails with this reason.
    header_error: str = ""


def extract_open(binary: BinaryIO) -> ExtractFile:
    """Read a CSV extract from a seekable binary stream.

    A first pass computes the SHA-256 and checks the encoding: UTF-8 (with or without BOM), or
    Windows-1252 when the file is not valid UTF-8, as spreadsheet exports on Windows often are.
    The rows are then streamed, each with its line number.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    for block in iter(lambda: binary.read(1 << 20), b""):
        digest.update(block)
        if utf8:
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    binary.seek(0)
    encoding = "utf-8-sig" if utf8 else "cp1252"
    text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
    reader = csv.DictReader(text)
    try:
        columns = list(reader.fieldnames or [])
    except csv.Error as error:
        header_error = f"the header row cannot be read: {csv_error_reason(error)}"
        return ExtractFile(
            checksum=digest.hexdigest(),
            encoding=encoding,
            columns=[],
            rows=iter(()),
            header_error=header_error,
        )

    def numbered() -> Iterator[tuple[int, dict[str | None, str | None]]]:
        # line_num is the last physical line read: the row's own line unless a quoted value
        # spans several lines.
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                # DictReader.line_num is updated only after a good row; its reader's is current.
                line = reader.reader.line_num
                raise ExtractReadError(
                    f"line {line}: {csv_error_reason(error)}; the rows from there on were not "
                    "imported"
                ) from None
            yield reader.line_num, row

    return ExtractFile(
        checksum=digest.hexdigest(), encoding=encoding, columns=columns, rows=numbered()
    )
