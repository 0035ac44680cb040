"""manage.py eligibility_check FILE.json: the contract partners rely on."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def person_record(**changes) -> dict:
    data = {
        "as_of": "2025-06-01",
        "person": {"date_of_birth": "1980-03-02", "deceased": False},
        "convictions": [
            {
                "id": "sale-2010",
                "code_section": "11359(b) HS",
                "county": "LOS ANGELES",
                "felony": True,
                "convicted": True,
                "disposition_date": "2010-05-01",
                "sentence_end_date": "2012-01-01",
                "pc290_registration": False,
            },
            {
                "id": "possession-2011",
                "code_section": "h&s 11357 (A)",
                "county": "Los Angeles",
                "felony": True,
                "convicted": True,
                "disposition_date": "2011-05-01",
                "sentence_end_date": None,
                "pc290_registration": False,
            },
            {
                "id": "orange-2009",
                "code_section": "HS 11360(a)",
                "county": "ORANGE",
                "felony": True,
                "convicted": True,
                "disposition_date": "2009-05-01",
                "sentence_end_date": "2010-01-01",
                "pc290_registration": False,
            },
            {
                "id": "dismissed-at-trial",
                "code_section": "HS 11359",
                "county": "LOS ANGELES",
                "felony": True,
                "convicted": False,
                "disposition_date": "2008-05-01",
                "sentence_end_date": None,
                "pc290_registration": False,
            },
        ],
    }
    data.update(changes)
    return data


def run(tmp_path, data) -> dict:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    output = __import__("io").StringIO()
    call_command("eligibility_check", str(path), stdout=output)
    return json.loads(output.getvalue())


def test_one_determination_per_los_angeles_prop64_conviction_in_input_order(tmp_path):
    result = run(tmp_path, person_record())
    assert result == {
        "determinations": [
            {
                "id": "sale-2010",
                "outcome": "dismiss",
                # One sentence's end is not known (null), so rule 9 cannot tell; rule 10 can.
                "reason": (
                    "There is no conviction of any kind in the last 10 years: this meets the "
                    "District Attorney's criteria for dismissal."
                ),
            },
            {
                "id": "possession-2011",
                "outcome": "dismiss",
                "reason": (
                    "Possession under Health and Safety Code section 11357(a) or (b) meets the "
                    "District Attorney's criteria for dismissal."
                ),
            },
        ]
    }


def test_the_reasons_are_english_whatever_the_active_language(tmp_path, settings):
    settings.LANGUAGE_CODE = "es"
    result = run(tmp_path, person_record())
    assert result["determinations"][1]["reason"].startswith("Possession under")


def test_an_empty_record_gives_no_determinations(tmp_path):
    assert run(tmp_path, person_record(convictions=[])) == {"determinations": []}


def bad(field_path: list, value):
    data = person_record()
    target = data
    for key in field_path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[field_path[-1]]
    else:
        target[field_path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([1, 2], "(top level)"),
        ({"as_of": "2025-06-01", "person": {"date_of_birth": None}}, "convictions"),
        (bad(["as_of"], "06/01/2025"), "as_of"),
        (bad(["as_of"], "2025-02-30"), "as_of"),
        (bad(["person", "date_of_birth"], "2030-01-01"), "person.date_of_birth"),
        (bad(["person", "deceased"], "no"), "person.deceased"),
        (bad(["person", "birthday"], "1980-01-01"), "person.birthday"),
        (bad(["convictions"], {"id": "x"}), "convictions"),
        (bad(["convictions", 1, "code_section"], "possession"), "convictions[1].code_section"),
        (bad(["convictions", 1, "code_section"], 11357), "convictions[1].code_section"),
        (bad(["convictions", 0, "felony"], "yes"), "convictions[0].felony"),
        (bad(["convictions", 0, "convicted"], None), "convictions[0].convicted"),
        (bad(["convictions", 2, "county"], ""), "convictions[2].county"),
        (
            bad(["convictions", 2, "disposition_date"], "2026-01-01"),
            "convictions[2].disposition_date",
        ),
        (bad(["convictions", 0, "sentence_end_date"], "2012"), "convictions[0].sentence_end_date"),
        (
            bad(["convictions", 3, "pc290_registration"], "false"),
            "convictions[3].pc290_registration",
        ),
        (bad(["convictions", 1, "id"], "sale-2010"), "convictions[1].id"),
        (bad(["convictions", 1, "disposition_date"], KeyError), "convictions[1].disposition_date"),
        (bad(["convictions", 0, "sentence_end"], None), "convictions[0].sentence_end"),
    ],
)
def test_bad_input_is_refused_with_exit_code_2_naming_the_field(tmp_path, data, field):
    with pytest.raises(CommandError) as raised:
        run(tmp_path, data)
    assert raised.value.returncode == 2
    assert str(raised.value).startswith(f"{field}: ")


def test_null_means_not_known_and_leads_to_hand_review(tmp_path):
    data = person_record()
    data["person"]["date_of_birth"] = None
    data["convictions"][0]["felony"] = None
    result = run(tmp_path, data)["determinations"]
    assert result[0]["outcome"] == "hand_review"
    assert "felony or a misdemeanor" in result[0]["reason"]


def test_from_the_shell_bad_input_exits_2_with_the_field_on_stderr_and_nothing_on_stdout(tmp_path):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(bad(["convictions", 0, "felony"], "yes")), encoding="utf-8")
    command = [sys.executable, "manage.py", "eligibility_check", str(path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "convictions[0].felony: must be true or false" in done.stderr
    assert done.stdout == ""

    for content in ("{not json", None):
        if content is None:
            path.unlink()
        else:
            path.write_text(content, encoding="utf-8")
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        assert done.returncode == 2 and str(path) in done.stderr


def test_from_the_shell_a_valid_file_prints_the_determinations(tmp_path):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(person_record()), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "manage.py", "eligibility_check", "-"],
        cwd=ROOT,
        input=path.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert [d["id"] for d in json.loads(done.stdout)["determinations"]] == [
        "sale-2010",
        "possession-2011",
    ]
