"""Property-based tests of the importer's row parser, the name rules and the name normalizer:
any Unicode, huge values, odd dates and control characters give a record or a reason, never an
exception, and an import stores each row whole or rejects it."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.importer.extract import COLUMNS, CaseRecord, RowError, header_resolve, row_parse
from cases.importer.pipeline import cases_import
from cases.matching.normalize import normalize_name
from cases.models import Case, ImportRun
from cases.normalize import NAME_PROBLEM_REASONS, name_problem
from tests.cases.test_import import GOOD

ODD = [
    "",
    " ",
    "\x00",
    "\x1b",
    "\u202e",
    "\ue000",
    "²",
    "=1+1",
    "-",
    "@x",
    "31/31/1999",
    "1970-02-30",
]
texts = st.one_of(
    st.text(max_size=30),
    st.text(max_size=2000),
    st.sampled_from(ODD),
    st.sampled_from(["A" * 200_000, "ß" * 300]),
)
BATCHES = {"DOJ-AB1793-2020": date(2020, 2, 13), "LASC-REVIEW-2022": date(2022, 9, 29)}
HEADER = header_resolve(COLUMNS)


@st.composite
def rows(draw) -> dict:
    row = dict(GOOD)
    for column in COLUMNS:
        if draw(st.booleans()):
            row[column] = draw(texts)
    return row


@given(row=rows())
def test_a_row_gives_a_record_or_a_reason(row):
    try:
        record = row_parse(row, header=HEADER, batches=BATCHES, today=date(2026, 1, 1))
    except RowError as error:
        assert str(error)
    else:
        assert isinstance(record, CaseRecord)
        for name in (record.first_name, record.last_name):
            assert name_problem(name) is None
        assert len(record.first_name) <= 120 and record.charges


@pytest.mark.django_db
@given(batch=st.lists(rows(), min_size=1, max_size=4))
def test_an_import_stores_each_row_whole_or_rejects_it(batch):
    before = Case.objects.count()
    run = cases_import(rows=batch, file_name="property.csv")
    assert run.status in (ImportRun.Status.SUCCEEDED, ImportRun.Status.COMPLETED_WITH_REJECTIONS)
    assert run.rows_read == len(batch)
    stored = Case.objects.filter(import_run=run)
    assert Case.objects.count() - before == run.created_count
    for case in stored.prefetch_related("charges"):
        assert case.charges.exists() and case.first_name and case.date_of_birth


@given(value=st.text(max_size=500))
def test_the_name_rules_give_a_known_answer_for_any_text(value):
    problem = name_problem(value)
    assert problem is None or problem in NAME_PROBLEM_REASONS
    if problem is None:
        assert any(char.isalpha() for char in value)


@given(value=st.one_of(st.text(max_size=300), st.sampled_from(ODD)))
def test_the_name_normalizer_takes_any_text(value):
    words = normalize_name(value)
    for word in words:
        assert word.isascii() and word == word.upper() and " " not in word
