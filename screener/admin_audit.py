"""Audit rows for staff looking at personal data in the admin."""

from django.db import models
from django.http import HttpRequest

from screener.audit import audit_record


def request_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as the web server saw it."""
    return request.META.get("REMOTE_ADDR") or None


def audit_view(request: HttpRequest, obj: models.Model, *, action: str, summary: str) -> None:
    audit_record(
        actor=request.user,
        action=action,
        obj=obj,
        summary=summary,
        ip_address=request_ip(request),
    )


class AuditedViewsMixin:
    """Records who opened an object's page or its history ("case.viewed") and who searched.

    Mix into a ModelAdmin before ModelAdmin. The summary names the object by id only (a case
    number or a name must not end up in the audit summary); override `audit_label` to name it
    another way that carries no personal data.
    """

    def audit_label(self, obj: models.Model) -> str:
        return f"{obj._meta.verbose_name} #{obj.pk}"

    def _audit_rendered(self, request, response, *, context_key: str, verb: str, what: str):
        context = getattr(response, "context_data", None) or {}
        obj = context.get(context_key)
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            model_name = obj._meta.model_name
            audit_view(
                request,
                obj,
                action=f"{model_name}.{verb}",
                summary=f"{self.audit_label(obj)} {what}",
            )
        return response

    def get_search_results(self, request, queryset, search_term):
        results = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            opts = self.model._meta
            # The term itself is personal data; the row records that a search was made.
            audit_record(
                actor=request.user,
                action=f"{opts.model_name}.searched",
                summary=f"{str(opts.verbose_name_plural).capitalize()} searched",
                ip_address=request_ip(request),
            )
        return results

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._audit_rendered(
            request, response, context_key="original", verb="viewed", what="viewed"
        )

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._audit_rendered(
            request, response, context_key="object", verb="history_viewed", what="history viewed"
        )
