"""Staff sign-in: one message whatever failed, lockout per account and per address, second-factor
secrets never shown in the admin, and staff enrolling their own authenticator."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.actions import Action
from audit.models import AuditLog

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
PASSWORD = "a long staff password 1"
ONE_MESSAGE = "The username, password or code is not right"


@pytest.fixture(autouse=True)
def otp_required(settings):
    settings.STAFF_REQUIRE_OTP = True


def staff_member(username="sam.staff", **extra) -> User:
    return User.objects.create_user(username, password=PASSWORD, is_staff=True, **extra)


def with_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, username, password, token="", ip="10.1.1.1"):
    data = {"username": username, "password": password, "otp_token": token, "otp_device": ""}
    return client.post(f"{LOGIN}?next=/staff/", data, REMOTE_ADDR=ip)


def test_a_right_password_without_its_code_gets_the_same_message_as_a_wrong_password(client):
    with_device(staff_member())
    wrong_password = sign_in(client, "sam.staff", "not it").content.decode()
    right_password = sign_in(client, "sam.staff", PASSWORD).content.decode()
    wrong_code = sign_in(client, "sam.staff", PASSWORD, token="000000").content.decode()
    for page in (wrong_password, right_password, wrong_code):
        assert ONE_MESSAGE in page
        assert "OTP token" not in page and "Invalid token" not in page


def test_the_right_password_and_code_sign_in_and_are_audited(client):
    device = with_device(staff_member())
    response = sign_in(client, "sam.staff", PASSWORD, token=code(device))
    assert response.status_code == 302
    row = AuditLog.objects.get(action=Action.STAFF_LOGGED_IN)
    assert (row.actor_label, row.ip_address) == ("sam.staff", "10.1.1.1")


def test_a_failed_sign_in_is_audited_without_the_name_typed(client):
    with_device(staff_member())
    sign_in(client, "maria.lopez@example.org", "guess")
    sign_in(client, "sam.staff", "guess")
    rows = AuditLog.objects.filter(action=Action.STAFF_LOGIN_FAILED)
    assert rows.count() == 2
    assert "maria" not in str(list(rows.values_list("summary", "detail", "actor_label")))
    assert rows.filter(actor__username="sam.staff").count() == 1


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client):
    device = with_device(staff_member())
    for n in range(5):
        sign_in(client, "sam.staff", f"guess {n}", ip=f"10.0.0.{n}")
    locked = sign_in(client, "sam.staff", PASSWORD, token=code(device), ip="10.0.0.99")
    assert locked.status_code == 429
    assert "too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action=Action.STAFF_LOCKED_OUT).exists()


def test_wrong_codes_after_the_right_password_count_towards_the_lockout(client):
    device = with_device(staff_member())
    for _ in range(5):
        sign_in(client, "sam.staff", PASSWORD, token="123456")
    assert sign_in(client, "sam.staff", PASSWORD, token=code(device)).status_code == 429


def test_one_address_trying_many_accounts_is_locked_out(client):
    device = with_device(staff_member())
    for n in range(5):
        sign_in(client, f"someone{n}", "guess", ip="10.7.7.7")
    assert (
        sign_in(client, "sam.staff", PASSWORD, token=code(device), ip="10.7.7.7").status_code == 429
    )
    other_address = sign_in(client, "sam.staff", PASSWORD, token=code(device), ip="10.8.8.8")
    assert other_address.status_code == 302


@pytest.fixture
def superuser_client(client):
    admin = User.objects.create_superuser("ada.admin", password=PASSWORD)
    client.force_login(admin)
    TOTPDevice.objects.create(user=admin, name="admin phone", confirmed=True)
    return client


def test_superusers_never_see_an_authenticator_key(superuser_client, settings):
    settings.STAFF_REQUIRE_OTP = False
    device = with_device(staff_member())
    change = superuser_client.get(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    ).content.decode()
    listing = superuser_client.get(reverse("admin:otp_totp_totpdevice_changelist")).content
    assert device.key not in change and device.key.encode() not in listing
    assert "otpauth" not in change
    assert superuser_client.get(f"/staff/otp_totp/totpdevice/{device.pk}/config/").status_code in (
        302,
        404,
    )
    assert superuser_client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403


def test_superusers_never_see_one_time_codes(superuser_client, settings):
    settings.STAFF_REQUIRE_OTP = False
    user = staff_member()
    device = StaticDevice.objects.create(user=user, name="backup")
    StaticToken.objects.create(device=device, token="sekrit42")
    page = superuser_client.get(reverse("admin:otp_static_staticdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert "sekrit42" not in page.content.decode()


def test_changing_a_device_in_the_admin_is_audited(superuser_client, settings):
    settings.STAFF_REQUIRE_OTP = False
    device = with_device(staff_member())
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    response = superuser_client.post(url, {"name": "old phone", "confirmed": ""})
    assert response.status_code == 302
    row = AuditLog.objects.get(action=Action.OBJECT_CHANGED)
    assert (row.object_type, row.object_id) == ("otp_totp.totpdevice", str(device.pk))
    assert device.key not in str(row.detail)


def test_staff_without_an_authenticator_enrol_their_own(client, settings):
    settings.STAFF_REQUIRE_OTP = False
    user = staff_member()
    client.force_login(user)
    index = client.get("/staff/").content.decode()
    assert reverse("admin:otp_enrol") in index

    page = client.get(reverse("admin:otp_enrol"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed

    right = client.post(reverse("admin:otp_enrol"), {"code": code(device)})
    assert right.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    actions = set(AuditLog.objects.filter(actor=user).values_list("action", flat=True))
    assert {Action.OTP_DEVICE_CREATED, Action.OTP_DEVICE_CONFIRMED} <= actions
    # Once enrolled, the page makes no second device.
    assert client.get(reverse("admin:otp_enrol")).status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_code_does_not_confirm_the_authenticator(client, settings):
    settings.STAFF_REQUIRE_OTP = False
    user = staff_member()
    client.force_login(user)
    client.get(reverse("admin:otp_enrol"))
    wrong = client.post(reverse("admin:otp_enrol"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=user).confirmed
    again = client.post(reverse("admin:otp_enrol"), {"code": "000000"}).content.decode()
    assert "Wait a few seconds" in again


def test_a_first_sign_in_with_a_one_time_code_leads_to_enrolment(client):
    user = staff_member()
    device = StaticDevice.objects.create(user=user, name="first sign-in")
    StaticToken.objects.create(device=device, token="first123")
    assert sign_in(client, "sam.staff", PASSWORD, token="first123").status_code == 302
    assert client.get(reverse("admin:otp_enrol")).status_code == 200


def test_a_code_typed_with_other_digits_is_refused_clearly(client, settings):
    settings.STAFF_REQUIRE_OTP = False
    client.force_login(staff_member())
    client.get(reverse("admin:otp_enrol"))
    page = client.post(reverse("admin:otp_enrol"), {"code": "１２３４５６"}).content.decode()
    assert "digits only" in page
