"""Staff actions on who may see a lookup's answer: record a photo-ID or call check, release or
decline a held lookup, revoke the result links; and the report of contacts that asked about
several people. Each action goes through its screener.access function, which writes the audit
row; each page opened is audited too.

`LookupAccessMixin` adds these pages to the lookup admin (screener/admin/lookups.py).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from audit.actions import Action
from audit.admin import audit_view
from audit.request import client_ip
from audit.services import audit_record
from screener.access.abuse import (
    contacts_with_several_people,
    lookup_hold_decline,
    lookup_hold_release,
    lookups_about_same_person,
)
from screener.access.identity import (
    CHECK_IDENTITY_PERMISSION,
    STAFF_CHECK_METHODS,
    identity_check_record,
)
from screener.access.links import result_links_revoke
from screener.contact import contact_mask
from screener.models import IdentityProof, Lookup

DECIDE_PERMISSION = "screener.decide_lookup"
VIEW_ALL_PERMISSION = "screener.view_all_lookups"


class IdentityCheckForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How you checked"),
        choices=[(m.value, m.label) for m in STAFF_CHECK_METHODS],
        widget=forms.RadioSelect,
    )
    id_kind = forms.ChoiceField(
        label=_("Kind of ID you saw"),
        choices=IdentityProof.IdKind.choices,
        widget=forms.RadioSelect,
        help_text=_("Never write down the ID's number: this form has no place for it."),
    )
    confirmed = forms.BooleanField(
        label=_(
            "The name and date of birth on the ID are this request's, and the email or phone "
            "number on the request is the person's own."
        ),
        help_text=_("Whoever holds that contact will see the whole answer, case numbers included."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this request is not answered online. Kept in the audit log."),
    )


class ConfirmForm(forms.Form):
    """A button and a CSRF token: the action needs no other input."""


class IdentityProofInline(admin.TabularInline):
    model = IdentityProof
    extra = 0
    can_delete = False
    verbose_name = _("identity proof")
    verbose_name_plural = _("identity proofs")
    fields = ("created_at", "method", "id_kind", "provider", "recorded_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LookupAccessMixin:
    """Pages for the access actions, on the lookup admin; links to them on the lookup's page."""

    def access_links(self, request: HttpRequest, lookup: Lookup) -> dict:
        user = request.user
        links = {}
        if lookup.anonymized_at is not None:
            return links
        if user.has_perm(CHECK_IDENTITY_PERMISSION):
            links["identity_check_url"] = reverse(
                "admin:screener_lookup_identity_check", args=[lookup.pk]
            )
        if user.has_perm(DECIDE_PERMISSION):
            links["revoke_links_url"] = reverse(
                "admin:screener_lookup_revoke_links", args=[lookup.pk]
            )
            if lookup.status == Lookup.Status.HELD:
                links["release_url"] = reverse("admin:screener_lookup_release", args=[lookup.pk])
                links["decline_url"] = reverse("admin:screener_lookup_decline", args=[lookup.pk])
        return links

    def get_urls(self):
        def view(function, suffix):
            return path(
                f"<int:object_id>/{suffix}/",
                self.admin_site.admin_view(function),
                name=f"screener_lookup_{suffix.replace('-', '_')}",
            )

        return [
            view(self.identity_check_view, "identity-check"),
            view(self.release_view, "release"),
            view(self.decline_view, "decline"),
            view(self.revoke_links_view, "revoke-links"),
            path(
                "several-people/",
                self.admin_site.admin_view(self.several_people_view),
                name="screener_lookup_several_people",
            ),
            *super().get_urls(),
        ]

    def _action_page(
        self,
        request: HttpRequest,
        object_id: int,
        *,
        permission: str,
        title: str,
        form_class: type[forms.Form],
        act,
        done: str,
        intro: str,
        held_only: bool = False,
    ) -> HttpResponse:
        if not request.user.has_perm(permission):
            raise PermissionDenied
        # The admin's own queryset: outreach workers reach only the lookups they recorded.
        lookup = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse("admin:screener_lookup_change", args=[lookup.pk])
        if held_only and lookup.status != Lookup.Status.HELD:
            messages.info(request, _("This lookup is not held."))
            return HttpResponseRedirect(change_url)
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                act(lookup, form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, done % {"reference": lookup.reference})
                return HttpResponseRedirect(change_url)
        if request.method == "GET":
            audit_view(
                request,
                lookup,
                action=Action.LOOKUP_VIEWED,
                summary=f"Lookup {lookup.reference} opened: {form_class.__name__}",
            )
        context = {
            **self.admin_site.each_context(request),
            "title": title % {"reference": lookup.reference},
            "opts": self.opts,
            "lookup": lookup,
            "form": form,
            "intro": intro,
            "change_url": change_url,
            "same_person": [
                (
                    other.reference,
                    other.get_status_display(),
                    contact_mask(other.email or other.phone),
                )
                for other in lookups_about_same_person(lookup)
            ]
            if held_only
            else [],
        }
        return TemplateResponse(request, "admin/screener/lookup/access_action.html", context)

    def identity_check_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        def act(lookup, data):
            identity_check_record(
                lookup_id=lookup.pk,
                actor=request.user,
                method=data["method"],
                id_kind=data["id_kind"],
                ip_address=client_ip(request),
            )

        return self._action_page(
            request,
            object_id,
            permission=CHECK_IDENTITY_PERMISSION,
            title=_("Record an identity check for %(reference)s"),
            form_class=IdentityCheckForm,
            act=act,
            done=_("Identity check recorded for %(reference)s."),
            intro=_(
                "Record that you checked the person's photo ID in person, or verified them on a "
                "call. They will then see their case numbers and their letter once they type a "
                "code sent to the request's email or phone."
            ),
        )

    def release_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        def act(lookup, data):
            lookup_hold_release(
                lookup_id=lookup.pk, actor=request.user, ip_address=client_ip(request)
            )

        return self._action_page(
            request,
            object_id,
            permission=DECIDE_PERMISSION,
            title=_("Release %(reference)s"),
            form_class=ConfirmForm,
            act=act,
            done=_("%(reference)s released: it is checked and answered as usual."),
            intro=_(
                "This request was held because the same name and date of birth were sent from "
                "another contact. Release it when you are satisfied that it is the person's own "
                "(for example after a call): it is then checked and answered as usual."
            ),
            held_only=True,
        )

    def decline_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        def act(lookup, data):
            lookup_hold_decline(
                lookup_id=lookup.pk,
                actor=request.user,
                reason=data["reason"],
                ip_address=client_ip(request),
            )

        return self._action_page(
            request,
            object_id,
            permission=DECIDE_PERMISSION,
            title=_("Do not answer %(reference)s"),
            form_class=DeclineForm,
            act=act,
            done=_("%(reference)s will not be answered online."),
            intro=_(
                "The person is sent the same “there is an update” message as for any decision; "
                "their page says the request was not answered online and how to reach us."
            ),
            held_only=True,
        )

    def revoke_links_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        def act(lookup, data):
            result_links_revoke(
                lookup_id=lookup.pk, actor=request.user, ip_address=client_ip(request)
            )

        return self._action_page(
            request,
            object_id,
            permission=DECIDE_PERMISSION,
            title=_("Revoke the result links of %(reference)s"),
            form_class=ConfirmForm,
            act=act,
            done=_("The result links of %(reference)s no longer work."),
            intro=_(
                "Every link to the answer sent so far stops working (for example when a message "
                "was forwarded or a phone was lost). The person can ask for a new link."
            ),
        )

    def several_people_view(self, request: HttpRequest) -> HttpResponse:
        if not (
            request.user.has_perm(DECIDE_PERMISSION) and request.user.has_perm(VIEW_ALL_PERMISSION)
        ):
            raise PermissionDenied
        rows = contacts_with_several_people()
        audit_record(
            actor=request.user,
            action=Action.SEVERAL_PEOPLE_REPORT_VIEWED,
            summary=f"Report of contacts that asked about several people viewed ({len(rows)})",
            detail={"rows": len(rows)},
            ip_address=client_ip(request),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Contacts that asked about several people"),
            "opts": self.opts,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/screener/lookup/several_people.html", context)


def several_people_url(user) -> str:
    """The report's address for the admin index, if `user` may see it."""
    if user.has_perm(DECIDE_PERMISSION) and user.has_perm(VIEW_ALL_PERMISSION):
        return reverse("admin:screener_lookup_several_people")
    return ""
