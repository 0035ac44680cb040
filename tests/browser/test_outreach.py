"""An outreach worker at a Week of Action event, in a real browser: sign in with the second
factor, pick the event, enter two walk-ins (one with an email, one with neither email nor phone),
check one person's photo ID, see that person's answer, open the printable letter and the PDF,
and see only the status of the other. Every page axe-clean."""

import io

import pytest
import requests
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from screener.models import Lookup, OutreachEvent
from screener.roles import OUTREACH_WORKER
from tests.browser.conftest import DESKTOP, axe_check, click_and_wait
from tests.browser.test_public_flow import click, fill, fill_birth_date
from tests.screener.public_flow import cases_load
from tests.screener.reviewing import PASSWORD, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_second_factor(driver, live_server, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    driver.get(f"{live_server.url}/staff/outreach/")
    fill(driver, "id_username", user.username)
    fill(driver, "id_password", PASSWORD)
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    fill(driver, "id_otp_token", f"{token:06d}")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "input[type=submit]"))


def record(driver) -> None:
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def enter_walkin(driver, *, first, last, born, email="", id_kind="") -> None:
    assert driver.switch_to.active_element.get_attribute("id") == "id_first_name"  # autofocus
    fill(driver, "id_first_name", first)
    fill(driver, "id_last_name", last)
    fill_birth_date(driver, born)
    if email:
        fill(driver, "id_email", email)
        click(driver, "id_consent_to_contact")
    click(driver, "id_person_consented")
    if id_kind:
        click(driver, "id_id_checked")
        Select(driver.find_element(By.ID, "id_id_kind")).select_by_value(id_kind)
    record(driver)


@override_settings(STAFF_REQUIRE_OTP=True)
def test_an_outreach_worker_enters_two_walk_ins_and_prints_one_letter(browser, live_server):
    import datetime

    cases_load()
    worker = staff("olga.outreach", OUTREACH_WORKER)
    event = OutreachEvent.objects.create(
        name="Week of Action: Boyle Heights",
        location="Boyle Heights Community Center",
        languages=["en", "es"],
        starts_on=timezone.localdate(),
    )
    event.workers.add(worker)
    browser.set_window_size(*DESKTOP)

    sign_in_with_second_factor(browser, live_server, worker)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Choose your event"
    axe_check(browser)
    record(browser)  # the only event open today is already chosen

    assert browser.find_element(By.TAG_NAME, "h1").text == "New walk-in"
    axe_check(browser)
    enter_walkin(
        browser,
        first="Maria",
        last="Hernandez",
        born=datetime.date(1975, 4, 12),
        email="maria@example.org",
        id_kind="consular_id",
    )
    assert "recorded" in browser.find_element(By.ID, "main-content").text
    enter_walkin(browser, first="Rosa", last="Quintanilla", born=datetime.date(1968, 9, 3))
    maria = Lookup.objects.get(last_name="Hernandez")
    rosa = Lookup.objects.get(last_name="Quintanilla")
    assert (rosa.email, rosa.phone) == ("", "")

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Walk-ins"))
    axe_check(browser)
    rows = {
        row.get_attribute("data-reference"): row.text
        for row in browser.find_elements(By.CSS_SELECTOR, "#walkins tbody tr")
    }
    assert "Dismissal found" in rows[maria.reference] or "dismissal found" in rows[maria.reference]
    assert "ID not checked: answer hidden" in rows[rosa.reference]

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, rosa.reference))
    other = browser.find_element(By.ID, "main-content").text
    assert "only once you have checked" in other and "not found" not in other.lower()
    axe_check(browser)

    browser.back()
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, maria.reference))
    axe_check(browser)
    cases = browser.find_element(By.ID, "walkin-cases").text
    assert "BA123456" in cases and "6CJ00651" in cases

    click_and_wait(
        browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Printable letter (Español)")
    )
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    letter = browser.find_element(By.ID, "main-content").text
    assert "BA123456" in letter and "11361.8" in letter
    axe_check(browser)

    pdf_url = browser.find_element(By.ID, "letter-pdf-link").get_attribute("href")
    cookies = {cookie["name"]: cookie["value"] for cookie in browser.get_cookies()}
    pdf = requests.get(pdf_url, cookies=cookies, timeout=30)
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "BA123456" in text and "Maria Hernandez" in text
