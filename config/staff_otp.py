"""Staff second factors: one login error for every failure, device admins that never show a
secret, and the page where a staff member enrols their own authenticator app.

A staff member's first sign-in, before they have an authenticator, uses a one-time code that an
administrator issues with `manage.py addstatictoken <user>`; the enrol page then creates their
TOTP device and confirms it with a code from the app.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.actions import Action
from audit.admin import audit_view

LOGIN_FAILED_MESSAGE = _(
    "The username, password or code is not right, or this account may not use the staff site. "
    "Check them and try again."
)


class StaffLoginForm(OTPAdminAuthenticationForm):
    """The OTP login form with one message whichever check failed.

    django-otp says "Please enter your OTP token" once the password is right, which tells anyone
    guessing passwords when they found one. A failure after a right password is also reported
    as a failed login, so that django-axes counts code guesses as it counts password guesses.
    """

    def _chosen_device(self, user):
        # No device list to choose from: showing one only after a right password would say it
        # was right. The code's form picks the device: six digits come from the authenticator
        # app, anything else is a one-time code. Only that one device records a failure.
        token = "".join(str(self.cleaned_data.get("otp_token") or "").split())
        kind = (
            TOTPDevice
            if (len(token) == 6 and token.isascii() and token.isdigit())
            else StaticDevice
        )
        return kind.objects.filter(user=user, confirmed=True).order_by("pk").first()

    def _update_form(self, user):
        # django-otp keeps the password in the page after a right one: that would say so too.
        pass

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if self.user_cache is not None:
                user_login_failed.send(
                    sender=type(self),
                    credentials={"username": self.cleaned_data.get("username", "")},
                    request=self.request,
                )
                self.user_cache = None
            raise ValidationError(LOGIN_FAILED_MESSAGE, code="invalid_login") from None


def lockout_response(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE), in our words."""
    minutes = settings.STAFF_LOCKOUT_MINUTES
    context = {"lockout_minutes": minutes, "site_title": _("Relief Check staff")}
    # Returned by middleware, so rendered here (no view response would render it later).
    return render(request, "admin/locked_out.html", context, status=429)


# --- Devices in the admin: never a key, a QR code or a token -----------------


class DeviceAdmin(admin.ModelAdmin):
    """A second-factor device: listed, renamed or switched off (unconfirmed); its secret key,
    QR code and codes are never shown, to superusers neither, and none is added here: staff
    enrol their own authenticator (otp_enrol_view), one-time codes come from
    `manage.py addstatictoken`."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = ("user", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        return False


DEVICE_ADMINS = {TOTPDevice: DeviceAdmin, StaticDevice: DeviceAdmin}


# --- Enrolment -------------------------------------------------------------


class DeviceConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Enter the 6-digit code your app shows.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit()):
            raise ValidationError(_("Enter the 6-digit code your app shows, digits only."))
        return code


def qr_svg(text: str) -> str:
    """An inline SVG QR code of `text` (the otpauth:// address); nothing leaves the server."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@never_cache
def otp_enrol_view(request: HttpRequest, *, site) -> HttpResponse:
    """A signed-in staff member without an authenticator creates one and confirms it."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        messages.info(request, _("You already have an authenticator app set up."))
        return HttpResponseRedirect(reverse("admin:index"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
        audit_view(
            request, device, action=Action.OTP_DEVICE_CREATED, summary="Authenticator created"
        )
    form = DeviceConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _extra = device.verify_is_allowed()
        if not allowed:
            # django-otp makes each try after a wrong code wait longer.
            form.add_error("code", _("Wait a few seconds, then enter the newest code."))
        elif device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_view(
                request,
                device,
                action=Action.OTP_DEVICE_CONFIRMED,
                summary="Authenticator confirmed by its owner",
            )
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return HttpResponseRedirect(reverse("admin:index"))
        form.add_error(
            "code",
            _("That code is not right. Check the time on your phone and enter the newest code."),
        )
    context = {
        **site.each_context(request),
        "title": _("Set up your authenticator app"),
        "form": form,
        "qr_svg": mark_safe(qr_svg(device.config_url)),  # noqa: S308 - made here, no user text
        "manual_key": base64.b32encode(device.bin_key).decode(),
    }
    return TemplateResponse(request, "admin/otp_enrol.html", context)
