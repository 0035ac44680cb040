"""The matching service: the only part of the matching package that reads the database.

A lookup reads three indexed slices of the case table and never scans it:
- the cases with the typed date of birth (Case.date_of_birth index);
- the cases whose blocking keys are among the query's and whose date of birth is one slip away
  from the typed one (CaseSearchKey (key, date_of_birth) index), for typos in the date;
- the case with the typed case number (Case.case_number_normalized index).
The three are one UNION, written in SQL (building ORM queries cost more than running them), so
candidates load in one round trip (aliases in a second); partner screening (`match_people`)
loads a batch of queries' candidates in the same two. Placeholder names are never loaded. How
common each typed name is comes from the same key index and is cached for an hour. When a case
the lookup keeps records a CII number, the person's other cases under that number are loaded
too (Case.cii_number partial index), whatever their names and dates, once for a batch.

The review screen reads through here too: `score_cases` scores a lookup's candidates as the
lookup did, and `same_person_cases` finds a case's other cases by the engine's own rule.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from cases.models import Case, CaseAlias, CaseSearchKey, ImportRun

from .compare import Level, compare_surname
from .dates import dob_variants
from .decide import decide, expected_namesakes
from .keys import query_search_keys
from .normalize import given_names, normalize_name, surname
from .readings import PreparedQuery, prepare_query
from .rules import SLIP_MATCH_MAX_NAMESAKES, slip_may_match, slip_namesakes_allowed
from .same_person import same_person
from .types import CandidateRecord, CandidateResult, MatchResult, Outcome, PersonQuery
from .weights import (
    Frequencies,
    Scored,
    given_key,
    score_candidate,
    size_adjustment,
    surname_key,
)

FREQUENCY_CACHE_SECONDS = 3600
# Queries whose candidates load in one round trip (match_people). Each adds about 70 parameters.
BATCH_SIZE = 32
# Longest IN list sent at once (older SQLite builds allow 999 parameters in a statement).
_IN_LIST = 900
_CASE = Case._meta.db_table
_KEY = CaseSearchKey._meta.db_table
_ALIAS = CaseAlias._meta.db_table
_CASE_FIELDS = (
    "id",
    "case_number",
    "case_number_normalized",
    "date_of_birth",
    "first_name",
    "middle_name",
    "last_name",
    "cii_number",
)


def match_person(
    query: PersonQuery,
    *,
    match_threshold: float | None = None,
    possible_threshold: float | None = None,
) -> MatchResult:
    """Find the cases in the batches that are this person's; see weights.py for the score,
    rules.py and decide.py for the outcome."""
    return match_people(
        [query], match_threshold=match_threshold, possible_threshold=possible_threshold
    )[0]


def match_people(
    queries: Sequence[PersonQuery],
    *,
    match_threshold: float | None = None,
    possible_threshold: float | None = None,
) -> list[MatchResult]:
    """`match_person` for many people at once (partner screening), with the same outcomes.

    The queries go in batches of BATCH_SIZE: one round trip loads every batch's candidates, one
    more their aliases; the name frequencies are read once for the batch (and cached), and the
    cases that share a CII number with a kept case are loaded for the whole batch together.
    """
    if match_threshold is None:
        match_threshold = settings.MATCH_THRESHOLD
    if possible_threshold is None:
        possible_threshold = settings.POSSIBLE_THRESHOLD
    version = _data_version()
    total = _total_cases(version)
    # More cases, more namesakes: the same evidence is worth less (see size_adjustment).
    extra = size_adjustment(total)
    thresholds = (match_threshold + extra, possible_threshold + extra)
    results: list[MatchResult] = []
    for start in range(0, len(queries), BATCH_SIZE):
        batch = queries[start : start + BATCH_SIZE]
        prepared = [prepare_query(q) for q in batch]
        loaded = _load_candidates(batch, prepared)
        counts = _key_counts(
            set().union(*(_frequency_keys(p, loaded[i]) for i, p in enumerate(prepared))),
            version,
        )
        lookups = [_Lookup(p, loaded[i], counts, total, thresholds) for i, p in enumerate(prepared)]
        # The person's other cases under the same CII number, recorded with names or a date of
        # birth the lookup could not reach, are theirs too: `decide` ties them to the case that
        # found them. One query for the batch.
        wanted = {n for lookup in lookups for n in lookup.cii_numbers()}
        by_cii: dict[str, list[CandidateRecord]] = defaultdict(list)
        for record in _load_by_cii(sorted(wanted)):
            by_cii[record.cii_number].append(record)
        results += [lookup.result(by_cii) for lookup in lookups]
    return results


class _Lookup:
    """One query's candidates scored and decided (then again with cases a CII number adds)."""

    def __init__(self, prepared: PreparedQuery, records, counts, total, thresholds):
        self.prepared = prepared
        self.records = records
        if not records:
            self.decisions: list = []
            self.outcome: Outcome = "no_match"
            return
        dob_count = sum(r.date_of_birth == prepared.date_of_birth for r in records)
        self.freqs = Frequencies(total_cases=total, key_counts=counts, dob_count=dob_count)
        match_threshold, possible_threshold = thresholds
        self.decide_with = {
            "match_threshold": match_threshold,
            "possible_threshold": possible_threshold,
            "namesakes": expected_namesakes(prepared, self.freqs),
        }
        scored = [score_candidate(prepared, record, self.freqs) for record in records]
        to_check = [
            s
            for s in scored
            if slip_may_match(s, match_threshold=match_threshold, total_cases=total)
        ]
        if to_check:
            held = names_held_elsewhere(to_check, counts)
            checked = {s.record.case_id for s in to_check}
            scored = [
                replace(s, name_held_elsewhere=s.record.case_id in held)
                if s.record.case_id in checked
                else s
                for s in scored
            ]
        self.scored = scored
        self.outcome, self.decisions = decide(scored, **self.decide_with)

    def cii_numbers(self) -> set[str]:
        return {d.scored.record.cii_number for d in self.decisions if d.scored.record.cii_number}

    def result(self, by_cii: Mapping[str, list[CandidateRecord]]) -> MatchResult:
        loaded = {r.case_id for r in self.records}
        more = [
            r
            for n in sorted(self.cii_numbers())
            for r in by_cii.get(n, ())
            if r.case_id not in loaded
        ]
        if more:
            self.scored += [score_candidate(self.prepared, r, self.freqs) for r in more]
            self.outcome, self.decisions = decide(self.scored, **self.decide_with)
        return MatchResult(
            outcome=self.outcome,
            candidates=tuple(
                CandidateResult(
                    case_id=d.scored.record.case_id,
                    score=round(d.scored.score, 2),
                    outcome=d.outcome,
                    explanation=d.explanation,
                    case_number=d.scored.record.case_number,
                )
                for d in self.decisions
            ),
        )


def score_cases(query: PersonQuery, case_ids: Sequence[int]) -> dict[int, Scored]:
    """These cases scored against what was typed, as `match_person` scores them: for the review
    screen, which shows the engine's verdict on each field (explain.py)."""
    prepared = prepare_query(query)
    records = _load(Case.objects.filter(id__in=sorted(case_ids)).values("id"))
    if not records:
        return {}
    dob = prepared.date_of_birth
    # As in a lookup, where every case with the typed date of birth is a candidate.
    dob_count = Case.objects.filter(date_of_birth=dob).count() if dob else 0
    freqs = _frequencies(prepared, records, dob_count)
    return {r.case_id: score_candidate(prepared, r, freqs) for r in records}


def same_person_cases(case_ids: Sequence[int]) -> dict[int, list[int]]:
    """For each of these cases, the other recorded cases that are the same person's by the rule
    the engine ties cases in with (`same_person`: the same CII number; where one of the two
    records none, the same date of birth with first name and surname agreeing). Cases among
    `case_ids` are not repeated; unknown ids are left out."""
    records = _load(Case.objects.filter(id__in=sorted(case_ids)).values("id"))
    if not records:
        return {}
    alike = Q(date_of_birth__in=sorted({r.date_of_birth for r in records}))
    numbers = sorted({r.cii_number for r in records if r.cii_number})
    if numbers:
        alike |= Q(cii_number__in=numbers)
    others = _load(
        Case.objects.filter(alike).exclude(id__in=[r.case_id for r in records]).values("id")
    )
    return {r.case_id: [o.case_id for o in others if same_person(r, o)] for r in records}


def _block_sql(index: int, query: PersonQuery, prepared: PreparedQuery) -> list[tuple[str, list]]:
    """The parts of one query's candidate blocks, as (SQL, parameters) selecting (q, id)."""
    adapt = connection.ops.adapt_datefield_value
    parts: list[tuple[str, list]] = []
    dob = prepared.date_of_birth
    if dob is not None:
        parts.append(
            # Table names come from the models; every value is a parameter.
            (f"SELECT %s AS q, id FROM {_CASE} WHERE date_of_birth = %s", [index, adapt(dob)])  # noqa: S608
        )
        keys = sorted(query_search_keys(query))
        if keys:
            dates = [adapt(d) for d in sorted(dob_variants(dob))]
            parts.append(
                (
                    f"SELECT %s AS q, case_id AS id FROM {_KEY} WHERE key IN ({_marks(keys)}) "  # noqa: S608
                    f"AND date_of_birth IN ({_marks(dates)})",
                    [index, *keys, *dates],
                )
            )
    if prepared.case_number:
        parts.append(
            (
                f"SELECT %s AS q, id FROM {_CASE} WHERE case_number_normalized = %s",  # noqa: S608
                [index, prepared.case_number],
            )
        )
    return parts


def _marks(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


def _among(column: str, values: Sequence, array_type: str) -> tuple[str, list]:
    """`column` is one of `values`, as SQL and its parameters: on PostgreSQL one array
    parameter, written out here (psycopg would parse a placeholder per value in an IN list, or
    quote each element of a list), elsewhere an IN list."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::{array_type}[])", [_array_literal(values)]
    return f"{column} IN ({_marks(values)})", list(values)


def _array_literal(values: Iterable[object]) -> str:
    """A PostgreSQL array's text form: each value quoted (None is NULL); dates as ISO dates."""
    quoted = (
        "NULL" if v is None else '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
        for v in values
    )
    return "{" + ",".join(quoted) + "}"


def _load_candidates(
    queries: Sequence[PersonQuery], prepared: Sequence[PreparedQuery]
) -> list[list[CandidateRecord]]:
    """Each query's candidates, for a batch of queries in one round trip (and one for aliases):
    the cases with the typed date of birth, those whose blocking keys are among the query's with
    a date of birth one slip from the typed one, and the case with the typed number."""
    found: list[list[CandidateRecord]] = [[] for _ in queries]
    if connection.vendor == "postgresql":
        rows = _candidate_rows_postgresql(queries, prepared)
    else:
        parts = [part for i, q in enumerate(queries) for part in _block_sql(i, q, prepared[i])]
        if not parts:
            return found
        union = " UNION ".join(sql for sql, _ in parts)
        columns = ", ".join(f"c.{name}" for name in _CASE_FIELDS)
        sql = (
            f"SELECT b.q, {columns} FROM ({union}) b JOIN {_CASE} c ON c.id = b.id "  # noqa: S608
            "WHERE NOT c.placeholder_name"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [p for _, params in parts for p in params])
            rows = cursor.fetchall()
    records = _records([row[1:] for row in rows])
    for (index, *_), record in zip(rows, records, strict=True):
        found[index].append(record)
    return found


# The same three blocks on PostgreSQL, for every query of a batch at once: one row per query
# (its index, date of birth, keys, the dates one slip away, case number) and the blocks joined
# laterally. The statement's text is the same for every batch, so neither psycopg (which would
# otherwise parse a statement of a few thousand placeholders) nor the server's planner (8 ms for
# the union of 96 selects) spends more on it than on running it. NULL selects nothing.
_CANDIDATES_POSTGRESQL = (
    f"SELECT t.q, {', '.join(f'c.{name}' for name in _CASE_FIELDS)} "  # noqa: S608
    "FROM unnest(%s::int[], %s::date[], %s::text[], %s::text[], %s::text[]) "
    "AS t(q, dob, keys, dates, number) CROSS JOIN LATERAL ("
    f"SELECT id FROM {_CASE} WHERE date_of_birth = t.dob "
    f"UNION SELECT case_id FROM {_KEY} WHERE key = ANY(t.keys::text[]) "
    "AND date_of_birth = ANY(t.dates::date[]) "
    f"UNION SELECT id FROM {_CASE} WHERE case_number_normalized = t.number) b "
    f"JOIN {_CASE} c ON c.id = b.id WHERE NOT c.placeholder_name"
)


def _candidate_rows_postgresql(
    queries: Sequence[PersonQuery], prepared: Sequence[PreparedQuery]
) -> list[tuple]:
    """Rows of (query index, *_CASE_FIELDS): `_block_sql`'s blocks, in one fixed statement."""
    dobs: list[date | None] = []
    keys: list[str] = []
    dates: list[str] = []
    numbers: list[str | None] = []
    for query, p in zip(queries, prepared, strict=True):
        dob = p.date_of_birth
        dobs.append(dob)
        keys.append(_array_literal(sorted(query_search_keys(query))) if dob else "{}")
        dates.append(_array_literal(sorted(dob_variants(dob))) if dob else "{}")
        numbers.append(p.case_number or None)
    columns = [range(len(queries)), dobs, keys, dates, numbers]
    with connection.cursor() as cursor:
        cursor.execute(_CANDIDATES_POSTGRESQL, [_array_literal(c) for c in columns])
        return cursor.fetchall()


def _load_by_cii(numbers: Sequence[str]) -> list[CandidateRecord]:
    """The cases that record any of these CII numbers (placeholders never)."""
    if not numbers:
        return []
    columns = ", ".join(_CASE_FIELDS)
    condition, params = _among("cii_number", numbers, "text")
    with connection.cursor() as cursor:
        cursor.execute(
            # Written as the partial index's condition, so that SQLite's planner uses it.
            f"SELECT {columns} FROM {_CASE} WHERE {condition} "  # noqa: S608
            "AND NOT (cii_number = '') AND NOT placeholder_name",
            params,
        )
        return _records(cursor.fetchall())


def _records(rows: Sequence[Sequence]) -> list[CandidateRecord]:
    """CandidateRecords from rows of _CASE_FIELDS, with their aliases (one query)."""
    ids = sorted({row[0] for row in rows})
    aliases: dict[int, list[tuple[str, str]]] = defaultdict(list)
    # PostgreSQL takes them all as one array; SQLite in lists of at most _IN_LIST.
    if connection.vendor == "postgresql":
        parts = [ids] if ids else []
    else:
        parts = [ids[start : start + _IN_LIST] for start in range(0, len(ids), _IN_LIST)]
    for part in parts:
        condition, params = _among("case_id", part, "bigint")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT case_id, full_name, first_name, last_name FROM "  # noqa: S608
                f"{_ALIAS} WHERE {condition} ORDER BY id",
                params,
            )
            for case_id, full_name, first, last in cursor.fetchall():
                aliases[case_id].append(_split_alias(full_name, first, last))
    return [
        CandidateRecord(
            case_id=row[0],
            case_number=row[1],
            case_number_normalized=row[2],
            date_of_birth=_as_date(row[3]),
            first_name=row[4],
            middle_name=row[5],
            last_name=row[6],
            aliases=tuple(aliases.get(row[0], ())),
            cii_number=row[7],
        )
        for row in rows
    ]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def names_held_elsewhere(
    candidates: list[Scored], key_counts: Mapping[str, int] | None = None
) -> set[int]:
    """The ids of the cases whose name is also recorded with more other dates of birth than the
    candidate's slip allows (rules.slip_namesakes_allowed): a name that common, a slip in the
    typed date of birth could be one of its other holders' (or of a namesake's not in the
    batches). The count is over the whole database; the person's own other cases (the same CII
    number) are not namesakes.

    The name is the first name and surname (by sound; the first part of a double surname; the
    first name also as a middle name); when the middle name typed is the one recorded, a case
    recorded with another middle name is someone else's. One query per case for at most
    (allowed + 1) dates, read from the rarer key (`key_counts`) and probing the
    other in the (case, key) index; only candidates with a rare name get here.
    """
    counts = key_counts or {}
    held: set[int] = set()
    for candidate in candidates:
        record = candidate.record
        given = given_names(record.first_name, record.middle_name)
        surnames = surname(record.last_name).parts
        if not given or not surnames:
            held.add(record.case_id)
            continue
        own_dates = sorted(dob_variants(record.date_of_birth))
        outer, inner = sorted(
            (given_key(given[0]), surname_key(surnames[0])), key=lambda k: counts.get(k, 0)
        )
        rows = (
            CaseSearchKey.objects.filter(key=outer)
            # A date one slip from the case's is more likely the same person's, recorded with
            # a typo, than a namesake's.
            .exclude(date_of_birth__in=[record.date_of_birth, *own_dates])
            .filter(Exists(_key_rows(inner)))
        )
        if candidate.middle_level == Level.EXACT and len(given) > 1:
            # Namesakes recorded with another middle name are other people; one recorded with
            # none, or the initial only, may still be this person's namesake.
            rows = rows.filter(
                Q(case__middle_name="")
                | Q(case__middle_name__iexact=given[1][0])
                | Exists(_key_rows(given_key(given[1])))
            )
        if record.cii_number:
            rows = rows.exclude(case__cii_number=record.cii_number)
        allowed = min(slip_namesakes_allowed(candidate.dob), SLIP_MATCH_MAX_NAMESAKES)
        other_dates = rows.values_list("date_of_birth", flat=True).distinct()
        if len(other_dates[: allowed + 1]) > allowed:
            held.add(record.case_id)
    return held


def _key_rows(key: str) -> QuerySet:
    return CaseSearchKey.objects.filter(case_id=OuterRef("case_id"), key=key)


def _split_alias(full_name: str, first_name: str, last_name: str) -> tuple[str, str]:
    if first_name or last_name:
        return first_name, last_name
    words = normalize_name(full_name)
    return " ".join(words[:-1]), " ".join(words[-1:])


def _load(case_ids: QuerySet) -> list[CandidateRecord]:
    # Placeholder names (EXPUNGED, DOE JOHN, a business) name no one: never a candidate.
    rows = list(Case.objects.filter(id__in=case_ids, placeholder_name=False).values(*_CASE_FIELDS))
    ids = [row["id"] for row in rows]
    aliases: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for case_id, full_name, first, last in CaseAlias.objects.filter(case_id__in=ids).values_list(
        "case_id", "full_name", "first_name", "last_name"
    ):
        aliases[case_id].append(_split_alias(full_name, first, last))
    return [
        CandidateRecord(
            case_id=row["id"],
            case_number=row["case_number"],
            case_number_normalized=row["case_number_normalized"],
            date_of_birth=row["date_of_birth"],
            first_name=row["first_name"],
            middle_name=row["middle_name"],
            last_name=row["last_name"],
            aliases=tuple(aliases.get(row["id"], ())),
            cii_number=row["cii_number"],
        )
        for row in rows
    ]


def _frequency_keys(prepared: PreparedQuery, records: Iterable[CandidateRecord]) -> set[str]:
    """Every key whose share the scorer may ask for: typed names and recorded first names."""
    keys: set[str] = set()
    for reading in prepared.readings:
        keys.update(surname_key(form) for form in reading.surname.forms)
        # The middle name too: a date-slip candidate's namesakes may be counted with it.
        keys.update(given_key(word) for word in reading.given[:2])
    for record in records:
        keys.update(given_key(word) for word in given_names(record.first_name)[:1])
        recorded_surnames = [surname(record.last_name)]
        for alias_first, alias_last in record.aliases:
            keys.update(given_key(word) for word in given_names(alias_first)[:1])
            recorded_surnames.append(surname(alias_last))
        # A surname typed with a slip is weighed by how common the recorded spelling is.
        for recorded in recorded_surnames:
            if any(
                compare_surname(reading.surname, recorded)[0] in (Level.PHONETIC, Level.TYPO)
                for reading in prepared.readings
            ):
                keys.add(surname_key(recorded.joined))
    return keys


def _data_version() -> str:
    """Changes when an import runs, so cached name frequencies follow the data."""
    latest = ImportRun.objects.aggregate(latest=Max("id"), finished=Max("finished_at"))
    finished = latest["finished"]
    return f"{latest['latest']}.{int(finished.timestamp()) if finished else 0}"


def _total_cases(version: str) -> int:
    total_key = f"matching:total:{version}"
    total = cache.get(total_key)
    if total is None:
        total = Case.objects.count()
        cache.set(total_key, total, FREQUENCY_CACHE_SECONDS)
    return total


# Every key's count, read at once for a long partner screening (`key_counts_preload`), by
# data version. Forked screening processes inherit it, so none counts a key again.
_ALL_COUNTS: dict[str, dict[str, int]] = {}


def key_counts_preload() -> None:
    """Count every search key in one pass (a long screening asks for most of the common ones)."""
    version = _data_version()
    if version in _ALL_COUNTS:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, COUNT(key) FROM {_KEY} GROUP BY key")  # noqa: S608
        counts = dict(cursor.fetchall())
    _ALL_COUNTS.clear()
    _ALL_COUNTS[version] = counts


def _key_counts(keys: set[str], version: str) -> dict[str, int]:
    """How many search-key rows carry each key: preloaded or cached, the rest counted in one
    query."""
    if version in _ALL_COUNTS:
        table = _ALL_COUNTS[version]
        return {key: table.get(key, 0) for key in keys}
    cache_keys = {f"matching:freq:{version}:{key}": key for key in keys}
    cached = cache.get_many(list(cache_keys))
    counts = {cache_keys[k]: v for k, v in cached.items()}
    missing = sorted(keys - counts.keys())
    for start in range(0, len(missing), _IN_LIST):
        part = missing[start : start + _IN_LIST]
        found = dict(
            CaseSearchKey.objects.filter(key__in=part)
            .values("key")
            # Counting the indexed column lets PostgreSQL answer from the (key, date) index.
            .annotate(n=Count("key"))
            .values_list("key", "n")
        )
        fresh = {key: found.get(key, 0) for key in part}
        counts.update(fresh)
        cache.set_many(
            {f"matching:freq:{version}:{k}": v for k, v in fresh.items()},
            FREQUENCY_CACHE_SECONDS,
        )
    return counts


def _frequencies(
    prepared: PreparedQuery, records: list[CandidateRecord], dob_count: int
) -> Frequencies:
    version = _data_version()
    counts = _key_counts(_frequency_keys(prepared, records), version)
    return Frequencies(total_cases=_total_cases(version), key_counts=counts, dob_count=dob_count)
