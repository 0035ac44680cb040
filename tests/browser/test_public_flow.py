"""The resident's journey in a real browser, in English and Spanish, at 320 px, with axe-core on
every page and without JavaScript: the form, the code, the answer, the case-number step-up, the
letter; and from a message's link (the date of birth, a fresh code) to the answer."""

import re

import pytest
from django.test import Client
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from screener.models import Lookup
from tests.browser.conftest import (
    CHROMEDRIVER,
    CHROMIUM_ARGS,
    DESKTOP,
    NARROW,
    axe_check,
    click_and_wait,
    page_overflows_horizontally,
)
from tests.screener.public_flow import (
    MARIA_BIRTH_DATE,
    cases_load,
    latest_code,
    latest_link,
    lookup_form_data,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE_RE = re.compile(r"RC-[A-Z0-9]{3}-[A-Z0-9]{3}")
CASE_NUMBERS = ("BA123456", "6CJ00651")


@pytest.fixture
def cases():
    cases_load()


def fill(driver, field_id: str, value: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(value)


def fill_birth_date(driver, date=MARIA_BIRTH_DATE) -> None:
    Select(driver.find_element(By.ID, "id_date_of_birth_month")).select_by_value(str(date.month))
    fill(driver, "id_date_of_birth_day", str(date.day))
    fill(driver, "id_date_of_birth_year", str(date.year))


def click(driver, element_id: str) -> None:
    # Labels cover USWDS radios and checkboxes; clicking the label is what a person does.
    driver.find_element(By.CSS_SELECTOR, f'label[for="{element_id}"]').click()


def submit(driver) -> None:
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def heading(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def main_text(driver) -> str:
    return driver.find_element(By.ID, "main-content").text


def check_page(driver, *, run_axe: bool = True) -> None:
    assert not page_overflows_horizontally(driver), driver.current_url
    if run_axe:
        axe_check(driver)


def fill_lookup_form(driver, *, email: str, language_choice: str) -> None:
    fill(driver, "id_first_name", "Maria")
    fill(driver, "id_middle_name", "Elena")
    fill(driver, "id_last_name", "Hernandez")
    fill_birth_date(driver)
    fill(driver, "id_email", email)
    click(driver, language_choice)
    click(driver, "id_is_self_0")
    click(driver, "id_consent_to_contact")


def type_code(driver, code: str) -> None:
    fill(driver, "id_code", code)
    submit(driver)


def step_up(driver, case_number: str) -> None:
    fill(driver, "id_case_number", case_number)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#step-up-heading ~ form button"))


def assert_no_case_details(driver) -> None:
    for number in CASE_NUMBERS:
        assert number not in driver.page_source


def the_whole_journey(driver, live_server, *, language: str, run_axe: bool = True) -> None:
    """Form, code, answer, a wrong and a right case number, the letter: at 320 px."""
    words = WORDS[language]
    email = f"maria.{language}@example.org"
    driver.set_window_size(*NARROW)
    driver.get(live_server.url)
    if language == "es":
        click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.rc-language button"))
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    assert heading(driver) == words["home"]
    assert words["run by"] in driver.find_element(By.CSS_SELECTOR, "header").text
    check_page(driver, run_axe=run_axe)

    click_and_wait(driver, driver.find_element(By.LINK_TEXT, words["start"]))
    assert heading(driver) == words["form"]
    # Sent empty: the error summary takes the focus and lists each problem.
    submit(driver)
    assert words["first name error"] in driver.find_element(By.ID, "form-feedback").text
    check_page(driver, run_axe=run_axe)

    fill_lookup_form(driver, email=email, language_choice=f"id_language_{words['choice']}")
    submit(driver)
    assert heading(driver) == words["received"]
    assert not REFERENCE_RE.search(main_text(driver))
    assert "maria" not in driver.current_url.lower()
    check_page(driver, run_axe=run_axe)

    type_code(driver, "000000" if latest_code(email) != "000000" else "111111")
    assert words["wrong code"] in driver.find_element(By.ID, "form-feedback").text
    check_page(driver, run_axe=run_axe)
    type_code(driver, latest_code(email))
    assert heading(driver) == words["answer"]
    assert words["found"] in main_text(driver)
    assert REFERENCE_RE.search(main_text(driver))
    assert_no_case_details(driver)
    check_page(driver, run_axe=run_axe)

    step_up(driver, "KA999999")
    assert words["wrong case number"] in driver.find_element(By.ID, "form-feedback").text
    check_page(driver, run_axe=run_axe)
    step_up(driver, "ba 123456")
    assert heading(driver) == words["letter"]
    table = driver.find_element(By.CSS_SELECTOR, "table.usa-table").text
    assert all(number in table for number in CASE_NUMBERS)
    assert words["issued by"] in main_text(driver)
    check_page(driver, run_axe=run_axe)
    lookup = Lookup.objects.get(email=email)
    assert lookup.language == language


WORDS = {
    "en": {
        "home": "Was your cannabis conviction dismissed?",
        "run by": "Run by Relief Check Project",
        "start": "Start your check",
        "form": "Check your record",
        "first name error": "Enter your first name.",
        "choice": "0",
        "received": "We received your request",
        "wrong code": "That code is not right",
        "answer": "Your request",
        "found": "We found your record in the dismissals",
        "wrong case number": "This case number is not one of the cases we found for you.",
        "letter": "Your result letter",
        "issued by": "This letter was issued by Relief Check Project",
        "link": "Open your answer",
        "wrong date": "does not match our records for this link",
        "code": "Enter your code",
    },
    "es": {
        "home": "¿Se desestimó su condena por cannabis?",
        "run by": "A cargo de Relief Check Project",
        "start": "Empiece aquí",
        "form": "Revise su historial",
        "first name error": "Escriba su nombre.",
        "choice": "1",
        "received": "Recibimos su solicitud",
        "wrong code": "Ese código no es correcto",
        "answer": "Su solicitud",
        "found": "Encontramos su caso en las desestimaciones",
        "wrong case number": "Este número de caso no es uno de los casos que encontramos",
        "letter": "Su carta de resultado",
        "issued by": "Esta carta la emitió Relief Check Project",
        "link": "Abra su respuesta",
        "wrong date": "no coincide con nuestros registros para este enlace",
        "code": "Escriba su código",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_resident_goes_from_the_form_to_the_letter(browser, live_server, cases, language):
    the_whole_journey(browser, live_server, language=language)
    # JavaScript is on here, so the print button shows itself.
    assert browser.find_element(By.CSS_SELECTOR, "[data-print-button]").is_displayed()


@pytest.mark.parametrize("language", ["en", "es"])
def test_from_a_messages_link_the_date_of_birth_and_a_fresh_code_open_the_answer(
    browser, live_server, cases, language
):
    words = WORDS[language]
    Client().post("/check/", lookup_form_data(language=language))
    browser.set_window_size(*NARROW)
    browser.get(f"{live_server.url}{latest_link('maria@example.org')}")
    # The token has left the address bar.
    assert browser.current_url == f"{live_server.url}/r/open/"
    assert heading(browser) == words["link"]
    check_page(browser)

    fill_birth_date(browser, MARIA_BIRTH_DATE.replace(day=13))
    submit(browser)
    assert words["wrong date"] in browser.find_element(By.ID, "form-feedback").text
    check_page(browser)
    fill_birth_date(browser)
    submit(browser)
    assert heading(browser) == words["code"]
    check_page(browser)
    type_code(browser, latest_code("maria@example.org"))
    assert words["found"] in main_text(browser)
    assert_no_case_details(browser)
    check_page(browser)


def test_the_status_page_with_a_wrong_date_of_birth_passes_axe(browser, live_server, cases):
    browser.get(f"{live_server.url}/status/")
    axe_check(browser)
    fill(browser, "id_reference", "RC-AAA-AAA")
    fill_birth_date(browser)
    submit(browser)
    summary = browser.find_element(By.ID, "form-feedback")
    assert browser.switch_to.active_element == summary
    assert "We could not find a request" in summary.text
    axe_check(browser)


@pytest.mark.parametrize("size", [NARROW, DESKTOP], ids=["320px", "desktop"])
def test_every_public_page_fits_the_window_and_passes_axe(browser, live_server, size):
    browser.set_window_size(*size)
    for path in ("/", "/check/", "/status/", "/about/", "/privacy/", "/r/not-a-token/",
                 "/no-such-page/"):  # fmt: skip
        browser.get(f"{live_server.url}{path}")
        assert not page_overflows_horizontally(browser), path
        axe_check(browser)
    browser.get(f"{live_server.url}/check/")
    submit(browser)
    assert not page_overflows_horizontally(browser)
    axe_check(browser)


def test_a_limit_keeps_what_was_typed_says_when_and_passes_axe(browser, live_server, settings):
    settings.STATUS_RATE_PER_IP = "0/h"
    browser.set_window_size(*NARROW)
    browser.get(f"{live_server.url}/status/")
    fill(browser, "id_reference", "RC-AAA-AAA")
    fill_birth_date(browser)
    submit(browser)
    assert "Too many tries" in browser.find_element(By.ID, "form-feedback").text
    assert "Please try again in about" in browser.find_element(By.ID, "form-feedback").text
    assert browser.find_element(By.ID, "id_reference").get_attribute("value") == "RC-AAA-AAA"
    check_page(browser)


@pytest.fixture(scope="module")
def browser_without_javascript(_chromium):
    import shutil
    import tempfile

    options = webdriver.ChromeOptions()
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    profile = tempfile.mkdtemp(prefix="reliefcheck-chromium-nojs-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=320,640")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # The page's own scripts stop; WebDriver still reads the page through DevTools.
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_the_whole_flow_works_without_javascript(browser_without_javascript, live_server, cases):
    driver = browser_without_javascript
    driver.delete_all_cookies()
    # axe-core is itself a script, so it runs in the browser with JavaScript above.
    the_whole_journey(driver, live_server, language="es", run_axe=False)
    # The proof that JavaScript really was off: the print button never showed itself.
    assert not driver.find_element(By.CSS_SELECTOR, "[data-print-button]").is_displayed()
