"""Lookups in the admin: the list and its search and filters, each lookup's page, reopening a
lookup with the person's answer, and checking a failed lookup again (who may see the answer:
screener/admin/access.py).

Lookups are read-only in the admin: their state changes only through screener.services and
screener.review, which write the audit row. Every opening of a lookup and every search is audited.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.actions import Action
from audit.admin import AuditedViewsMixin, ViewActions, audit_view
from audit.hashing import search_term_hash
from audit.request import client_ip
from audit.services import audit_record
from cases.models import DismissalBatch
from screener.admin.access import IdentityProofInline, LookupAccessMixin
from screener.admin.outbox import NotificationInline
from screener.contact import phone_normalize
from screener.models import Lookup, LookupCandidate, ReviewDecision
from screener.review import CLAIM_TTL, DECIDE_PERMISSION, ReviewError, review_reopen
from screener.services import lookup_retry, reference_normalize

VIEW_ALL_PERMISSION = "screener.view_all_lookups"


# --- Search -----------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{7,}$")


def _parse_date(term: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(term, fmt).date()
        except ValueError:
            continue
    return None


# Letters that people and record systems write with or without accents.
_ACCENTED = {
    "a": "aáàâäãå",
    "e": "eéèêë",
    "i": "iíìîï",
    "o": "oóòôöõ",
    "u": "uúùûü",
    "n": "nñ",
    "c": "cç",
    "y": "yý",
}


def accent_insensitive_pattern(word: str) -> str:
    """A regular expression matching `word` whatever accents either side wrote: "jose" and
    "José" both give a pattern that finds JOSE, José and Jose. Works with SQLite and PostgreSQL.
    """
    parts = []
    for char in word:
        base = unicodedata.normalize("NFKD", char)[0].lower()
        letters = _ACCENTED.get(base)
        parts.append(f"[{letters}{letters.upper()}]" if letters else re.escape(char))
    return "".join(parts)


def lookup_search_filter(term: str) -> tuple[str, Q]:
    """What kind of search term this is, and the filter that finds lookups by it.

    A date searches the date of birth (2024-01-31 or 01/31/2024), an address the email, a run of
    digits the phone number, a code like RC-7KQ-93M the reference; anything else searches names
    word by word (and the reference, for a code typed without its prefix).
    """
    term = term.strip()
    day = _parse_date(term)
    if day is not None:
        return "date_of_birth", Q(date_of_birth=day)
    if "@" in term:
        return "email", Q(email__iexact=term)
    if _PHONE_LIKE.match(term):
        digits = re.sub(r"\D", "", term)
        try:
            return "phone", Q(phone=phone_normalize(term))
        except ValidationError:
            return "phone", Q(phone__endswith=digits[-10:])
    reference = reference_normalize(term)
    if reference and term.upper().lstrip().startswith("RC"):
        return "reference", Q(reference=reference)
    names = Q()
    for word in term.split():
        pattern = accent_insensitive_pattern(word)
        in_a_name = Q(first_name__iregex=pattern) | Q(middle_name__iregex=pattern)
        names &= in_a_name | Q(last_name__iregex=pattern)
    if reference:
        names |= Q(reference=reference)
    return "name", names


class LookupSearchMixin:
    search_fields = ("reference",)  # shows the search box; the search itself is below
    search_help_text = _(
        "Reference code, name, date of birth (YYYY-MM-DD or MM/DD/YYYY), phone or email."
    )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        kind, condition = lookup_search_filter(search_term)
        # The term itself is personal data: the audit row says what kind of search it was, and
        # a keyed hash tells the same search made again.
        audit_record(
            actor=request.user,
            action=Action.LOOKUP_SEARCHED,
            summary=f"Lookups searched by {kind}",
            detail={
                "kind": kind,
                "list": self.model._meta.model_name,
                "search_hash": search_term_hash(search_term),
            },
            ip_address=client_ip(request),
        )
        return queryset.filter(condition), False


# --- Filters ----------------------------------------------------------------


class BatchFilter(admin.SimpleListFilter):
    title = _("batch of a candidate case")
    parameter_name = "batch"

    def lookups(self, request, model_admin):
        return list(DismissalBatch.objects.values_list("slug", "name"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        in_batch = LookupCandidate.objects.filter(case__batch__slug=self.value())
        return queryset.filter(pk__in=in_batch.values("lookup_id"))


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


# (parameter value, label, at least this old, younger than this)
AGE_BUCKETS = (
    ("1d", _("Under a day"), timedelta(0), timedelta(days=1)),
    ("3d", _("1 to 3 days"), timedelta(days=1), timedelta(days=3)),
    ("7d", _("3 to 7 days"), timedelta(days=3), timedelta(days=7)),
    ("30d", _("1 to 4 weeks"), timedelta(days=7), timedelta(days=30)),
    ("old", _("Over 30 days"), timedelta(days=30), None),
)


class AgeFilter(admin.SimpleListFilter):
    title = _("waiting for")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _low, _high in AGE_BUCKETS]

    def queryset(self, request, queryset):
        now = timezone.now()
        for value, _label, low, high in AGE_BUCKETS:
            if self.value() == value:
                queryset = queryset.filter(created_at__lte=now - low)
                return queryset.filter(created_at__gt=now - high) if high else queryset
        return queryset


class ClaimFilter(admin.SimpleListFilter):
    title = _("being reviewed")
    parameter_name = "claim"

    def lookups(self, request, model_admin):
        return [
            ("free", _("Nobody")),
            ("mine", _("By me")),
            ("others", _("By someone else")),
        ]

    def queryset(self, request, queryset):
        active = Q(claimed_by__isnull=False, claimed_at__gt=timezone.now() - CLAIM_TTL)
        if self.value() == "free":
            return queryset.exclude(active)
        if self.value() == "mine":
            return queryset.filter(active, claimed_by=request.user)
        if self.value() == "others":
            return queryset.filter(active).exclude(claimed_by=request.user)
        return queryset


# --- Lookups ----------------------------------------------------------------


class ReadOnlyMixin:
    """No adding, changing or deleting through the admin, whoever asks (superusers too)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class CandidateInline(ReadOnlyInline):
    model = LookupCandidate
    verbose_name = _("candidate case")
    verbose_name_plural = _("candidate cases")
    fields = ("case_link", "batch", "score", "outcome", "confirmed", "summary")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case__batch")

    # A candidate may be someone else's conviction: only staff who may see cases see them.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("cases.view_case")

    @admin.display(description=_("case"))
    def case_link(self, candidate: LookupCandidate) -> str:
        url = reverse("admin:cases_case_change", args=[candidate.case_id])
        return format_html('<a href="{}">{}</a>', url, candidate.case.case_number)

    @admin.display(description=_("batch"))
    def batch(self, candidate: LookupCandidate) -> str:
        return candidate.case.batch.name

    @admin.display(description=_("engine's explanation"))
    def summary(self, candidate: LookupCandidate) -> str:
        return candidate.explanation.get("summary", "")


class DecisionInline(ReadOnlyInline):
    model = ReviewDecision
    verbose_name = _("review decision")
    verbose_name_plural = _("review decisions")
    fields = ("created_at", "reviewer", "decision", "reason", "message_to_person")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_ALL_PERMISSION)


@admin.register(Lookup)
class LookupAdmin(
    LookupAccessMixin, LookupSearchMixin, AuditedViewsMixin, ReadOnlyMixin, admin.ModelAdmin
):
    """Every lookup; read-only. Staff without "view all lookups" see the ones they recorded.

    New lookups come through the public form and outreach intake (screener.services); a lookup
    leaves only through the retention job.
    """

    audit_actions = ViewActions(
        viewed=Action.LOOKUP_VIEWED,
        history_viewed=Action.LOOKUP_HISTORY_VIEWED,
        searched=Action.LOOKUP_SEARCHED,
        listed=Action.LOOKUP_LISTED,
    )
    change_form_template = "admin/screener/lookup/change_form.html"
    inlines = (CandidateInline, DecisionInline, IdentityProofInline, NotificationInline)
    # No names in the list: the lookup's page (audited) shows the person.
    list_display = ("reference", "status", "outcome", "channel", "created_at")
    list_filter = ("status", "outcome", "channel", LanguageFilter, "event")
    list_select_related = ("event",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fieldsets = (
        (
            _("Request"),
            {
                "fields": (
                    "reference",
                    "status",
                    "outcome",
                    "score",
                    "channel",
                    "event",
                    "submitted_by",
                    ("created_at", "checked_at", "decided_at"),
                    "claimed_by",
                )
            },
        ),
        (
            _("Person"),
            {
                "fields": (
                    ("first_name", "middle_name", "last_name"),
                    "other_names",
                    "date_of_birth",
                    "case_number",
                )
            },
        ),
        (
            _("Contact"),
            {"fields": ("email", "phone", "language", "is_self", "consent_to_contact")},
        ),
        (_("Processing"), {"fields": ("attempts", "last_error", "anonymized_at")}),
    )
    actions = ("check_again",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.has_perm(VIEW_ALL_PERMISSION):
            return queryset
        return queryset.filter(submitted_by=request.user)

    def get_readonly_fields(self, request, obj=None):
        return flatten_fieldsets(self.fieldsets)

    def audit_label(self, obj: Lookup) -> str:
        return f"Lookup {obj.reference}"

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm(DECIDE_PERMISSION)

    @admin.action(description=_("Check the selected failed lookups again"), permissions=["decide"])
    def check_again(self, request, queryset) -> None:
        # An anonymized lookup has no details left to check.
        can_retry = Q(status=Lookup.Status.FAILED, anonymized_at__isnull=True)
        failed_ids = list(queryset.filter(can_retry).values_list("pk", flat=True))
        skipped = queryset.exclude(can_retry).count()
        retried = 0
        for lookup_id in failed_ids:
            try:
                lookup_retry(lookup_id=lookup_id, actor=request.user, ip_address=client_ip(request))
            except ValidationError:
                # Someone else sent it back between the list and the click.
                skipped += 1
            else:
                retried += 1
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d lookup sent to be checked again.",
                    "%(count)d lookups sent to be checked again.",
                    retried,
                )
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d lookup skipped: only lookups that could not be checked, and still "
                    "have their details, can be checked again.",
                    "%(count)d lookups skipped: only lookups that could not be checked, and still "
                    "have their details, can be checked again.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        lookup = Lookup.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if lookup is not None:
            extra_context.update(self.access_links(request, lookup))
        if request.user.has_perm(DECIDE_PERMISSION) and lookup is not None:
            status = lookup.status
            if status == Lookup.Status.NEEDS_REVIEW:
                extra_context["review_url"] = reverse(
                    "admin:screener_reviewqueueitem_review", args=[object_id]
                )
            elif status == Lookup.Status.MORE_INFO:
                extra_context["reopen_url"] = reverse(
                    "admin:screener_lookup_reopen", args=[object_id]
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/reopen/",
                self.admin_site.admin_view(self.reopen_view),
                name="screener_lookup_reopen",
            ),
            *super().get_urls(),
        ]

    def reopen_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The person answered a request for more information: back into review with it."""
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        lookup = get_object_or_404(Lookup, pk=object_id)
        change_url = reverse("admin:screener_lookup_change", args=[lookup.pk])
        if lookup.status != Lookup.Status.MORE_INFO:
            messages.info(
                request,
                _("Lookup %(reference)s is not waiting for the person's answer.")
                % {"reference": lookup.reference},
            )
            return HttpResponseRedirect(change_url)
        form = ReopenForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                review_reopen(
                    lookup_id=lookup.pk,
                    reviewer=request.user,
                    reason=form.cleaned_data["reason"],
                    case_number=form.cleaned_data["case_number"],
                    other_names=[form.cleaned_data["other_names"]],
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except ReviewError as exc:
                messages.error(request, str(exc))
                return HttpResponseRedirect(change_url)
            else:
                messages.success(
                    request,
                    _("Lookup %(reference)s is back in review and held for you.")
                    % {"reference": lookup.reference},
                )
                return HttpResponseRedirect(
                    reverse("admin:screener_reviewqueueitem_review", args=[lookup.pk])
                )
        if request.method == "GET":
            audit_view(
                request,
                lookup,
                action=Action.LOOKUP_VIEWED,
                summary=f"Lookup {lookup.reference} opened to reopen",
            )
        asked = (
            lookup.decisions.filter(decision=ReviewDecision.Decision.MORE_INFO)
            .order_by("-created_at", "-pk")
            .first()
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reopen %(reference)s with the person's answer")
            % {"reference": lookup.reference},
            "opts": self.opts,
            "lookup": lookup,
            "asked": asked,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/screener/lookup/reopen.html", context)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the person answered and what they told you. Kept with the lookup."),
    )
    case_number = forms.CharField(
        label=_("Case number the person gave"),
        max_length=40,
        required=False,
        help_text=_("As written on their court papers; it replaces any number given before."),
    )
    other_names = forms.CharField(
        label=_("Another name the person used"),
        max_length=120,
        required=False,
        help_text=_("First and last name, for example a maiden name."),
    )
