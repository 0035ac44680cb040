from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", admin.site.urls),
    path("notifications/", include("screener.notification_urls")),
    path("eligibility/", include("eligibility.urls")),
    path("", include("screener.urls")),
]

handler500 = "config.errors.server_error"
