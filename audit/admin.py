"""The audit log in the admin (read-only for everyone), audit rows for staff looking at personal
data in other apps' admin pages (AuditedViewsMixin, audit_view), and for every add, change and
delete made in the admin (AuditedChangesMixin, which the staff site gives every ModelAdmin)."""

from dataclasses import dataclass

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from audit.actions import Action
from audit.hashing import search_term_hash
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
    """The actions an AuditedViewsMixin admin records: its object page, history, search and list."""

    viewed: Action
    history_viewed: Action
    searched: Action
    listed: Action


# Query parameters of an admin list that are not filters: search (hashed instead), page, order,
# popup and the admin's own markers.
LIST_NON_FILTER_PARAMS = frozenset(
    {"q", "p", "o", "_popup", "_to_field", "e", "all", "_changelist_filters"}
)


def list_filters(request: HttpRequest) -> dict[str, str]:
    """The filters a list was shown with (status=matched...). Filter values are choices such as
    a status or an event id, not typed text: a search term never gets here."""
    return {
        name: value[:40]
        for name, value in sorted(request.GET.items())
        if name not in LIST_NON_FILTER_PARAMS
    }


def audit_list(request: HttpRequest, *, action: Action, model: type[models.Model]) -> None:
    """Record that a staff member saw a list of `model`, with its filters and search (hashed)."""
    term = request.GET.get("q", "").strip()
    detail: dict = {"filters": list_filters(request)}
    if term:
        detail["search_hash"] = search_term_hash(term)
    audit_record(
        actor=request.user,
        action=action,
        summary=f"{str(model._meta.verbose_name_plural).capitalize()} listed",
        detail=detail,
        ip_address=client_ip(request),
    )


class AuditedListMixin:
    """Records every showing of the list (filters and page included). Set `list_action`."""

    list_action: Action

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit_list(request, action=self.list_action, model=self.model)
        return response


class AuditedViewsMixin(AuditedListMixin):
    """Records who opened an object's page or its history, who saw the list and what they
    searched for (as a keyed hash of the term, never the term).

    Mix into a ModelAdmin before ModelAdmin and set `audit_actions`. The summary names the object
    by id only (a case number or a name must not end up in the audit summary); override
    `audit_label` to name it another way that carries no personal data.
    """

    audit_actions: ViewActions

    @property
    def list_action(self) -> Action:
        return self.audit_actions.listed

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
            # The term itself is personal data: a keyed hash tells the same search again.
            audit_record(
                actor=request.user,
                action=self.audit_actions.searched,
                summary=f"{str(opts.verbose_name_plural).capitalize()} searched",
                detail={"search_hash": search_term_hash(search_term)},
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


def _change_message_fields(message) -> list:
    """The admin's change message without object names: an inline's name (an alias, a token)
    can be personal data or a secret; which fields and which kinds of rows changed is kept."""
    if not isinstance(message, list):
        return []
    kept = []
    for entry in message:
        for verb, facts in entry.items():
            facts = facts if isinstance(facts, dict) else {}
            kept.append({verb: {key: facts[key] for key in ("fields", "name") if key in facts}})
    return kept


class AuditedChangesMixin:
    """Every add, change and delete made in the admin gets an audit row (superusers' too).

    The staff site (config/staff_admin.py) puts this in front of every ModelAdmin it registers,
    so users, groups, permissions and second-factor devices are covered whichever app owns them.
    """

    def _audit_change(self, request, obj, action: Action, message, verb: str) -> None:
        audit_record(
            actor=request.user,
            action=action,
            obj=obj,
            summary=f"{obj._meta.label_lower} #{obj.pk} {verb} in the admin",
            detail={"changes": _change_message_fields(message)},
            ip_address=client_ip(request),
        )

    def log_addition(self, request, obj, message):
        self._audit_change(request, obj, Action.OBJECT_ADDED, message, "added")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit_change(request, obj, Action.OBJECT_CHANGED, message, "changed")
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit_change(request, obj, Action.OBJECT_DELETED, [], "deleted")
        return super().log_deletions(request, queryset)


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
