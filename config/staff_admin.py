"""The staff site at /staff/: Django's admin, a second factor when required, review figures.

With STAFF_REQUIRE_OTP (on in production) only a user verified by an OTP device is let in, as
django-otp's OTPAdminSite does; the setting is read per request so the same site serves both
states. Staff enrol a device through "TOTP devices" in this admin (a superuser adds one for each
person, who scans its QR code).
"""

from django.conf import settings
from django.contrib.admin import AdminSite
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
        return OTPAdminSite.login_form if settings.STAFF_REQUIRE_OTP else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.STAFF_REQUIRE_OTP else None

    def has_permission(self, request) -> bool:
        if settings.STAFF_REQUIRE_OTP:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def get_urls(self):
        from config.health import health_details
        from screener.admin.dashboard import dashboard_view

        urls = [
            path("dashboard/", self.admin_view(dashboard_view), name="dashboard"),
            # Which dependency failed: for staff, not for the public /healthz.
            path("health/", self.admin_view(health_details), name="health"),
        ]
        return urls + super().get_urls()

    def index(self, request, extra_context=None):
        from screener.admin.dashboard import index_context

        return super().index(request, {**index_context(request), **(extra_context or {})})
