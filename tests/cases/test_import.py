import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.demo import demo_rows, demo_write_csv, generate_people
from cases.importer.extract import COLUMNS
from cases.importer.pipeline import cases_import, cases_import_file
from cases.matching.keys import case_search_keys
from cases.models import Case, CaseAlias, CaseCharge, CaseSearchKey, ImportRun

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "cases_extract_example.csv"

GOOD = {
    "case_number": "KA057009",
    "last_name": "GARCIA LOPEZ",
    "first_name": "JOSE",
    "middle_name": "LUIS",
    "date_of_birth": "1970-03-27",
    "aliases": "PEPE GARCIA;JOSE LOPEZ",
    "charge_codes": "HS 11359;HS 11360(a)",
    "conviction_date": "1995-06-01",
    "court": "Los Angeles Superior Court",
    "batch": "DOJ-AB1793-2020",
    "relief": "dismissed_and_sealed",
    "relief_date": "2020-02-13",
    "cii_number": "A12345678",
}
OTHER = {
    **GOOD,
    "case_number": "6CJ00651",
    "last_name": "DE LA CRUZ",
    "first_name": "MARIA",
    "middle_name": "",
    "date_of_birth": "1981-12-02",
    "aliases": "",
    "charge_codes": "HS 11357(b)",
    "conviction_date": "2004-02-10",
    "batch": "LASC-REVIEW-2022",
    "relief_date": "2022-09-29",
    "cii_number": "",
}


def write_csv(path: Path, rows: list[dict], columns=COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_command(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_cases", *map(str, args), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def case_state(number: str) -> dict:
    case = Case.objects.get(case_number_normalized=number)
    return {
        "case": {k: v for k, v in vars(case).items() if not k.startswith("_")},
        "aliases": list(
            case.aliases.order_by("pk").values_list("full_name", "first_name", "last_name")
        ),
        "charges": list(case.charges.order_by("pk").values_list("code", flat=True)),
        "keys": sorted(case.search_keys.values_list("key", "date_of_birth")),
        "key_ids": sorted(case.search_keys.values_list("pk", flat=True)),
    }


def test_the_shared_sample_extract_imports_as_it_is(tmp_path):
    run = cases_import_file(path=SAMPLE)

    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_read, run.created_count, run.rejected_count) == (40, 40, 0)
    norton = Case.objects.get(case_number="46915130")
    assert norton.batch.slug == "DOJ-AB1793-2020"
    assert norton.relief == "dismissed_and_sealed"
    assert list(norton.aliases.values_list("first_name", "last_name")) == [("EVELIO", "NORTON")]
    assert Case.objects.filter(batch__slug="LASC-REVIEW-2022").count() == 23


def test_a_valid_row_is_stored_with_normalized_fields_aliases_charges_and_search_keys(tmp_path):
    row = {**GOOD, "case_number": "ka-057 009", "charge_codes": "h&s 11359; 11360(A) HS"}
    run = cases_import(rows=[row], file_name="one.csv")

    case = Case.objects.get()
    assert run.created_count == 1
    assert case.case_number == "ka-057 009"
    assert case.case_number_normalized == "KA057009"
    assert (case.last_name, case.first_name, case.middle_name) == ("GARCIA LOPEZ", "JOSE", "LUIS")
    assert case.date_of_birth == date(1970, 3, 27)
    assert case.conviction_date == date(1995, 6, 1)
    assert case.relief_date == date(2020, 2, 13)
    assert case.cii_number == "A12345678"
    assert case.import_run == run
    assert list(case.charges.values_list("code", flat=True)) == ["HS 11359", "HS 11360(a)"]
    assert list(case.aliases.values_list("full_name", "first_name", "last_name")) == [
        ("PEPE GARCIA", "PEPE", "GARCIA"),
        ("JOSE LOPEZ", "JOSE", "LOPEZ"),
    ]
    expected = case_search_keys(
        first_name="JOSE",
        middle_name="LUIS",
        last_name="GARCIA LOPEZ",
        aliases=[("PEPE", "GARCIA"), ("JOSE", "LOPEZ")],
    )
    assert set(case.search_keys.values_list("key", flat=True)) == expected
    assert set(case.search_keys.values_list("date_of_birth", flat=True)) == {case.date_of_birth}


def test_dates_in_us_form_and_a_last_comma_first_alias_are_read():
    row = {
        **GOOD,
        "date_of_birth": "3/27/1970",
        "conviction_date": "06/01/1995",
        "aliases": "LOPEZ, JOSE LUIS",
    }
    cases_import(rows=[row], file_name="us.csv")

    case = Case.objects.get()
    assert (case.date_of_birth, case.conviction_date) == (date(1970, 3, 27), date(1995, 6, 1))
    assert list(case.aliases.values_list("first_name", "last_name")) == [("JOSE", "LOPEZ")]


def test_backslashes_and_quotes_in_names_are_stored_as_written():
    # On PostgreSQL the importer writes COPY text itself, where a backslash starts an escape.
    row = {
        **GOOD,
        "last_name": "O'NEIL\\GARCIA",
        "first_name": "JOSE\\N",
        "aliases": 'PEPE "EL" GARCIA\\;J\\t LOPEZ',
    }
    run = cases_import(rows=[row], file_name="escapes.csv")

    assert run.created_count == 1
    case = Case.objects.get()
    assert (case.last_name, case.first_name) == ("O'NEIL\\GARCIA", "JOSE\\N")
    assert list(case.aliases.order_by("pk").values_list("full_name", flat=True)) == [
        'PEPE "EL" GARCIA\\',
        "J\\t LOPEZ",
    ]
    assert case.middle_name == "LUIS"
    assert case.conviction_date == date(1995, 6, 1)


def test_an_empty_relief_date_takes_the_batch_relief_date():
    cases_import(rows=[{**OTHER, "relief_date": ""}], file_name="r.csv")

    assert Case.objects.get().relief_date == date(2022, 9, 29)


REJECTIONS = [
    ({"case_number": ""}, "case number is missing"),
    ({"case_number": "KA05#7009"}, "case number has characters other than"),
    ({"last_name": ""}, "last name is missing"),
    ({"first_name": " "}, "first name is missing"),
    ({"first_name": "12"}, "first name has no letters"),
    ({"last_name": "X" * 121}, "last name is longer than 120 characters"),
    ({"date_of_birth": ""}, "date of birth is missing"),
    ({"date_of_birth": "1970-02-30"}, "date of birth is not a real calendar date"),
    ({"date_of_birth": "27.03.1970"}, "date of birth is not in the form YYYY-MM-DD or MM/DD/YYYY"),
    ({"conviction_date": "13/01/1995"}, "conviction date is not a real calendar date"),
    ({"date_of_birth": "2999-01-01"}, "date of birth is in the future"),
    ({"date_of_birth": "2005-01-01"}, "date of birth is not before the conviction date"),
    ({"relief_date": "1990-01-01"}, "relief date is before the conviction date"),
    ({"relief": "pardoned"}, "unknown relief 'pardoned'"),
    ({"relief": ""}, "relief is missing"),
    ({"batch": "DOJ-2031"}, "unknown batch 'DOJ-2031'"),
    ({"batch": ""}, "batch is missing"),
    ({"charge_codes": "HS 11357B"}, "charge code 'HS 11357B' is not like 'HS 11357(b)'"),
    ({"charge_codes": "11357(b)"}, "has no statute abbreviation"),
    ({"charge_codes": "ZZ 11357"}, "unknown statute 'ZZ'"),
    ({"charge_codes": ""}, "charge codes are missing"),
    ({"cii_number": "A1234/678"}, "CII number has characters other than letters and digits"),
    ({"aliases": "MARIA\x00 CRUZ"}, "aliases contains a NUL character"),
]


@pytest.mark.parametrize(("change", "reason"), REJECTIONS, ids=[r for _, r in REJECTIONS])
def test_a_bad_row_is_rejected_with_its_line_and_reason_and_nothing_of_it_is_written(
    tmp_path, change, reason
):
    bad = {**OTHER, **change}
    path = write_csv(tmp_path / "extract.csv", [GOOD, bad])

    with pytest.raises(CommandError) as raised:
        run_command(path)

    assert raised.value.returncode == 1
    run = ImportRun.objects.get()
    assert (run.created_count, run.rejected_count) == (1, 1)
    assert run.status == ImportRun.Status.COMPLETED_WITH_REJECTIONS
    [rejected] = run.rejected_rows
    assert rejected["line"] == 3
    assert reason in rejected["reason"]
    # The reason must not repeat the person's data.
    for value in (OTHER["last_name"], OTHER["first_name"], OTHER["date_of_birth"], "6CJ00651"):
        assert value not in rejected["reason"]
    assert list(Case.objects.values_list("case_number", flat=True)) == ["KA057009"]
    assert CaseAlias.objects.exclude(case__case_number="KA057009").count() == 0
    assert CaseCharge.objects.exclude(case__case_number="KA057009").count() == 0
    assert CaseSearchKey.objects.exclude(case__case_number="KA057009").count() == 0


def test_a_row_with_several_problems_lists_them_all():
    run = cases_import(
        rows=[{**GOOD, "case_number": "", "relief": "nope", "charge_codes": "?"}],
        file_name="x.csv",
    )

    reason = run.rejected_rows[0]["reason"]
    assert "case number is missing" in reason
    assert "unknown relief" in reason
    assert "charge code '?'" in reason


def test_a_case_number_repeated_in_the_file_rejects_the_later_row(tmp_path):
    duplicate = {**OTHER, "case_number": "KA-057009"}
    path = write_csv(tmp_path / "dup.csv", [GOOD, OTHER, duplicate])

    with pytest.raises(CommandError):
        run_command(path)

    run = ImportRun.objects.get()
    assert run.rejected_rows == [{"line": 4, "reason": "case number repeats line 2 of this file"}]
    assert Case.objects.get(case_number_normalized="KA057009").first_name == "JOSE"


def test_rows_with_too_many_or_too_few_fields_are_rejected(tmp_path):
    path = tmp_path / "ragged.csv"
    header = ",".join(COLUMNS)
    good = ",".join(GOOD[c] for c in COLUMNS)
    path.write_text(f"{header}\n{good}\n{good.replace('KA057009', 'KA1')},extra\nBA1,ONLY\n")

    run = cases_import_file(path=path)

    assert run.rejected_rows == [
        {"line": 3, "reason": "row has more fields than the header"},
        {"line": 4, "reason": "row has fewer fields than the header"},
    ]


def test_the_command_prints_a_summary_and_exits_zero_when_every_row_is_imported(tmp_path):
    path = write_csv(tmp_path / "ok.csv", [GOOD, OTHER])

    out, _ = run_command(path)

    assert "rows read 2, created 2, updated 0, unchanged 0, rejected 0" in out


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "same.csv", [GOOD, OTHER])
    run_command(path)
    before = [case_state("KA057009"), case_state("6CJ00651")]

    out, _ = run_command(path)

    assert "created 0, updated 0, unchanged 2, rejected 0" in out
    assert [case_state("KA057009"), case_state("6CJ00651")] == before
    second = ImportRun.objects.order_by("pk").last()
    assert Case.objects.filter(import_run=second).count() == 0


def test_a_corrected_file_updates_the_changed_case_with_its_aliases_charges_and_keys(tmp_path):
    run_command(write_csv(tmp_path / "v1.csv", [GOOD, OTHER]))
    untouched = case_state("6CJ00651")
    corrected = {
        **GOOD,
        "case_number": "KA-057009",
        "last_name": "GARCIA",
        "date_of_birth": "1970-03-28",
        "aliases": "CHUY GARCIA",
        "charge_codes": "HS 11359",
    }

    out, _ = run_command(write_csv(tmp_path / "v2.csv", [corrected, OTHER]))

    assert "created 0, updated 1, unchanged 1, rejected 0" in out
    case = Case.objects.get(case_number_normalized="KA057009")
    assert case.case_number == "KA-057009"
    assert (case.last_name, case.date_of_birth) == ("GARCIA", date(1970, 3, 28))
    assert case.import_run == ImportRun.objects.order_by("pk").last()
    assert list(case.aliases.values_list("full_name", flat=True)) == ["CHUY GARCIA"]
    assert list(case.charges.values_list("code", flat=True)) == ["HS 11359"]
    expected = case_search_keys(
        first_name="JOSE", middle_name="LUIS", last_name="GARCIA", aliases=[("CHUY", "GARCIA")]
    )
    assert set(case.search_keys.values_list("key", flat=True)) == expected
    assert set(case.search_keys.values_list("date_of_birth", flat=True)) == {date(1970, 3, 28)}
    assert case_state("6CJ00651") == untouched
    assert Case.objects.count() == 2


def test_a_correction_that_leaves_names_alone_keeps_the_search_keys(tmp_path):
    run_command(write_csv(tmp_path / "v1.csv", [GOOD]))
    keys_before = case_state("KA057009")["key_ids"]

    run_command(write_csv(tmp_path / "v2.csv", [{**GOOD, "relief": "reduced"}]))

    case = Case.objects.get()
    assert case.relief == "reduced"
    assert case_state("KA057009")["key_ids"] == keys_before


def test_map_renames_source_columns(tmp_path):
    renamed = {"Case No": "case_number", "DOB": "date_of_birth", "Surname": "last_name"}
    columns = [next((k for k, v in renamed.items() if v == c), c) for c in COLUMNS]
    row = {next((k for k, v in renamed.items() if v == c), c): value for c, value in GOOD.items()}
    path = write_csv(tmp_path / "renamed.csv", [row], columns=columns)

    run_command(path, "--map", "Case No=case_number", "--map", "DOB=date_of_birth",
                "--map", "surname=last_name")  # fmt: skip

    case = Case.objects.get()
    assert (case.case_number, case.last_name) == ("KA057009", "GARCIA LOPEZ")
    assert case.date_of_birth == date(1970, 3, 27)


def test_a_map_to_an_undocumented_column_stops_the_import(tmp_path):
    path = write_csv(tmp_path / "x.csv", [GOOD])

    with pytest.raises(CommandError, match="not a documented column"):
        run_command(path, "--map", "case_number=docket")

    assert not Case.objects.exists()


def test_a_file_missing_a_required_column_fails_without_importing(tmp_path):
    path = write_csv(tmp_path / "x.csv", [GOOD], columns=[c for c in COLUMNS if c != "last_name"])

    with pytest.raises(CommandError, match="missing required columns: last_name"):
        run_command(path)

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert not Case.objects.exists()


def test_extra_columns_are_ignored_with_a_warning(tmp_path):
    path = write_csv(tmp_path / "x.csv", [{**GOOD, "notes": "x"}], columns=[*COLUMNS, "notes"])

    _, err = run_command(path)

    assert "ignored columns not in the documented set: notes" in err
    assert ImportRun.objects.get().warnings == ["ignored columns not in the documented set: notes"]
    assert Case.objects.count() == 1


def test_the_batch_can_come_from_the_batch_option(tmp_path):
    columns = [c for c in COLUMNS if c != "batch"]
    path = write_csv(tmp_path / "x.csv", [GOOD, {**OTHER, "relief_date": ""}], columns=columns)

    run_command(path, "--batch", "LASC-REVIEW-2022")

    assert set(Case.objects.values_list("batch__slug", flat=True)) == {"LASC-REVIEW-2022"}
    assert ImportRun.objects.get().default_batch.slug == "LASC-REVIEW-2022"


def test_an_unknown_batch_option_stops_the_import(tmp_path):
    with pytest.raises(CommandError, match="unknown default batch 'NOPE'"):
        run_command(write_csv(tmp_path / "x.csv", [GOOD]), "--batch", "NOPE")

    assert not Case.objects.exists()


def test_a_dry_run_writes_no_case_but_reports_what_it_would_do(tmp_path):
    run_command(write_csv(tmp_path / "v1.csv", [GOOD]))
    before = case_state("KA057009")
    path = write_csv(tmp_path / "v2.csv", [{**GOOD, "relief": "reduced"}, OTHER])

    out, _ = run_command(path, "--dry-run")

    assert "dry run, nothing written" in out
    assert "rows read 2, created 1, updated 1, unchanged 0, rejected 0" in out
    assert case_state("KA057009") == before
    assert Case.objects.count() == 1
    assert CaseAlias.objects.count() == 2
    run = ImportRun.objects.order_by("pk").last()
    assert run.dry_run is True
    assert run.status == ImportRun.Status.SUCCEEDED


def test_every_run_is_recorded_with_file_checksum_counts_and_rejections(
    tmp_path, django_user_model
):
    staff = django_user_model.objects.create_user("clerk", is_staff=True)
    path = write_csv(tmp_path / "record.csv", [GOOD, {**OTHER, "relief": "?"}])

    with pytest.raises(CommandError):
        run_command(path, "--user", "clerk")

    run = ImportRun.objects.get()
    assert run.started_by == staff
    assert run.file_name == "record.csv"
    assert run.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert run.source == ImportRun.Source.COMMAND
    assert run.started_at <= run.finished_at
    assert (run.rows_read, run.rows_processed) == (2, 2)
    assert (run.created_count, run.updated_count, run.unchanged_count) == (1, 0, 0)
    assert run.rejected_count == 1
    assert run.rejected_rows[0]["line"] == 3


def test_a_windows_1252_file_is_read_with_its_accents(tmp_path):
    path = tmp_path / "latin.csv"
    header = ",".join(COLUMNS)
    row = ",".join({**GOOD, "last_name": "MUÑOZ"}[c] for c in COLUMNS)
    path.write_bytes(f"{header}\n{row}\n".encode("cp1252"))

    run = cases_import_file(path=path)

    assert run.created_count == 1
    assert Case.objects.get().last_name == "MUÑOZ"


def test_rows_are_written_chunk_by_chunk_with_progress(tmp_path):
    rows = list(demo_rows(generate_people(case_count=250, seed=5)))
    seen = []

    run = cases_import(rows=rows, file_name="chunks.csv", chunk_size=100, progress=seen.append)

    assert seen == [100, 200, 250]
    assert run.created_count == 250
    assert Case.objects.count() == 250


def test_a_generated_file_of_1000_rows_round_trips(tmp_path):
    path = tmp_path / "demo.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        demo_write_csv(demo_rows(generate_people(case_count=1000, seed=11)), handle)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    out, _ = run_command(path)

    assert "rows read 1000, created 1000, updated 0, unchanged 0, rejected 0" in out
    stored = {c.case_number: c for c in Case.objects.prefetch_related("aliases", "charges")}
    for row in rows:
        case = stored[row["case_number"]]
        assert (case.last_name, case.first_name, case.middle_name) == (
            row["last_name"],
            row["first_name"],
            row["middle_name"],
        )
        assert case.date_of_birth.isoformat() == row["date_of_birth"]
        assert case.batch.slug == row["batch"]
        assert ";".join(a.full_name for a in case.aliases.all()) == row["aliases"]
        assert ";".join(c.code for c in case.charges.all()) == row["charge_codes"]
    assert CaseSearchKey.objects.values("case").distinct().count() == 1000

    out, _ = run_command(path)

    assert "rows read 1000, created 0, updated 0, unchanged 1000, rejected 0" in out


@pytest.mark.django_db(transaction=True)
def test_an_import_outside_a_transaction_commits_chunk_by_chunk_with_its_progress():
    # Outside a caller's transaction PostgreSQL writes on a second connection (a thread).
    rows = list(demo_rows(generate_people(case_count=250, seed=6)))

    run = cases_import(rows=rows, file_name="committed.csv", chunk_size=100)

    run.refresh_from_db()
    assert (run.status, run.rows_processed, run.created_count) == ("succeeded", 250, 250)
    assert Case.objects.filter(import_run=run).count() == 250
    assert CaseSearchKey.objects.values("case").distinct().count() == 250
    again = cases_import(rows=rows, file_name="committed.csv", chunk_size=100)
    assert again.unchanged_count == 250
