import csv
import io
import re
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from cases.demo import DemoPerson, demo_rows, demo_write_csv, generate_people
from cases.importer.extract import COLUMNS, header_resolve, row_parse
from cases.models import Case, ImportRun

CASE_NUMBER = re.compile(r"^([A-Z]{2}\d{6}|\d[A-Z]{2}\d{5}|\d{8})$")
RELIEF_DATES = {"DOJ-AB1793-2020": "2020-02-13", "LASC-REVIEW-2022": "2022-09-29"}


@pytest.fixture(scope="module")
def people() -> list[DemoPerson]:
    return list(generate_people(case_count=20_000, seed=7))


@pytest.fixture(scope="module")
def rows(people) -> list[dict[str, str]]:
    return list(demo_rows(people))


def adult_on(dob: date, day: date) -> bool:
    return (day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))) >= 18


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    first = list(demo_rows(generate_people(case_count=500, seed=3)))

    assert first == list(demo_rows(generate_people(case_count=500, seed=3)))
    assert first != list(demo_rows(generate_people(case_count=500, seed=4)))


def test_the_case_count_is_exact_and_people_have_about_1_25_cases_each(people, rows):
    assert len(rows) == 20_000
    assert 1.15 < len(rows) / len(people) < 1.35
    assert max(len(p.cases) for p in people) >= 4
    assert len({p.person_key for p in people}) == len(people)


def test_every_row_passes_the_importers_validation(rows):
    header = header_resolve(COLUMNS)
    batches = {slug: date.fromisoformat(d) for slug, d in RELIEF_DATES.items()}
    for row in rows:
        row_parse(row, header=header, batches=batches, today=date(2026, 1, 1))


def test_convictions_are_before_the_cutoff_and_at_18_or_older(people):
    for person in people:
        for case in person.cases:
            convicted = date.fromisoformat(case["conviction_date"])
            assert date(1961, 1, 1) <= convicted <= date(2016, 11, 8)
            assert adult_on(person.date_of_birth, convicted)


def test_case_numbers_are_unique_and_in_la_formats(rows):
    numbers = [row["case_number"] for row in rows]
    assert len(set(numbers)) == len(numbers)
    assert all(CASE_NUMBER.match(n) for n in numbers)
    kinds = Counter(
        "felony" if n[:2].isalpha() else "misdemeanor" if n[1:3].isalpha() else "old"
        for n in numbers
    )
    assert min(kinds.values()) > 1000


def test_both_batches_appear_with_their_relief_dates_and_charges_are_hs_11357_to_11360(rows):
    batches = Counter(row["batch"] for row in rows)
    assert 0.45 < batches["DOJ-AB1793-2020"] / len(rows) < 0.6
    for row in rows:
        assert row["relief_date"] == RELIEF_DATES[row["batch"]]
        assert row["relief"] in {"dismissed_and_sealed", "reduced", "other"}
        for code in row["charge_codes"].split(";"):
            assert re.fullmatch(r"HS 113(57|58|59|60)(\([a-d]\))?", code)


def test_very_common_names_are_shared_by_many_people(people):
    recorded_as = Counter(
        name for p in people for name in {(c["first_name"], c["last_name"]) for c in p.cases}
    )
    assert recorded_as["JOSE", "GARCIA"] >= 10
    assert recorded_as["MARIA", "HERNANDEZ"] >= 3
    latino = sum(p.group == "latino" for p in people) / len(people)
    assert 0.38 < latino < 0.52


def test_the_confusers_are_there(people):
    by_key = {p.person_key: p for p in people}
    kinds = Counter(p.confuser_kind for p in people if p.confuser_kind)
    assert set(kinds) == {"same_name_same_year", "twin", "sibling", "parent_child"}
    for person in people:
        other = by_key.get(person.confuser_of)
        if other is None:
            continue
        if person.confuser_kind == "same_name_same_year":
            assert (person.first_name, person.last_name) == (other.first_name, other.last_name)
            assert person.date_of_birth.year == other.date_of_birth.year
            assert person.date_of_birth != other.date_of_birth
        elif person.confuser_kind == "twin":
            assert person.last_name == other.last_name
            assert person.date_of_birth == other.date_of_birth
            assert person.first_name != other.first_name
        elif person.confuser_kind == "parent_child":
            assert person.first_name == other.first_name
            assert abs(person.date_of_birth.year - other.date_of_birth.year) >= 17


def test_records_vary_the_way_real_ones_do(people, rows):
    last_names = [row["last_name"] for row in rows]
    assert any("-" in n for n in last_names)  # hyphenated double surname
    assert any(n.startswith("DE LA ") for n in last_names)
    assert any(n.startswith("DELA") for n in last_names)  # particle joined
    assert any(set(n) & set("ÁÉÍÓÚÑ") for n in last_names)  # accents kept
    assert all(n == n.upper() for n in last_names)
    assert sum(bool(row["aliases"]) for row in rows) > len(rows) * 0.05
    assert sum(bool(row["middle_name"]) for row in rows) > len(rows) * 0.25
    assert any(len({c["last_name"] for c in p.cases}) > 1 for p in people)
    assert any(p.married_last_name for p in people)
    accented = [p for p in people if set(p.last_name) & set("áéíóúñ")]
    assert accented, "true identities keep the accents people write"


def test_the_csv_writer_writes_the_documented_header(rows):
    out = io.StringIO()

    written = demo_write_csv(rows[:10], out)

    out.seek(0)
    assert written == 10
    assert next(csv.reader(out)) == list(COLUMNS)


def test_generate_demo_cases_writes_a_file(tmp_path):
    path = tmp_path / "demo.csv"

    call_command("generate_demo_cases", "--count", "50", "--seed", "2", "--output", str(path))

    with path.open(newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert written == list(demo_rows(generate_people(case_count=50, seed=2)))


@pytest.mark.django_db
def test_load_demo_cases_imports_once_through_the_importer():
    call_command("load_demo_cases", "--count", "120", stdout=io.StringIO())
    assert Case.objects.count() == 120
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.file_name.startswith("demo-cases-120")

    out = io.StringIO()
    call_command("load_demo_cases", "--count", "120", stdout=out)

    assert "already loaded" in out.getvalue()
    assert ImportRun.objects.count() == 1
    assert Case.objects.count() == 120
