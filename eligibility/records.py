"""Records for the rules, from a partner's JSON file or from the questionnaire's answers.

Both are pure: plain data in, an eligibility.rules.Record out. The JSON reader checks every
field and raises RecordError naming the first one that is wrong ("convictions[2].felony"), so
that `manage.py eligibility_check` can say exactly what to fix.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.normalize import collapse_spaces
from eligibility.codes import CodeSection, CodeSectionError, code_section_parse
from eligibility.rules import Conviction, Record, When

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOS_ANGELES_NAMES = frozenset({"LOS ANGELES", "LOS ANGELES COUNTY", "LA", "L.A."})


class RecordError(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def county_is_los_angeles(value: str) -> bool:
    return collapse_spaces(value.upper()) in LOS_ANGELES_NAMES


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- A partner's file (manage.py eligibility_check) ----------------------------------

_TOP_FIELDS = {"as_of", "person", "convictions"}
_PERSON_FIELDS = {"date_of_birth", "deceased"}
_CONVICTION_FIELDS = {
    "id",
    "code_section",
    "county",
    "felony",
    "convicted",
    "disposition_date",
    "sentence_end_date",
    "pc290_registration",
}
_CONVICTION_OPTIONAL = {"pc290_registration": False}


def _object(value: Any, field: str, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(value, dict):
        raise RecordError(field or "(top level)", "must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        name = f"{field}.{unknown[0]}" if field else unknown[0]
        raise RecordError(name, "is not a field this file may have (check its spelling)")
    for key in sorted(required):
        if key not in value:
            raise RecordError(f"{field}.{key}" if field else key, "is missing")
    return value


def _date(value: Any, field: str, *, nullable: bool) -> date | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        kind = "a date" + (" or null" if nullable else "")
        raise RecordError(field, f"must be {kind} written YYYY-MM-DD")
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise RecordError(field, f"{value[:20]!r} is not a date written YYYY-MM-DD") from None


def _bool(value: Any, field: str, *, nullable: bool) -> bool | None:
    if value is None and nullable:
        return None
    if not isinstance(value, bool):
        raise RecordError(field, "must be true or false" + (" or null" if nullable else ""))
    return value


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RecordError(field, "must be a non-empty string")
    return value.strip()


def record_from_input(data: Any) -> Record:
    """A Record from the eligibility_check file format (README: "Eligibility check").

    null means "not known" for date_of_birth, felony, disposition_date and sentence_end_date;
    the rules then say hand review wherever it matters.
    """
    data = _object(data, "", _TOP_FIELDS, _TOP_FIELDS)
    as_of = _date(data["as_of"], "as_of", nullable=False)
    person = _object(data["person"], "person", _PERSON_FIELDS, {"date_of_birth"})
    birth = _date(person["date_of_birth"], "person.date_of_birth", nullable=True)
    if birth is not None and birth > as_of:
        raise RecordError("person.date_of_birth", "is after as_of")
    deceased = _bool(person.get("deceased", False), "person.deceased", nullable=False)
    if not isinstance(data["convictions"], list):
        raise RecordError("convictions", "must be a list")

    convictions = []
    seen: set[str] = set()
    for index, row in enumerate(data["convictions"]):
        field = f"convictions[{index}]"
        required = _CONVICTION_FIELDS - set(_CONVICTION_OPTIONAL)
        row = _object(row, field, _CONVICTION_FIELDS, required)
        conviction_id = _text(row["id"], f"{field}.id")
        if conviction_id in seen:
            raise RecordError(f"{field}.id", f"{conviction_id!r} is used by another conviction")
        seen.add(conviction_id)
        try:
            code = code_section_parse(_text(row["code_section"], f"{field}.code_section"))
        except CodeSectionError as exc:
            raise RecordError(f"{field}.code_section", str(exc)) from None
        county = _text(row["county"], f"{field}.county")
        decided = _date(row["disposition_date"], f"{field}.disposition_date", nullable=True)
        if decided is not None and decided > as_of:
            raise RecordError(f"{field}.disposition_date", "is after as_of")
        ends = _date(row["sentence_end_date"], f"{field}.sentence_end_date", nullable=True)
        convictions.append(
            Conviction(
                id=conviction_id,
                code=code,
                los_angeles=county_is_los_angeles(county),
                felony=_bool(row["felony"], f"{field}.felony", nullable=True),
                decided=When.on(decided),
                sentence_complete=None if ends is None else ends <= as_of,
                pc290_registration=_bool(
                    row.get("pc290_registration", False),
                    f"{field}.pc290_registration",
                    nullable=False,
                ),
                convicted=_bool(row["convicted"], f"{field}.convicted", nullable=False),
            )
        )
    return Record(
        as_of=as_of,
        age=None if birth is None else age_on(birth, as_of),
        convictions=tuple(convictions),
        deceased=deceased,
    )


# --- The questionnaire (eligibility/forms.py) -------------------------------------------

YES, NO, UNSURE = "yes", "no", "unsure"
SECTION_UNKNOWN = "unknown"
COUNTY_LOS_ANGELES, COUNTY_OTHER, COUNTY_UNKNOWN = "los_angeles", "other", "unknown"
FELONY, MISDEMEANOR, LEVEL_UNKNOWN = "felony", "misdemeanor", "unknown"

# The answers' labels, shared by the questionnaire, the result page and the PDFs.
YES_NO_UNSURE = [(YES, _("Yes")), (NO, _("No")), (UNSURE, _("I am not sure"))]
SECTION_CHOICES = [
    ("11357", _("Possession (section 11357)")),
    ("11358", _("Growing or cultivation (section 11358)")),
    ("11359", _("Possession for sale (section 11359)")),
    ("11360", _("Transporting, selling or giving away (section 11360)")),
    (SECTION_UNKNOWN, _("I don't know")),
]
COUNTY_CHOICES = [
    (COUNTY_LOS_ANGELES, _("Los Angeles County")),
    (COUNTY_OTHER, _("Another county in California")),
    (COUNTY_UNKNOWN, _("I don't know")),
]
LEVEL_CHOICES = [
    (FELONY, _("Felony")),
    (MISDEMEANOR, _("Misdemeanor")),
    (LEVEL_UNKNOWN, _("I don't know")),
]
SENTENCE_CHOICES = [
    (YES, _("Yes, it is finished")),
    (NO, _("No, I am still serving it")),
    (UNSURE, _("I am not sure")),
]


def tri(answer: str) -> bool | None:
    return {YES: True, NO: False}.get(answer)


@dataclass(frozen=True)
class AnsweredConviction:
    """One conviction block of the questionnaire, as the session keeps it (JSON-safe)."""

    section: str  # "11357".."11360" or "unknown"
    code_section: str  # what the person typed, normalized ("HS 11357(a)"), or ""
    county: str
    level: str
    year: int | None
    sentence_finished: str  # yes / no / unsure
    case_number: str = ""

    def code(self) -> CodeSection | None:
        if self.code_section:
            return code_section_parse(self.code_section)
        if self.section == SECTION_UNKNOWN:
            return None
        return CodeSection("HS", self.section)


def record_from_answers(answers: dict, *, as_of: date) -> Record:
    """A Record from the questionnaire's answers (the dict eligibility.forms builds)."""
    convictions = []
    for index, raw in enumerate(answers["convictions"], start=1):
        answered = AnsweredConviction(**raw)
        convictions.append(
            Conviction(
                id=str(index),
                code=answered.code(),
                los_angeles={COUNTY_LOS_ANGELES: True, COUNTY_OTHER: False}.get(answered.county),
                felony={FELONY: True, MISDEMEANOR: False}.get(answered.level),
                decided=When.in_year(answered.year),
                sentence_complete=tri(answered.sentence_finished),
            )
        )
    return Record(
        as_of=as_of,
        age=answers["age"],
        convictions=tuple(convictions),
        deceased=False,
        reported_super_strike=tri(answers["super_strike"]),
        reported_pc290=tri(answers["pc290"]),
        other_convictions_ever=tri(answers["other_ever"]),
        other_convictions_recent=tri(answers["other_recent"]),
        still_serving=tri(answers["still_serving"]),
    )
