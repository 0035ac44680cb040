"""Staff read anonymous counts of determinations per week and per day; nobody edits them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from eligibility.services import determinations_count
from screener.roles import DATA_ADMINISTRATOR, OUTREACH_WORKER, REVIEWER
from tests.screener.reviewing import staff

pytestmark = pytest.mark.django_db

URL = "/staff/eligibility/determinationcount/"


@pytest.mark.parametrize(
    ("role", "allowed"), [(REVIEWER, True), (DATA_ADMINISTRATOR, True), (OUTREACH_WORKER, False)]
)
def test_reviewers_and_data_administrators_read_the_counts(client, role, allowed):
    client.force_login(staff(f"someone-{role}", role))
    assert (client.get(URL).status_code == 200) is allowed


def test_the_counts_page_shows_each_week_and_day_and_offers_no_change(client):
    today = timezone.localdate()
    determinations_count(outcomes=["dismiss", "dismiss", "hand_review"], day=today)
    determinations_count(outcomes=["dismiss"], day=today)
    determinations_count(outcomes=["not_eligible"], day=today - timedelta(weeks=1))
    client.force_login(staff("reviewer", REVIEWER))
    page = client.get(URL).content.decode()
    assert "Determinations per week, last 12 weeks" in page
    monday = today - timedelta(days=today.weekday())
    row = page.split(f'<th scope="row">{date_format(monday)}</th>')[1]
    cells = row.split("</tr>")[0]
    # dismiss, not eligible, hand review, city attorney, total
    assert cells.count("<td>") == 5
    assert "<td>3</td><td>0</td><td>1</td><td>0</td><td>4</td>" in cells
    assert "Likely to be dismissed" in page
    assert f"{URL}add/" not in page
    assert client.post(f"{URL}add/", {}).status_code == 403
