"""Staff see anonymous counts of determinations per day and per week; nobody edits them."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eligibility.models import DeterminationCount
from eligibility.rules import OUTCOME_LABELS
from eligibility.selectors import OUTCOME_ORDER, determinations_per_week

WEEKS_SHOWN = 12


@admin.register(DeterminationCount)
class DeterminationCountAdmin(admin.ModelAdmin):
    list_display = ("day", "outcome", "count")
    list_filter = ("outcome",)
    date_hierarchy = "day"
    ordering = ("-day", "outcome")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        context = {
            "weeks": determinations_per_week(weeks=WEEKS_SHOWN, today=timezone.localdate()),
            "outcome_labels": [OUTCOME_LABELS[outcome] for outcome in OUTCOME_ORDER],
            "weeks_title": _("Determinations per week, last %(weeks)s weeks")
            % {"weeks": WEEKS_SHOWN},
        }
        return super().changelist_view(request, {**context, **(extra_context or {})})
