"""The public pages work under their Content Security Policy: Chromium reports no violation."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(browser):
    # Installed before any page script runs, through DevTools (not subject to the page's policy).
    script = browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS}
    )
    yield browser
    browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", script)


def violations(driver) -> list[str]:
    return driver.execute_script("return window.__cspViolations || [];")


@pytest.mark.parametrize("path", ["/", "/check/", "/status/", "/eligibility/"])
def test_public_pages_load_everything_they_need_under_the_policy(watched, live_server, path):
    watched.get(f"{live_server.url}{path}")
    assert watched.find_element(By.TAG_NAME, "h1").text
    assert violations(watched) == []


def test_a_form_with_errors_and_the_language_switch_stay_within_the_policy(watched, live_server):
    watched.get(f"{live_server.url}/check/")
    click_and_wait(
        watched, watched.find_element(By.CSS_SELECTOR, "#main-content form button[type=submit]")
    )
    assert violations(watched) == []
    click_and_wait(watched, watched.find_element(By.CSS_SELECTOR, ".rc-language button"))
    assert watched.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    assert violations(watched) == []


def test_an_injected_inline_style_is_refused_and_seen(watched, live_server):
    # What an injected tag would meet, and proof the watcher above sees it.
    watched.get(f"{live_server.url}/")
    watched.execute_script(
        "const s = document.createElement('style'); s.textContent = 'body{color:red}';"
        "document.head.appendChild(s);"
    )
    watched.find_element(By.TAG_NAME, "body")
    assert any(v.startswith("style-src") for v in violations(watched))
