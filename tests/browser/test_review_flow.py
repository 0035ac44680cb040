"""A reviewer's morning in a real browser: log in, open the oldest flagged lookup, confirm it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from cases.models import Case
from screener.models import Lookup, Notification
from screener.roles import REVIEWER
from tests.browser.conftest import DESKTOP, axe_check, click_and_wait
from tests.screener.reviewing import JESUS_ROWS, PASSWORD, flagged, import_cases, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_confirms_the_oldest_item_and_the_message_reaches_the_outbox(
    browser, live_server
):
    import_cases(JESUS_ROWS)
    oldest = flagged(email="oldest@example.org")
    Lookup.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - timedelta(days=2))
    flagged(email="newer@example.org")
    reviewer = staff("rita.reviewer", REVIEWER)
    browser.set_window_size(*DESKTOP)

    browser.get(f"{live_server.url}/staff/")
    browser.find_element(By.ID, "id_username").send_keys(reviewer.username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    summary = browser.find_element(By.ID, "review-queue-summary").text
    assert "2 lookups waiting for review" in summary

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Open the queue"))
    first_row = browser.find_element(By.CSS_SELECTOR, "#result_list tbody tr:first-child a")
    assert first_row.text == oldest.reference
    click_and_wait(browser, first_row)

    assert oldest.reference in browser.title
    axe_check(browser)
    candidates = browser.find_elements(By.CSS_SELECTOR, "#comparison thead th.candidate")
    assert len(candidates) == 3
    chosen = Case.objects.get(case_number="BA123456")
    browser.find_element(
        By.CSS_SELECTOR, f'input[name="confirmed_case_ids"][value="{chosen.pk}"]'
    ).click()
    browser.find_element(By.CSS_SELECTOR, 'input[name="decision"][value="confirm"]').click()
    browser.find_element(By.ID, "id_reason").send_keys(
        "CII number agrees; the date of birth was typed day first."
    )
    click_and_wait(browser, browser.find_element(By.NAME, "_save"))

    assert (
        f"Lookup {oldest.reference} decided"
        in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    )
    oldest.refresh_from_db()
    assert oldest.status == Lookup.Status.MATCHED

    browser.get(f"{live_server.url}/staff/screener/notification/")
    rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")]
    decided = [row for row in rows if oldest.reference in row and "Review decided" in row]
    assert decided, rows
    assert oldest.notifications.filter(kind=Notification.Kind.REVIEW_DECIDED).exists()
