"""Staff roles: each group can do its job and nothing else; a second factor when required."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from screener.models import Lookup
from screener.review import review_decide
from screener.roles import DATA_ADMINISTRATOR, OUTREACH_WORKER, REVIEWER, ROLE_PERMISSIONS
from tests.screener.reviewing import PASSWORD, flagged, staff

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
IMPORT_URL = "/staff/cases/importrun/add/"
QUEUE_URL = "/staff/screener/reviewqueueitem/"
LOOKUPS_URL = "/staff/screener/lookup/"
AUDIT_URL = "/staff/audit/auditlog/"


def test_the_migration_creates_each_role_with_exactly_its_permissions():
    for name, expected in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(expected), name


def test_no_role_may_touch_the_audit_log_beyond_reading_it():
    for perms in ROLE_PERMISSIONS.values():
        assert not {"audit.add_auditlog", "audit.change_auditlog"} & set(perms)
        assert "audit.delete_auditlog" not in perms


def test_only_reviewers_may_decide():
    holders = [
        name for name, perms in ROLE_PERMISSIONS.items() if "screener.decide_lookup" in perms
    ]
    assert holders == [REVIEWER]


@pytest.mark.parametrize(
    ("role", "url", "allowed"),
    [
        (REVIEWER, IMPORT_URL, False),
        (REVIEWER, QUEUE_URL, True),
        (REVIEWER, LOOKUPS_URL, True),
        (REVIEWER, AUDIT_URL, False),
        (REVIEWER, "/staff/screener/notification/", True),
        (OUTREACH_WORKER, QUEUE_URL, False),
        (OUTREACH_WORKER, IMPORT_URL, False),
        (OUTREACH_WORKER, LOOKUPS_URL, True),
        (OUTREACH_WORKER, "/staff/cases/case/", False),
        (OUTREACH_WORKER, "/staff/dashboard/", False),
        (DATA_ADMINISTRATOR, IMPORT_URL, True),
        (DATA_ADMINISTRATOR, "/staff/cases/case/", True),
        (DATA_ADMINISTRATOR, AUDIT_URL, True),
        (DATA_ADMINISTRATOR, "/staff/dashboard/", True),
        (DATA_ADMINISTRATOR, QUEUE_URL, False),
        (DATA_ADMINISTRATOR, LOOKUPS_URL, False),
    ],
)
def test_each_role_reaches_its_own_pages_only(client, role, url, allowed):
    client.force_login(staff("someone", role))
    status = client.get(url).status_code
    assert (status == 200) is allowed, (role, url, status)


def test_a_reviewer_cannot_start_an_import(client, reviewer, tmp_path):
    client.force_login(reviewer)
    upload = tmp_path / "extract.csv"
    upload.write_text("case_number,last_name\n")
    with upload.open("rb") as handle:
        response = client.post(IMPORT_URL, {"upload": handle, "column_map_text": ""})
    assert response.status_code == 403


def test_an_outreach_worker_cannot_decide_even_a_lookup_they_recorded(
    client, jesus_cases, outreach_worker
):
    lookup = flagged(submitted_by=outreach_worker)
    client.force_login(outreach_worker)

    response = client.post(
        reverse("admin:screener_reviewqueueitem_review", args=[lookup.pk]),
        {"decision": "reject", "reason": "not them"},
    )

    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        review_decide(lookup_id=lookup.pk, reviewer=outreach_worker, decision="reject", reason="x")
    lookup.refresh_from_db()
    assert lookup.status == Lookup.Status.NEEDS_REVIEW


def test_people_who_are_not_staff_never_reach_the_admin(client, django_user_model):
    user = django_user_model.objects.create_user("resident", password=PASSWORD)
    user.groups.set(Group.objects.filter(name=REVIEWER))
    client.force_login(user)
    assert client.get(QUEUE_URL).status_code == 302


# --- Second factor ----------------------------------------------------------


def login(client, username: str, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORD, "next": "/staff/", **extra},
    )


def test_without_the_otp_setting_a_password_is_enough(client, reviewer, settings):
    settings.STAFF_REQUIRE_OTP = False
    response = login(client, reviewer.username)
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_with_the_otp_setting_staff_need_a_verified_device(client, reviewer, settings):
    settings.STAFF_REQUIRE_OTP = True
    # django-otp slows down retries after a wrong token; this test retries at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)

    client.force_login(reviewer)  # a password session alone
    assert client.get("/staff/").status_code == 302
    page = client.get(reverse("admin:login"))
    assert 'name="otp_token"' in page.content.decode()

    refused = login(client, reviewer.username, otp_token="000000", otp_device=device.persistent_id)
    assert refused.status_code == 200
    assert client.get("/staff/").status_code == 302

    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    accepted = login(
        client, reviewer.username, otp_token=f"{token:06d}", otp_device=device.persistent_id
    )
    assert accepted.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert client.get(QUEUE_URL).status_code == 200


def test_production_requires_the_second_factor_unless_switched_off():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DATABASE_URL="postgres://relief:pw@db.internal:5432/reliefcheck",
        REDIS_URL="redis://cache.internal:6379/0",
        ALLOWED_HOSTS="reliefcheck.example",
        SECRET_KEY="a-real-secret-from-the-environment",
        SERVICE_OPERATOR="Los Angeles County Public Defender",
        SERVICE_OPERATOR_EMAIL="reliefcheck@pubdef.example.gov",
        SITE_URL="https://reliefcheck.example",
        EMAIL_URL="smtp://smtp.internal:587",
        SMS_BACKEND="screener.sms.TwilioSMSBackend",
    )
    env.pop("STAFF_REQUIRE_OTP", None)
    code = "import json, config.settings.production as s; print(json.dumps(s.STAFF_REQUIRE_OTP))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) is True


def test_the_first_login_with_otp_required_uses_a_one_time_code(client, superuser, settings):
    settings.STAFF_REQUIRE_OTP = True
    out = io.StringIO()
    call_command("addstatictoken", superuser.username, stdout=out)
    code = out.getvalue().strip()
    device = StaticDevice.objects.get(user=superuser).persistent_id

    assert login(client, superuser.username, otp_token=code, otp_device=device).status_code == 302
    assert client.get("/staff/").status_code == 200
    # Spent: the same code does not open a second session.
    client.logout()
    assert login(client, superuser.username, otp_token=code, otp_device=device).status_code == 200
