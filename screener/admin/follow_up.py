"""The follow-up list: lookups waiting for the person's answer to "more information", with the
day each is due. For people who gave only a phone number it shows reviewers the number to call
and records each call (screener.follow_up). Showing the list is audited: it holds numbers.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.actions import Action
from audit.admin import AuditedListMixin
from audit.request import client_ip
from screener.admin.lookups import LanguageFilter, ReadOnlyMixin
from screener.contact import contact_mask, phone_display
from screener.follow_up import follow_up_call_record, follow_up_due
from screener.models import FollowUpCall, FollowUpItem, Lookup, ReviewDecision
from screener.services import DECIDE_PERMISSION


class FollowUpCallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the call go?"),
        choices=FollowUpCall.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the call went.")},
    )


class PhoneOnlyFilter(admin.SimpleListFilter):
    title = _("contact")
    parameter_name = "contact"

    def lookups(self, request, model_admin):
        return [("phone_only", _("Phone only: staff call")), ("email", _("Has an email"))]

    def queryset(self, request, queryset):
        if self.value() == "phone_only":
            return queryset.filter(email="")
        if self.value() == "email":
            return queryset.exclude(email="")
        return queryset


@admin.register(FollowUpItem)
class FollowUpAdmin(AuditedListMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Oldest request first; the due day in bold once it has passed."""

    list_action = Action.FOLLOW_UP_LISTED
    list_display = (
        "reference_link",
        "asked_on",
        "due_on",
        "contact",
        "calls",
        "record_call",
    )
    list_display_links = None
    list_filter = (PhoneOnlyFilter, LanguageFilter)
    list_per_page = 50

    def get_queryset(self, request):
        asked = Max("decisions__created_at", filter=Q(decisions__decision="more_info"))
        # Not super(): ModelAdmin.get_queryset orders by get_ordering() before the annotations.
        return (
            self.model._default_manager.filter(
                status=Lookup.Status.MORE_INFO, anonymized_at__isnull=True
            )
            .annotate(
                asked_at=asked,
                last_call_at=Max("follow_up_calls__created_at"),
                call_count=Count("follow_up_calls", distinct=True),
            )
            .order_by(*self.get_ordering(request))
        )

    def get_ordering(self, request):
        # An annotation (get_queryset), so not in `ordering`, which the admin checks as fields.
        return ("asked_at", "pk")

    def has_module_permission(self, request):
        return request.user.has_perm(DECIDE_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(DECIDE_PERMISSION)

    def _due(self, item) -> object:
        return follow_up_due(
            asked_at=item.asked_at or item.updated_at,
            last_call_at=item.last_call_at,
            days=settings.MORE_INFO_FOLLOW_UP_DAYS,
        )

    @admin.display(description=_("reference"), ordering="reference")
    def reference_link(self, item: FollowUpItem) -> str:
        url = reverse("admin:screener_lookup_change", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, item.reference)

    @admin.display(description=_("asked on"), ordering="asked_at")
    def asked_on(self, item: FollowUpItem) -> str:
        moment = item.asked_at or item.updated_at
        return f"{timezone.localdate(moment):%Y-%m-%d}"

    @admin.display(description=_("due"))
    def due_on(self, item: FollowUpItem) -> str:
        due = self._due(item)
        if due < timezone.localdate():
            return format_html("<strong>{} ({})</strong>", f"{due:%Y-%m-%d}", _("overdue"))
        return f"{due:%Y-%m-%d}"

    @admin.display(description=_("how to reach them"))
    def contact(self, item: FollowUpItem) -> str:
        if not item.email:
            # The text they got says staff will call: the number is what the reviewer needs.
            return format_html(
                "{} <strong>{}</strong>", _("Call"), phone_display(item.phone) or "-"
            )
        return _("Email sent to %(address)s") % {"address": contact_mask(item.email)}

    @admin.display(description=_("calls"))
    def calls(self, item: FollowUpItem) -> str:
        return str(item.call_count) if item.call_count else "-"

    @admin.display(description=_("call"))
    def record_call(self, item: FollowUpItem) -> str:
        if item.email:
            return ""
        url = reverse("admin:screener_followupitem_call", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, _("Record a call"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/call/", wrap(self.call_view), name="screener_followupitem_call"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:screener_lookup_change", args=[object_id]))

    def call_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        lookup = get_object_or_404(
            Lookup, pk=object_id, status=Lookup.Status.MORE_INFO, anonymized_at__isnull=True
        )
        form = FollowUpCallForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                follow_up_call_record(
                    lookup_id=lookup.pk,
                    caller=request.user,
                    outcome=form.cleaned_data["outcome"],
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if form.cleaned_data["outcome"] == FollowUpCall.Outcome.REACHED:
                    messages.success(
                        request,
                        _("Call recorded. Reopen %(reference)s with what the person told you.")
                        % {"reference": lookup.reference},
                    )
                    return HttpResponseRedirect(
                        reverse("admin:screener_lookup_reopen", args=[lookup.pk])
                    )
                messages.success(request, _("Call recorded."))
                return HttpResponseRedirect(reverse("admin:screener_followupitem_changelist"))
        question = (
            ReviewDecision.objects.filter(lookup=lookup, decision="more_info")
            .values_list("message_to_person", flat=True)
            .first()
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Call about %(reference)s") % {"reference": lookup.reference},
            "opts": self.opts,
            "lookup": lookup,
            "phone": phone_display(lookup.phone),
            "question": question or "",
            "form": form,
            "calls": lookup.follow_up_calls.select_related("caller"),
        }
        return TemplateResponse(request, "admin/screener/followupitem/call.html", context)
