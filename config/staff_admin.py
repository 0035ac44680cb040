"""The staff site at /staff/: Django's admin, a second factor when required, review figures.

With STAFF_REQUIRE_OTP (on in production) only a user verified by an OTP device is let in, as
django-otp's OTPAdminSite does; the setting is read per request so the same site serves both
states. The login form gives one message whichever check failed (config/staff_otp.py); staff
enrol their own authenticator at /staff/otp/enrol/. Every ModelAdmin registered here writes an
audit row for each add, change and delete (audit.admin.AuditedChangesMixin), and the OTP
devices get admins that never show a secret.
"""

from functools import partial

from django.conf import settings
from django.contrib.admin import AdminSite, ModelAdmin
from django.db.models.base import ModelBase
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    site_header = _("Relief Check staff")
    site_title = _("Relief Check staff")
    index_title = _("Staff tools")

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    @property
    def login_form(self):
        from config.staff_otp import StaffLoginForm

        return StaffLoginForm if settings.STAFF_REQUIRE_OTP else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.STAFF_REQUIRE_OTP else None

    def has_permission(self, request) -> bool:
        if settings.STAFF_REQUIRE_OTP:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def register(self, model_or_iterable, admin_class=None, **options):
        from audit.admin import AuditedChangesMixin
        from config.staff_otp import DEVICE_ADMINS

        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            chosen = DEVICE_ADMINS.get(model, admin_class or ModelAdmin)
            if not issubclass(chosen, AuditedChangesMixin):
                chosen = type(
                    chosen.__name__,
                    (AuditedChangesMixin, chosen),
                    {"__module__": chosen.__module__},
                )
            super().register(model, chosen, **options)

    def get_urls(self):
        from config.health import health_details
        from config.staff_otp import otp_enrol_view
        from screener.admin.dashboard import dashboard_view
        from screener.outreach.urls import outreach_urls

        urls = [
            path("dashboard/", self.admin_view(dashboard_view), name="dashboard"),
            path(
                "otp/enrol/", self.admin_view(partial(otp_enrol_view, site=self)), name="otp_enrol"
            ),
            # Which dependency failed: for staff, not for the public /healthz.
            path("health/", self.admin_view(health_details), name="health"),
            *outreach_urls(self.admin_view),
        ]
        return urls + super().get_urls()

    def index(self, request, extra_context=None):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from screener.admin.dashboard import index_context

        needs_device = not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
        return super().index(
            request,
            {**index_context(request), "needs_otp_device": needs_device, **(extra_context or {})},
        )
