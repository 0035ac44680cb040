"""Headless Chromium for the browser tests, and the axe-core accessibility check.

Shared by every browser test: use the `browser` fixture (a fresh cookie jar per test, phone-sized
window) with pytest-django's `live_server`, and call `axe_check(browser)` on each page. Mark tests
`@pytest.mark.browser`; tests/conftest.py skips them when Chromium is not installed (CI sets
REQUIRE_BROWSER=1, which turns the skip into a failure).
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-component-update",
    "--no-first-run",
    "--disable-extensions",
)
# Sizes the public pages must work at: a small phone (WCAG 1.4.10 reflow), a common phone,
# and a laptop.
NARROW = (320, 640)
PHONE = (390, 844)
DESKTOP = (1280, 900)
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def _chromium():
    options = webdriver.ChromeOptions()
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    binary = _chromium_binary()
    if binary:
        options.binary_location = binary
    profile = tempfile.mkdtemp(prefix="reliefcheck-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--lang=en-US")
    options.add_argument(f"--window-size={PHONE[0]},{PHONE[1]}")
    # An explicit driver path: Selenium Manager must not try to download anything.
    driver_path = CHROMEDRIVER if os.path.exists(CHROMEDRIVER) else shutil.which("chromedriver")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(_chromium, live_server):
    """The session's Chromium, phone-sized, with no cookies left from an earlier test."""
    _chromium.set_window_size(*PHONE)
    _chromium.get(f"{live_server.url}/healthz")
    _chromium.delete_all_cookies()
    yield _chromium
    _chromium.delete_all_cookies()


def axe_violations(driver, *, tags: list[str] | None = None) -> list[dict]:
    """Run axe-core on the current page and return its violations for the given rule tags."""
    if not AXE_SCRIPT.exists():
        message = "node_modules/axe-core is missing: run `npm ci` at the repository root."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    if not driver.execute_script("return typeof window.axe !== 'undefined';"):
        driver.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const options = {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]};
        axe.run(document, options)
          .then(result => done(JSON.stringify(result.violations)))
          .catch(error => done(JSON.stringify([{id: "axe-error", help: String(error)}])));
        """,
        tags or WCAG_21_AA_TAGS,
    )
    return json.loads(result)


def axe_check(driver, *, tags: list[str] | None = None) -> None:
    """Fail the test, listing every rule and element, if axe-core finds any WCAG 2.1 A/AA issue."""
    violations = axe_violations(driver, tags=tags)
    if violations:
        lines = [f"axe-core found {len(violations)} violation(s) on {driver.current_url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
            for node in violation.get("nodes", [])[:5]:
                lines.append(
                    f"    {', '.join(node.get('target', []))}: {node.get('failureSummary', '')}"
                )
        pytest.fail("\n".join(lines))


def page_overflows_horizontally(driver) -> bool:
    """True when the page is wider than the window (content cut off or sideways scrolling)."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth;"
    )


def click_and_wait(driver, element, *, timeout: float = 15) -> None:
    """Click something that loads a new page; return once the new page has loaded."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def page_replaced(_driver) -> bool:
        try:
            old_page.get_attribute("lang")
        except StaleElementReferenceException:
            return True
        except WebDriverException:
            # Chromium reports "node does not belong to the document" while the next page
            # replaces this one: the old page is gone as well.
            return True
        return False

    WebDriverWait(driver, timeout).until(page_replaced)
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
