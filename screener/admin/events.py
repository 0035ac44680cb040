"""Outreach events: staff set them up and assign the outreach workers who may enter walk-ins."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from screener.models import OutreachEvent
from screener.roles import OUTREACH_WORKER


@admin.register(OutreachEvent)
class OutreachEventAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "location", "partner", "active", "report")
    list_filter = ("active",)
    search_fields = ("name", "location", "partner")
    filter_horizontal = ("workers",)
    fields = (
        "name",
        ("starts_on", "ends_on"),
        "location",
        "address",
        "partner",
        "languages",
        "active",
        "workers",
    )

    def get_queryset(self, request):
        events = super().get_queryset(request)
        if request.user.has_perm("screener.view_all_lookups"):
            return events
        return events.filter(workers=request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "workers":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, is_staff=True, groups__name=OUTREACH_WORKER)
                .distinct()
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Lookups point at their event (PROTECT): an event with walk-ins is closed, not deleted.
        return False

    @admin.display(description=_("report"))
    def report(self, event: OutreachEvent) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:outreach_report", args=[event.pk]), _("report")
        )
