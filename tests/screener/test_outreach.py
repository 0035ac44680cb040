"""Outreach worker mode: events, assisted intake, quotas, what a worker may see, letters, report."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.test.utils import override_settings
from django.utils import timezone
from pypdf import PdfReader

from audit.actions import Action
from audit.models import AuditLog
from screener.models import IdentityProof, Lookup, OutreachEvent
from screener.outreach.forms import intake_token_new
from screener.outreach.quotas import QuotaUse, quota_message
from screener.roles import OUTREACH_WORKER
from tests.screener.public_flow import cases_load, lookup_form_data, nobody_form_data
from tests.screener.reviewing import staff

pytestmark = pytest.mark.django_db


def event_for(*workers, name="Week of Action: Boyle Heights", **fields) -> OutreachEvent:
    today = timezone.localdate()
    fields = {
        "location": "Boyle Heights Community Center",
        "partner": "Homeboy Industries",
        "languages": ["es", "en"],
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=1),
        **fields,
    }
    event = OutreachEvent.objects.create(name=name, **fields)
    event.workers.add(*workers)
    return event


class CommittingClient(Client):
    """Inside a test's transaction nothing commits: run on_commit work (the check) per request."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def signed_in(user) -> Client:
    client = CommittingClient()
    client.force_login(user)
    return client


def working(client: Client, event: OutreachEvent) -> Client:
    response = client.post("/staff/outreach/", {"event": str(event.pk)})
    assert response.status_code == 303 and response["Location"] == "/staff/outreach/intake/"
    return client


def walkin_data(base=None, **overrides) -> dict[str, str]:
    data = dict(base or lookup_form_data())
    data.pop("is_self", None)
    data.pop("website", None)
    data.update(
        {
            "person_consented": "on",
            "intake_token": intake_token_new(),
            "id_checked": "",
            "id_kind": "",
        }
    )
    data.update(overrides)
    return data


def no_contact(**overrides) -> dict[str, str]:
    return walkin_data(nobody_form_data(email="", phone="", consent_to_contact=""), **overrides)


@pytest.fixture
def worker():
    return staff("olga.outreach", OUTREACH_WORKER)


@pytest.fixture
def event(worker):
    cases_load()
    return event_for(worker)


# --- Events -----------------------------------------------------------------------------------


def test_a_worker_sees_only_the_events_open_for_them_today(worker, event):
    today = timezone.localdate()
    event_for(
        worker,
        name="Last month's event",
        starts_on=today - datetime.timedelta(40),
        ends_on=today - datetime.timedelta(39),
    )
    event_for(name="Someone else's event")
    event_for(worker, name="Closed event", active=False)
    page = signed_in(worker).get("/staff/outreach/").content.decode()
    assert event.name in page
    for other in ("Last month", "Someone else", "Closed event"):
        assert other not in page


def test_a_worker_cannot_choose_an_event_they_are_not_assigned_to(worker, event):
    other = event_for(name="Someone else's event")
    client = signed_in(worker)
    response = client.post("/staff/outreach/", {"event": str(other.pk)})
    assert response["Location"] == "/staff/outreach/"
    assert client.get("/staff/outreach/intake/")["Location"] == "/staff/outreach/"


def test_the_outreach_pages_need_a_staff_sign_in():
    response = Client().get("/staff/outreach/intake/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


def test_a_reviewer_without_the_outreach_role_cannot_enter_walk_ins(reviewer):
    assert signed_in(reviewer).get("/staff/outreach/").status_code == 403


# --- Intake -----------------------------------------------------------------------------------


def test_the_same_token_twice_makes_one_lookup(worker, event):
    client = working(signed_in(worker), event)
    data = walkin_data()
    first = client.post("/staff/outreach/intake/", data)
    again = client.post("/staff/outreach/intake/", data)
    assert first.status_code == again.status_code == 303
    assert Lookup.objects.filter(intake_token=data["intake_token"]).count() == 1
    assert Lookup.objects.count() == 1
    entered = AuditLog.objects.filter(action=Action.OUTREACH_WALKIN_ENTERED)
    assert entered.count() == 1


def test_two_walk_ins_with_different_tokens_are_two_lookups(worker, event):
    client = working(signed_in(worker), event)
    client.post("/staff/outreach/intake/", walkin_data())
    client.post("/staff/outreach/intake/", no_contact())
    assert Lookup.objects.filter(channel=Lookup.Channel.OUTREACH, event=event).count() == 2


def test_a_walk_in_with_neither_email_nor_phone_is_recorded_and_nobody_is_messaged(worker, event):
    client = working(signed_in(worker), event)
    mail.outbox.clear()
    assert client.post("/staff/outreach/intake/", no_contact()).status_code == 303
    lookup = Lookup.objects.get()
    assert (lookup.email, lookup.phone) == ("", "")
    assert lookup.submitted_by == worker and lookup.event == event
    assert lookup.status == Lookup.Status.NOT_FOUND  # checked (eager tasks in tests)
    assert not lookup.notifications.exists()
    assert mail.outbox == []


def test_errors_keep_what_was_typed_and_name_the_problem(worker, event):
    client = working(signed_in(worker), event)
    data = walkin_data(person_consented="", id_checked="on", date_of_birth_year="19")
    response = client.post("/staff/outreach/intake/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="María"' in page and 'value="Hernández"' in page
    assert data["intake_token"] in page  # the retry keeps the same token
    assert "Ask the person for their consent" in page
    assert "Choose the kind of photo ID you checked." in page
    assert not Lookup.objects.exists()


def test_a_contact_without_consent_to_contact_is_refused(worker, event):
    client = working(signed_in(worker), event)
    response = client.post("/staff/outreach/intake/", walkin_data(consent_to_contact=""))
    assert response.status_code == 400
    assert "Ask whether we may email or text them" in response.content.decode()


def test_the_intake_form_is_in_spanish_for_a_spanish_speaking_worker(worker, event):
    client = working(signed_in(worker), event)
    page = client.get("/staff/outreach/intake/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Nueva persona" in page and "Registrar a esta persona" in page
    assert "autofocus" in page


# --- Limits -----------------------------------------------------------------------------------


@override_settings(SUBMIT_RATE_PER_IP="2/h")
def test_the_public_per_address_limit_does_not_apply_to_the_signed_in_intake(worker, event):
    client = working(signed_in(worker), event)
    for n in range(4):
        data = no_contact(first_name=f"Rosa{'a' * n}")
        assert client.post("/staff/outreach/intake/", data).status_code == 303
    assert Lookup.objects.count() == 4


@override_settings(OUTREACH_WORKER_DAILY_QUOTA=2)
def test_a_workers_daily_quota_stops_the_next_walk_in_with_a_clear_message(worker, event):
    client = working(signed_in(worker), event)
    client.post("/staff/outreach/intake/", no_contact())
    client.post("/staff/outreach/intake/", no_contact(first_name="Lucia"))
    refused = client.post("/staff/outreach/intake/", no_contact(first_name="Elena"))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "You have entered 2 walk-ins today" in page and 'value="Elena"' in page
    assert Lookup.objects.count() == 2


@override_settings(OUTREACH_EVENT_DAILY_QUOTA=1)
def test_an_events_daily_quota_counts_every_worker(worker, event):
    second = staff("omar.outreach", OUTREACH_WORKER)
    event.workers.add(second)
    working(signed_in(worker), event).post("/staff/outreach/intake/", no_contact())
    refused = working(signed_in(second), event).post(
        "/staff/outreach/intake/", no_contact(first_name="Lucia")
    )
    assert refused.status_code == 429
    assert "This event has had 1 walk-ins today" in refused.content.decode()


@pytest.mark.parametrize(
    ("use", "says"),
    [
        (QuotaUse(0, 0, 300, 1000), ""),
        (QuotaUse(299, 999, 300, 1000), ""),
        (QuotaUse(300, 10, 300, 1000), "You have entered 300 walk-ins today"),
        (QuotaUse(10, 1000, 300, 1000), "This event has had 1000 walk-ins today"),
        (QuotaUse(300, 1000, 300, 1000), "You have entered 300"),
    ],
)
def test_quota_message(use, says):
    message = quota_message(use)
    assert (message == "") if not says else (says in message)


# --- What a worker sees -------------------------------------------------------------------------


def test_details_are_shown_only_after_an_id_check(worker, event):
    client = working(signed_in(worker), event)
    client.post("/staff/outreach/intake/", walkin_data())
    lookup = Lookup.objects.get()
    assert lookup.status == Lookup.Status.MATCHED
    before = client.get(f"/staff/outreach/walk-ins/{lookup.pk}/").content.decode()
    assert "BA123456" not in before and "HS 11357" not in before
    assert "Dismissal found" not in before and "dismissal found" not in before
    listing = client.get("/staff/outreach/walk-ins/").content.decode()
    assert "ID not checked: answer hidden" in listing and "dismissal found" not in listing
    assert client.get(f"/staff/outreach/walk-ins/{lookup.pk}/letter/").status_code == 404

    checked = client.post(
        f"/staff/outreach/walk-ins/{lookup.pk}/",
        {"id_kind": IdentityProof.IdKind.CONSULAR_ID, "confirmed": "on"},
    )
    assert checked.status_code == 303
    after = client.get(f"/staff/outreach/walk-ins/{lookup.pk}/").content.decode()
    assert "BA123456" in after and "6CJ00651" in after and "HS 11357(a)" in after
    assert AuditLog.objects.filter(
        action=Action.LOOKUP_IDENTITY_CHECKED, object_id=str(lookup.pk), actor=worker
    ).exists()
    assert AuditLog.objects.filter(action=Action.OUTREACH_WALKIN_VIEWED).exists()


def test_an_id_checked_at_intake_shows_the_answer_straight_away(worker, event):
    client = working(signed_in(worker), event)
    client.post(
        "/staff/outreach/intake/",
        walkin_data(id_checked="on", id_kind=IdentityProof.IdKind.DRIVER_LICENSE),
    )
    lookup = Lookup.objects.get()
    proof = lookup.identity_proofs.get()
    assert (proof.method, proof.id_kind) == ("in_person", "driver_license")
    assert "BA123456" in client.get(f"/staff/outreach/walk-ins/{lookup.pk}/").content.decode()


def test_a_worker_sees_only_the_walk_ins_of_their_own_events(worker, event):
    working(signed_in(worker), event).post("/staff/outreach/intake/", walkin_data())
    lookup = Lookup.objects.get()
    stranger = staff("otto.outreach", OUTREACH_WORKER)
    elsewhere = event_for(stranger, name="Another event")
    client = working(signed_in(stranger), elsewhere)
    assert client.get(f"/staff/outreach/walk-ins/{lookup.pk}/").status_code == 404
    assert client.get(f"/staff/outreach/walk-ins/{lookup.pk}/letter.pdf").status_code == 404
    assert client.get(f"/staff/outreach/walk-ins/?event={event.pk}").status_code == 404
    assert lookup.reference not in client.get("/staff/outreach/walk-ins/").content.decode()
    assert client.get(f"/staff/outreach/events/{event.pk}/report/").status_code == 404


def test_the_walk_in_list_refreshes_itself_and_has_a_manual_refresh(worker, event):
    client = working(signed_in(worker), event)
    client.post("/staff/outreach/intake/", no_contact())
    page = client.get("/staff/outreach/walk-ins/").content.decode()
    assert 'data-refresh-seconds="20"' in page and "js/outreach" in page
    assert "http-equiv" not in page  # a timed reload fails WCAG 2.2.1: the script has a stop
    assert 'id="refresh-link"' in page
    assert Lookup.objects.get().reference in page


# --- Letters ------------------------------------------------------------------------------------


def checked_walkin(client, base) -> Lookup:
    client.post(
        "/staff/outreach/intake/",
        walkin_data(base, id_checked="on", id_kind=IdentityProof.IdKind.STATE_ID),
    )
    return Lookup.objects.latest("created_at")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_letter_for_a_match_lists_the_cases_in_each_language(worker, event, language):
    client = working(signed_in(worker), event)
    lookup = checked_walkin(client, lookup_form_data())
    page = client.get(f"/staff/outreach/walk-ins/{lookup.pk}/letter/?lang={language}")
    text = page.content.decode()
    assert page.status_code == 200 and f'lang="{language}"' in text
    assert "BA123456" in text and "11361.8" in text
    pdf = client.get(f"/staff/outreach/walk-ins/{lookup.pk}/letter.pdf?lang={language}")
    assert pdf["Content-Type"] == "application/pdf"
    extracted = pdf_text(pdf.content)
    assert "María Elena Hernández" in extracted
    assert "BA123456" in extracted
    assert ("Verification" in extracted) if language == "en" else ("verificación" in extracted)
    assert AuditLog.objects.filter(action=Action.LETTER_ISSUED, actor=worker).count() == 2
    assert AuditLog.objects.filter(action=Action.LETTER_DOWNLOADED, actor=worker).count() == 1


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_letter_for_no_match_gives_the_next_steps(worker, event, language):
    client = working(signed_in(worker), event)
    lookup = checked_walkin(client, nobody_form_data(email="", consent_to_contact=""))
    assert lookup.status == Lookup.Status.NOT_FOUND
    pdf = client.get(f"/staff/outreach/walk-ins/{lookup.pk}/letter.pdf?lang={language}")
    extracted = pdf_text(pdf.content)
    assert "CR-400" in extracted and "Quintanilla".upper() in extracted.upper()
    assert "BA123456" not in extracted


def test_the_letters_verification_code_confirms_it_on_the_public_page(worker, event):
    client = working(signed_in(worker), event)
    lookup = checked_walkin(client, lookup_form_data())
    client.get(f"/staff/outreach/walk-ins/{lookup.pk}/letter/")
    code = lookup.letter_verifications.get().code
    page = Client().post("/verify/", {"code": code.lower()}).content.decode()
    assert lookup.reference in page and "BA123456" not in page and "Hernández" not in page


# --- Report ---------------------------------------------------------------------------------------


def test_the_event_report_counts_people_outcomes_letters_languages_and_id_checks(worker, event):
    client = working(signed_in(worker), event)
    lookup = checked_walkin(client, lookup_form_data())
    client.get(f"/staff/outreach/walk-ins/{lookup.pk}/letter.pdf")
    client.post("/staff/outreach/intake/", no_contact(language="es"))
    coordinator = staff("rita.reviewer", "Reviewer")
    response = signed_in(coordinator).get(f"/staff/outreach/events/{event.pk}/report/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = dict(csv.reader(io.StringIO(response.content.decode())))
    assert rows["People seen"] == "2"
    assert rows["Outcome: dismissal found"] == "1" and rows["Outcome: not found"] == "1"
    assert rows["Letters printed or downloaded"] == "2"  # the PDF: issued and downloaded
    assert rows["Photo IDs checked in person"] == "1"
    assert rows["Language: en"] == "1" and rows["Language: es"] == "1"
    assert "Hernández" not in response.content.decode()
    assert AuditLog.objects.filter(action=Action.OUTREACH_REPORT_DOWNLOADED).exists()


def test_the_report_csv_writes_a_formula_looking_value_as_text(worker):
    cases_load()
    event = event_for(worker, name='=HYPERLINK("http://evil")', partner="+SUM(A1)")
    coordinator = staff("rita.reviewer", "Reviewer")
    body = signed_in(coordinator).get(f"/staff/outreach/events/{event.pk}/report/?format=csv")
    rows = dict(csv.reader(io.StringIO(body.content.decode())))
    assert rows["Event"].startswith("'=") and rows["Organising partner"].startswith("'+")


def test_someone_who_asked_on_the_website_or_elsewhere_is_a_new_walk_in_at_this_event(
    worker, event
):
    from tests.screener.public_flow import post_lookup

    post_lookup(Client(), lookup_form_data())
    web = Lookup.objects.get()
    client = working(signed_in(worker), event)
    client.post("/staff/outreach/intake/", walkin_data())
    walkin = Lookup.objects.exclude(pk=web.pk).get()
    assert walkin.channel == Lookup.Channel.OUTREACH and walkin.event == event
    # The same person entered again at the same event (a new form, a new token) is not doubled.
    client.post("/staff/outreach/intake/", walkin_data())
    assert Lookup.objects.count() == 2
