"""/verify/ in a real browser, in English and Spanish, at 320 px, axe-clean: a right code, a
wrong one; and the print stylesheet (header, menu and buttons left out, no URLs after links)."""

import pytest
from selenium.webdriver.common.by import By

from screener.models import Lookup
from screener.verification import code_display, letter_verification_issue
from tests.browser.conftest import NARROW, axe_check, click_and_wait, page_overflows_horizontally
from tests.screener.public_flow import cases_load, lookup_form_data, verified_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "heading": "Check a result letter",
        "found": "which reported that a dismissal was found",
        "unknown": "We have no letter with this code",
    },
    "es": {
        "heading": "Comprobar una carta de resultado",
        "found": "que informó que se encontró una desestimación",
        "unknown": "No tenemos ninguna carta con este código",
    },
}


def check_code(driver, code: str) -> None:
    field = driver.find_element(By.ID, "id_code")
    field.clear()
    field.send_keys(code)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_someone_shown_a_letter_confirms_it_on_the_verify_page(browser, live_server, language):
    cases_load()
    verified_client(lookup_form_data())
    lookup = Lookup.objects.get()
    code = code_display(letter_verification_issue(lookup=lookup).code)
    words = WORDS[language]
    browser.set_window_size(*NARROW)
    browser.get(f"{live_server.url}/verify/")
    browser.add_cookie({"name": "django_language", "value": language})
    browser.get(f"{live_server.url}/verify/")
    assert browser.find_element(By.TAG_NAME, "h1").text == words["heading"]
    axe_check(browser)

    check_code(browser, "ACDE-FGHJ-KMNP-QRTU")
    assert words["unknown"] in browser.find_element(By.ID, "form-feedback").text
    axe_check(browser)

    check_code(browser, code.lower())
    feedback = browser.find_element(By.ID, "form-feedback").text
    assert words["found"] in feedback and lookup.reference in feedback
    assert "Hern" not in browser.page_source and "BA123456" not in browser.page_source
    assert not page_overflows_horizontally(browser)
    axe_check(browser)


def test_the_print_stylesheet_leaves_out_the_site_around_the_page(browser, live_server):
    browser.get(f"{live_server.url}/verify/")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for selector in ("header.rc-header", "footer", "nav", "main form button"):
            assert not browser.find_element(By.CSS_SELECTOR, selector).is_displayed(), selector
        after = browser.execute_script(
            "const link = document.querySelector('main a[href], a[href^=\"http\"]');"
            "return link ? getComputedStyle(link, '::after').content : 'none';"
        )
        assert after in ("none", "normal")
        color = browser.execute_script("return getComputedStyle(document.body).color;")
        assert color == "rgb(0, 0, 0)"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
