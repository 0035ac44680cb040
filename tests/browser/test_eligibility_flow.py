"""Not in the batches: from the not-found answer (a message's link, the date of birth, the code)
or the home page to a CR-400 worksheet PDF, in a real browser at 320 px, in English and Spanish,
with axe-core on every page, and without JavaScript."""

import io
from datetime import date

import pytest
import requests
from django.test import Client
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from tests.browser.conftest import NARROW, axe_check, click_and_wait, page_overflows_horizontally
from tests.browser.test_public_flow import (  # noqa: F401 (a fixture)
    browser_without_javascript,
    click,
    fill,
    fill_birth_date,
    heading,
    submit,
    type_code,
)
from tests.screener.public_flow import latest_code, latest_link, nobody_form_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "María José Núñez"
ROSA_BIRTH_DATE = date(1968, 9, 3)  # nobody_form_data's


def check_page(driver) -> None:
    assert not page_overflows_horizontally(driver), driver.current_url
    axe_check(driver)


def press(driver, value: str) -> None:
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f'button[value="{value}"]'))


def answer_questionnaire(driver) -> None:
    """Possession for sale in Los Angeles, a felony in 2009, sentence done; nothing else."""
    click(driver, "id_c1_section_2")
    fill(driver, "id_c1_code_section", "11359(b)")
    click(driver, "id_c1_county_0")
    click(driver, "id_c1_level_0")
    fill(driver, "id_c1_year", "2009")
    click(driver, "id_c1_sentence_finished_0")
    fill(driver, "id_c1_case_number", "BA123456")
    fill(driver, "id_age", "41")
    for question in ("super_strike", "pc290", "other_ever", "other_recent", "still_serving"):
        click(driver, f"id_{question}_1")


def fill_details(driver) -> None:
    fill(driver, "id_name", NAME)
    fill(driver, "id_address", "123 Calle Ñandú, Los Angeles, CA 90012")
    click_and_wait(
        driver, driver.find_element(By.CSS_SELECTOR, "#main-content form button[type=submit]")
    )


def fetch_worksheet_text(driver, live_server) -> str:
    """Download the worksheet as the browser would, with its session cookie, and read it."""
    link = driver.find_element(By.CSS_SELECTOR, '[data-testid="worksheet-link"]')
    url = link.get_attribute("href")
    assert url.startswith(live_server.url)
    cookies = {cookie["name"]: cookie["value"] for cookie in driver.get_cookies()}
    response = requests.get(url, cookies=cookies, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def open_the_not_found_answer(driver, live_server) -> None:
    """The result message's link, Rosa's date of birth and the code: the not-found answer."""
    Client().post("/check/", nobody_form_data(email="rosa@example.org"))
    driver.get(f"{live_server.url}{latest_link('rosa@example.org')}")
    fill_birth_date(driver, ROSA_BIRTH_DATE)
    submit(driver)
    type_code(driver, latest_code("rosa@example.org"))
    assert "We did not find your record in the dismissals" in driver.page_source
    check_page(driver)


def test_from_a_not_found_answer_to_a_cr400_worksheet_in_english(browser, live_server):
    browser.set_window_size(*NARROW)
    open_the_not_found_answer(browser, live_server)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Check if you can still clear it"))
    assert heading(browser) == "Can you still clear a cannabis conviction?"
    check_page(browser)

    press(browser, "check")
    summary = browser.find_element(By.ID, "form-feedback")
    assert browser.switch_to.active_element == summary
    assert "Conviction 1: choose what it was for." in summary.text
    assert browser.title.startswith("Error:")
    check_page(browser)

    press(browser, "add")
    assert browser.find_element(By.ID, "conviction-2").is_displayed()
    check_page(browser)

    answer_questionnaire(browser)
    press(browser, "check")
    assert heading(browser) == "Your estimate"
    page = browser.find_element(By.ID, "main-content").text
    assert "Likely to be dismissed" in page and "An estimate, not legal advice" in page
    assert "BA123456" not in browser.current_url
    check_page(browser)

    fill_details(browser)
    check_page(browser)
    text = fetch_worksheet_text(browser, live_server)
    assert NAME in text
    assert "HS 11359(b)" in text and "BA123456" in text
    assert "CR-400 worksheet" in text


def test_from_the_home_page_to_a_cr400_worksheet_in_spanish(browser, live_server):
    browser.set_window_size(*NARROW)
    browser.get(live_server.url)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.rc-language button"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Vea si todavía puede borrarla"))
    assert heading(browser) == "¿Todavía puede borrar una condena por cannabis?"
    check_page(browser)

    press(browser, "check")
    assert "Condena 1: elija por qué fue." in browser.find_element(By.ID, "form-feedback").text
    check_page(browser)

    answer_questionnaire(browser)
    press(browser, "check")
    assert heading(browser) == "Su cálculo aproximado"
    assert "Probablemente se desestime" in browser.find_element(By.ID, "main-content").text
    check_page(browser)

    fill_details(browser)
    check_page(browser)
    text = fetch_worksheet_text(browser, live_server)
    assert NAME in text and "HS 11359(b)" in text
    assert "Esto es una hoja de trabajo, no el formulario de la corte." in text


def test_the_whole_check_works_without_javascript(browser_without_javascript, live_server):  # noqa: F811
    driver = browser_without_javascript
    driver.delete_all_cookies()
    driver.get(live_server.url)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.rc-language button"))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Vea si todavía puede borrarla"))
    press(driver, "add")
    assert driver.find_element(By.ID, "conviction-2").is_displayed()
    answer_questionnaire(driver)
    press(driver, "check")
    assert heading(driver) == "Su cálculo aproximado"
    fill_details(driver)
    text = fetch_worksheet_text(driver, live_server)
    assert NAME in text and "HS 11359(b)" in text

    # Clearing the answers is a plain form too.
    click_and_wait(
        driver, driver.find_element(By.XPATH, "//button[contains(., 'Borrar mis respuestas')]")
    )
    assert "Sus respuestas se borraron" in driver.find_element(By.ID, "main-content").text
