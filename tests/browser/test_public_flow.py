"""The resident's journey in a real browser, in English and Spanish, with axe-core on every page."""

import re

import pytest
from django.core import mail
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from screener import letters
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
from tests.screener.public_flow import MARIA_BIRTH_DATE, cases_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE_RE = re.compile(r"RC-[A-Z0-9]{3}-[A-Z0-9]{3}")


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


def fill_lookup_form(driver, *, email: str, language_choice: str) -> None:
    fill(driver, "id_first_name", "Maria")
    fill(driver, "id_middle_name", "Elena")
    fill(driver, "id_last_name", "Hernandez")
    fill_birth_date(driver)
    fill(driver, "id_email", email)
    click(driver, language_choice)
    click(driver, "id_is_self_0")
    click(driver, "id_consent_to_contact")


def check_status(driver, live_server, reference: str) -> None:
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, 'a[href="/status/"].usa-button'))
    fill(driver, "id_reference", reference.lower())
    fill_birth_date(driver)
    submit(driver)


def test_a_resident_checks_in_english_from_home_page_to_result_message(browser, live_server, cases):
    browser.get(live_server.url)
    assert heading(browser) == "Was your cannabis conviction dismissed?"
    axe_check(browser)

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Start your check"))
    assert heading(browser) == "Check your record"
    axe_check(browser)

    # Sent empty: the error summary takes the focus, lists each problem, and axe still passes.
    submit(browser)
    assert browser.switch_to.active_element.get_attribute("id") == "form-feedback"
    summary = browser.find_element(By.ID, "form-feedback").text
    assert "Enter your first name." in summary
    assert "Enter your date of birth." in summary
    assert browser.title.startswith("Error:")
    axe_check(browser)
    browser.find_element(By.LINK_TEXT, "Enter your first name.").click()
    assert browser.switch_to.active_element.get_attribute("id") == "id_first_name"

    fill_lookup_form(browser, email="maria@example.org", language_choice="id_language_0")
    submit(browser)
    assert heading(browser) == "We received your request"
    reference = REFERENCE_RE.search(browser.find_element(By.CSS_SELECTOR, ".rc-reference").text)
    assert reference is not None
    assert "maria" not in browser.current_url.lower()
    axe_check(browser)

    check_status(browser, live_server, reference.group(0))
    result = browser.find_element(By.ID, "form-feedback")
    assert browser.switch_to.active_element == result
    assert "Status: Result sent" in result.text
    assert "BA123456" not in browser.page_source
    axe_check(browser)

    message = next(m for m in mail.outbox if "BA123456" in m.body)
    assert message.to == ["maria@example.org"]
    assert reference.group(0) in message.body
    assert "/letter/" in message.body


def test_a_resident_checks_in_spanish_from_home_page_to_result_message(browser, live_server, cases):
    browser.get(live_server.url)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.rc-language button"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    assert heading(browser) == "¿Se desestimó su condena por cannabis?"
    axe_check(browser)

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Empiece aquí"))
    assert heading(browser) == "Revise su historial"
    # The preferred language follows the page language unless the person changes it.
    assert browser.find_element(By.ID, "id_language_1").is_selected()
    submit(browser)
    assert "Escriba su nombre." in browser.find_element(By.ID, "form-feedback").text
    axe_check(browser)

    fill_lookup_form(browser, email="maria.es@example.org", language_choice="id_language_1")
    submit(browser)
    assert heading(browser) == "Recibimos su solicitud"
    reference = REFERENCE_RE.search(browser.find_element(By.CSS_SELECTOR, ".rc-reference").text)
    axe_check(browser)

    check_status(browser, live_server, reference.group(0))
    assert "Estado: Resultado enviado" in browser.find_element(By.ID, "form-feedback").text
    axe_check(browser)

    lookup = Lookup.objects.get(reference=reference.group(0))
    assert lookup.language == "es"
    message = next(
        m for m in mail.outbox if "maria.es@example.org" in m.to and "BA123456" in m.body
    )
    assert "desestimad" in message.body


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


def test_the_result_letter_asks_for_the_date_of_birth_then_shows_the_cases(
    browser, live_server, cases
):
    from django.test import Client

    from tests.screener.public_flow import lookup_form_data

    Client().post("/check/", lookup_form_data())
    lookup = Lookup.objects.get()
    path = re.sub(r"^https?://[^/]+", "", letters.result_letter_url(lookup))
    browser.get(f"{live_server.url}{path}")
    assert heading(browser) == "Open your result letter"
    axe_check(browser)

    fill_birth_date(browser, MARIA_BIRTH_DATE.replace(day=13))
    submit(browser)
    assert "does not match our records" in browser.find_element(By.ID, "form-feedback").text
    axe_check(browser)

    fill_birth_date(browser)
    submit(browser)
    assert heading(browser) == "Your result letter"
    table = browser.find_element(By.CSS_SELECTOR, "table.usa-table").text
    assert "BA123456" in table and "6CJ00651" in table
    # JavaScript is on here, so the print button shows itself.
    assert browser.find_element(By.CSS_SELECTOR, "[data-print-button]").is_displayed()
    axe_check(browser)


@pytest.mark.parametrize("size", [NARROW, DESKTOP], ids=["320px", "desktop"])
def test_every_public_page_fits_the_window_and_passes_axe(browser, live_server, size):
    browser.set_window_size(*size)
    for path in ("/", "/check/", "/status/", "/letter/not-a-token/", "/no-such-page/"):
        browser.get(f"{live_server.url}{path}")
        assert not page_overflows_horizontally(browser), path
        axe_check(browser)
    browser.get(f"{live_server.url}/check/")
    submit(browser)
    assert not page_overflows_horizontally(browser)
    axe_check(browser)


def test_the_429_page_passes_axe(browser, live_server, settings):
    settings.STATUS_RATE_PER_IP = "0/h"
    browser.get(f"{live_server.url}/status/")
    fill(browser, "id_reference", "RC-AAA-AAA")
    fill_birth_date(browser)
    submit(browser)
    assert heading(browser) == "Too many tries"
    axe_check(browser)


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
    driver.get(live_server.url)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.rc-language button"))
    assert heading(driver) == "¿Se desestimó su condena por cannabis?"
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Empiece aquí"))
    submit(driver)
    assert "Escriba su nombre." in driver.find_element(By.ID, "form-feedback").text
    fill_lookup_form(driver, email="nojs@example.org", language_choice="id_language_1")
    submit(driver)
    assert heading(driver) == "Recibimos su solicitud"
    reference = REFERENCE_RE.search(driver.find_element(By.CSS_SELECTOR, ".rc-reference").text)
    check_status(driver, live_server, reference.group(0))
    assert "Resultado enviado" in driver.find_element(By.ID, "form-feedback").text

    lookup = Lookup.objects.get(reference=reference.group(0))
    driver.get(letters.result_letter_url(lookup).replace("http://127.0.0.1:8000", live_server.url))
    fill_birth_date(driver)
    submit(driver)
    assert heading(driver) == "Su carta de resultado"
    assert "BA123456" in driver.find_element(By.CSS_SELECTOR, "table.usa-table").text
    # The proof that JavaScript really was off: the print button never showed itself.
    assert not driver.find_element(By.CSS_SELECTOR, "[data-print-button]").is_displayed()
