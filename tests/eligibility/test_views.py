"""The questionnaire, the estimate page and the PDFs, as a person uses them."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from eligibility.models import DeterminationCount

pytestmark = pytest.mark.django_db

START, RESULT = "/eligibility/", "/eligibility/result/"


def answers(**changes) -> dict:
    data = {
        "convictions": "1",
        "age": "34",
        "super_strike": "no",
        "pc290": "no",
        "other_ever": "no",
        "other_recent": "no",
        "still_serving": "no",
        "c1_section": "11359",
        "c1_code_section": "",
        "c1_county": "los_angeles",
        "c1_level": "felony",
        "c1_year": "2009",
        "c1_sentence_finished": "yes",
        "c1_case_number": "BA123456",
        "action": "check",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def pdf_text(content: bytes) -> str:
    """The PDF's text with line breaks as spaces (lines wrap wherever the width ends)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_the_questionnaire_shows_one_conviction_block_and_the_questions_about_the_person(client):
    page = client.get(START).content.decode()
    assert "Cannabis conviction 1" in page and "Cannabis conviction 2" not in page
    assert "super strikes" in page and "Penal Code 290" in page
    assert "not legal advice" in page


def test_add_another_conviction_keeps_the_answers_and_shows_no_errors(client):
    response = client.post(START, answers(action="add"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cannabis conviction 2" in page
    assert 'value="BA123456"' in page
    assert "Please check your answers" not in page


def test_an_empty_questionnaire_lists_every_missing_answer(client):
    response = client.post(START, {"convictions": "1", "action": "check"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter your age." in page
    assert "Conviction 1: choose what it was for." in page
    assert "Choose yes, no or I am not sure for serious violent felonies." in page
    assert 'href="#id_c1_section_0"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"age": "forty"}, "Enter your age as a number, for example 42."),
        ({"c1_year": "09"}, "Conviction 1: enter the year with 4 numbers, for example 2009."),
        ({"c1_year": "3000"}, "Conviction 1: enter a year from 1900 to"),
        ({"c1_code_section": "PC 187"}, "Conviction 1: write a section from 11357 to 11360"),
        ({"c1_code_section": "11360(a)"}, "the section you wrote (HS 11360) is not the one"),
        (
            {"other_ever": "no", "other_recent": "yes"},
            "You said you have no other convictions, but one in the last 10 years.",
        ),
        ({"super_strike": "yes"}, "that is another conviction. Check this answer."),
        (
            {"convictions": "2", "c2_year": "2001"},
            "Conviction 2: choose what it was for.",
        ),
    ],
)
def test_each_mistake_gets_a_specific_message(client, changes, message):
    response = client.post(START, answers(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_empty_second_block_is_ignored(client):
    response = client.post(START, answers(convictions="2"))
    assert response.status_code == 303
    page = client.get(RESULT).content.decode()
    assert "Cannabis conviction 2" not in page


def test_the_estimate_shows_the_outcome_its_reason_and_the_next_step(client):
    response = client.post(START, answers())
    assert response.status_code == 303 and response["Location"].startswith(RESULT)
    page = client.get(RESULT).content.decode()
    assert "Likely to be dismissed" in page
    assert "every sentence is finished" in page
    assert "An estimate, not legal advice" in page
    assert "form CR-400" in page
    assert "(323) 760-6763" in page
    # Nothing the person answered travels in a URL.
    assert "BA123456" not in response["Location"]


def test_a_typed_section_is_used_and_decides(client):
    client.post(START, answers(c1_section="unknown", c1_code_section="h&s 11357 (c)"))
    page = client.get(RESULT).content.decode()
    assert "Possession under another part of section 11357" in page


def test_a_conviction_in_another_county_is_outside_the_check(client):
    client.post(START, answers(c1_county="other"))
    page = client.get(RESULT).content.decode()
    assert "Outside this check" in page
    assert "Your CR-400 worksheet" not in page


def test_not_sure_about_a_super_strike_means_a_closer_look_and_a_summary(client):
    client.post(START, answers(super_strike="unsure", other_ever="unsure"))
    page = client.get(RESULT).content.decode()
    assert "Needs a closer look" in page
    assert "Someone needs to check the record" in page
    assert "Your CR-400 worksheet" not in page
    summary = client.get("/eligibility/summary.pdf")
    text = pdf_text(summary.content)
    assert "a summary to bring for help" in text
    assert "HS 11359" in text and "BA123456" in text
    assert "(323) 760-6763" in text


def test_the_worksheet_needs_a_name_then_holds_the_details_and_the_conviction(client):
    client.post(START, answers())
    assert client.get("/eligibility/worksheet.pdf")["Location"] == RESULT
    response = client.post(RESULT, {"name": ""})
    assert response.status_code == 400
    assert "Enter your full name for the worksheet." in response.content.decode()

    response = client.post(
        RESULT,
        {"name": "  María  José Núñez ", "address": "1 Main St\nLos Angeles", "email": ""},
    )
    assert response.status_code == 303
    assert "Download your CR-400 worksheet" in client.get(RESULT).content.decode()
    pdf = client.get("/eligibility/worksheet.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"] and "Núñez" not in pdf["Content-Disposition"]
    text = pdf_text(pdf.content)
    assert "María José Núñez" in text
    assert "People of the State of California v. María José Núñez" in text
    assert "HS 11359" in text and "BA123456" in text and "2009" in text
    assert "CR-400 (Rev. January 1, 2024)" in text
    assert "This is a worksheet, not the court form." in text
    assert "Application (Health and Safety Code section 11361.8(e))" in text
    assert "CR-401" in text and "210 West Temple Street" in text
    assert "(323) 760-6763" in text


def test_the_public_defender_phone_comes_from_the_setting_when_there_is_one(client, settings):
    settings.PUBLIC_DEFENDER_PHONE = "(213) 555-0100"
    client.post(START, answers())
    assert "(213) 555-0100" in client.get(RESULT).content.decode()


def test_the_pdfs_are_in_spanish_for_a_spanish_session(client):
    client.cookies["django_language"] = "es"
    client.post(START, answers())
    client.post(RESULT, {"name": "María Núñez"})
    text = pdf_text(client.get("/eligibility/worksheet.pdf").content)
    assert "Esto es una hoja de trabajo, no el formulario de la corte." in text
    assert "María Núñez" in text


def test_without_answers_the_pages_send_the_person_to_the_start(client):
    assert client.get(RESULT)["Location"] == START
    assert client.get("/eligibility/worksheet.pdf")["Location"] == START
    assert client.get("/eligibility/summary.pdf")["Location"] == START


def test_clear_my_answers_ends_them_at_once(client):
    client.post(START, answers())
    response = client.post("/eligibility/clear/")
    assert response.status_code == 303
    assert "Your answers were cleared" in client.get(response["Location"]).content.decode()
    assert client.get(RESULT)["Location"] == START


def test_the_session_ends_the_configured_time_after_the_last_step(client, settings):
    settings.ELIGIBILITY_SESSION_MINUTES = 15
    client.post(START, answers())
    assert client.session.get_expiry_age() == 15 * 60
    assert "15 minutes" in client.get(RESULT).content.decode()


def test_change_my_answers_shows_them_again(client):
    client.post(START, answers(c1_case_number="LA998877"))
    page = client.get(START).content.decode()
    assert 'value="LA998877"' in page


def test_each_estimate_is_counted_without_any_personal_detail(client):
    client.post(START, answers())
    client.post(
        START,
        answers(
            convictions="2",
            c2_section="11357",
            c2_county="los_angeles",
            c2_level="misdemeanor",
            c2_year="2005",
            c2_sentence_finished="yes",
        ),
    )
    client.get(RESULT)  # reading the estimate again counts nothing
    today = timezone.localdate()
    counts = {(row.day, row.outcome): row.count for row in DeterminationCount.objects.all()}
    assert counts == {(today, "dismiss"): 2, (today, "city_attorney"): 1}
    assert {f.name for f in DeterminationCount._meta.fields} == {"id", "day", "outcome", "count"}


def test_the_home_page_offers_the_check(client):
    page = client.get("/").content.decode()
    assert "Not in the batches? You may still clear it" in page
    assert 'href="/eligibility/"' in page


def test_expired_sessions_are_erased_by_the_beat_job(client):
    from django.contrib.sessions.models import Session

    from eligibility.tasks import clear_expired_sessions

    client.post(START, answers())
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    clear_expired_sessions()
    assert not Session.objects.exists()
