"""The audit log in the admin (read-only for everyone), and audit rows for staff looking at
personal data in other apps' admin pages (AuditedViewsMixin, audit_view)."""

from dataclasses import dataclass

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from audit.actions import Action
from audit.models import AuditLog
from audit.request import client_ip
from audit.services import audit_record


def audit_view(request: HttpRequest, obj: models.Model, *, action: Action, summary: str) -> None:
    """Record that the staff member behind `request` did `action` on `obj`."""
    audit_record(
        actor=request.user,
        action=action,
        obj=obj,
        summary=summary,
        ip_address=client_ip(request),
    )


@dataclass(frozen=True)
class ViewActions:
    """The actions an AuditedViewsMixin admin records: its object page, history and search."""

    viewed: Action
    history_viewed: Action
    searched: Action


class AuditedViewsMixin:
    """Records who opened an object's page or its history and who searched the list.

    Mix into a ModelAdmin before ModelAdmin and set `audit_actions`. The summary names the object
    by id only (a case number or a name must not end up in the audit summary); override
    `audit_label` to name it another way that carries no personal data.
    """

    audit_actions: ViewActions

    def audit_label(self, obj: models.Model) -> str:
        return f"{obj._meta.verbose_name} #{obj.pk}"

    def _audit_rendered(self, request, response, *, context_key: str, action: Action, what: str):
        context = getattr(response, "context_data", None) or {}
        obj = context.get(context_key)
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            audit_view(request, obj, action=action, summary=f"{self.audit_label(obj)} {what}")
        return response

    def get_search_results(self, request, queryset, search_term):
        results = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            opts = self.model._meta
            # The term itself is personal data; the row records that a search was made.
            audit_record(
                actor=request.user,
                action=self.audit_actions.searched,
                summary=f"{str(opts.verbose_name_plural).capitalize()} searched",
                ip_address=client_ip(request),
            )
        return results

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._audit_rendered(
            request,
            response,
            context_key="original",
            action=self.audit_actions.viewed,
            what="viewed",
        )

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._audit_rendered(
            request,
            response,
            context_key="object",
            action=self.audit_actions.history_viewed,
            what="history viewed",
        )


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is append-only."""

    list_display = ("created_at", "actor_label", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "action", "object_id")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "summary",
        "detail",
        "ip_address",
    )
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
