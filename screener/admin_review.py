"""Staff review in the admin: lookups, the review queue and screen, the audit log, the dashboard.

Views here validate, call one function of screener.review, and render. Lookups are read-only in
the admin: their state changes only through the services, which write the audit row. Every
opening of a lookup (its page or its review screen) and every search is audited.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases.matching.engine import score_cases
from cases.matching.explain import ComparisonRow, comparison_rows
from cases.matching.types import PersonQuery
from cases.models import Case, DismissalBatch
from screener.admin_audit import AuditedViewsMixin, audit_view, request_ip
from screener.admin_notifications import NotificationInline
from screener.audit import audit_record
from screener.contact import contact_mask, phone_normalize
from screener.dashboard import (
    OUTCOME_COLUMNS,
    PENDING,
    dashboard_figures,
    review_queue_summary,
)
from screener.models import AuditLog, Lookup, LookupCandidate, ReviewDecision, ReviewQueueItem
from screener.review import (
    CLAIM_TTL,
    DECIDE_PERMISSION,
    DECISION_EFFECTS,
    ClaimedByOther,
    ReviewError,
    claim_is_active,
    review_claim,
    review_claim_next,
    review_decide,
    review_related_cases,
    review_release,
    review_reopen,
)
from screener.services import lookup_query, reference_normalize

VIEW_ALL_PERMISSION = "screener.view_all_lookups"
DASHBOARD_DAYS = (7, 30, 90)
DEFAULT_MORE_INFO_MESSAGE = _(
    "We found a case that may be yours, but we need to be sure before we tell you. Please reply "
    "with the case number from your court papers, or call the Los Angeles County Public "
    "Defender's cannabis dismissal line at (323) 760-6763 and give your reference code."
)


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
        # The term itself is personal data: the audit row says what kind of search it was.
        audit_record(
            actor=request.user,
            action="lookup.searched",
            summary=f"Lookups searched by {kind}",
            detail={"kind": kind, "list": self.model._meta.model_name},
            ip_address=request_ip(request),
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
class LookupAdmin(LookupSearchMixin, AuditedViewsMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Every lookup; read-only. Staff without "view all lookups" see the ones they recorded.

    New lookups come through the public form and outreach intake (screener.services); a lookup
    leaves only through the retention job.
    """

    change_form_template = "admin/screener/lookup/change_form.html"
    inlines = (CandidateInline, DecisionInline, NotificationInline)
    list_display = ("reference", "name", "status", "outcome", "channel", "created_at")
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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.has_perm(VIEW_ALL_PERMISSION):
            return queryset
        return queryset.filter(submitted_by=request.user)

    def get_readonly_fields(self, request, obj=None):
        return flatten_fieldsets(self.fieldsets)

    @admin.display(description=_("name"))
    def name(self, lookup: Lookup) -> str:
        return f"{lookup.first_name} {lookup.last_name}".strip()

    def audit_label(self, obj: Lookup) -> str:
        return f"Lookup {obj.reference}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if request.user.has_perm(DECIDE_PERMISSION) and object_id.isdigit():
            status = Lookup.objects.filter(pk=object_id).values_list("status", flat=True).first()
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
                    ip_address=request_ip(request),
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
                action="lookup.viewed",
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


# --- The review queue and screen --------------------------------------------


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(d.value, d.label) for d in DECISION_EFFECTS],
        widget=forms.RadioSelect,
    )
    confirmed_case_ids = forms.TypedMultipleChoiceField(
        label=_("The person's cases"), coerce=int, required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you compared and why you decided so. Kept with the decision."),
    )
    message_to_person = forms.CharField(
        label=_("Message to the person"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Sent by email when you ask for more information."),
    )

    def __init__(self, *args, case_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed_case_ids"].choices = [(pk, pk) for pk in case_ids]


@dataclass(frozen=True)
class CandidateColumn:
    candidate: LookupCandidate
    case: Case
    charges: list[str]
    aliases: list[str]
    related: list[Case]

    @property
    def explanation_fields(self) -> list[dict]:
        return self.candidate.explanation.get("fields", [])


def _case_person(case: Case, aliases: list[str]) -> PersonQuery:
    return PersonQuery(
        first_name=case.first_name,
        middle_name=case.middle_name,
        last_name=case.last_name,
        other_names=tuple(aliases),
        date_of_birth=case.date_of_birth,
        case_number=case.case_number,
    )


def review_columns(lookup: Lookup) -> tuple[list[CandidateColumn], list[ComparisonRow]]:
    candidates = list(
        lookup.candidates.select_related("case__batch").prefetch_related(
            "case__charges", "case__aliases"
        )
    )
    cases = [c.case for c in candidates]
    related = review_related_cases(cases)
    columns = [
        CandidateColumn(
            candidate=c,
            case=c.case,
            charges=[charge.code for charge in c.case.charges.all()],
            aliases=[alias.full_name for alias in c.case.aliases.all()],
            related=related.get(c.case_id, []),
        )
        for c in candidates
    ]
    query = lookup_query(lookup)
    scored = score_cases(query, [col.case.pk for col in columns])
    rows = comparison_rows(query, [scored[col.case.pk] for col in columns])
    return columns, rows


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(LookupSearchMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Lookups the engine flagged as possible matches, oldest first. No names in the list."""

    change_list_template = "admin/screener/reviewqueueitem/change_list.html"
    list_display = (
        "open_link",
        "waiting",
        "candidate_count",
        "best_score",
        "language",
        "event",
        "channel",
        "being_reviewed_by",
    )
    list_display_links = None
    list_filter = (AgeFilter, BatchFilter, "event", LanguageFilter, ClaimFilter)
    list_select_related = ("event", "claimed_by")
    ordering = ("created_at", "pk")
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Lookup.Status.NEEDS_REVIEW)
            .annotate(candidate_count=Count("candidates"))
        )

    def has_module_permission(self, request):
        return request.user.has_perm(DECIDE_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(DECIDE_PERMISSION)

    @admin.display(description=_("reference"), ordering="reference")
    def open_link(self, item: ReviewQueueItem) -> str:
        url = reverse("admin:screener_reviewqueueitem_review", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, item.reference)

    @admin.display(description=_("waiting"), ordering="created_at")
    def waiting(self, item: ReviewQueueItem) -> str:
        return timesince(item.created_at)

    @admin.display(description=_("candidates"), ordering="candidate_count")
    def candidate_count(self, item: ReviewQueueItem) -> int:
        return item.candidate_count

    @admin.display(description=_("best score"), ordering="score")
    def best_score(self, item: ReviewQueueItem) -> str:
        return f"{item.score:.1f}" if item.score is not None else ""

    @admin.display(description=_("being reviewed by"))
    def being_reviewed_by(self, item: ReviewQueueItem) -> str:
        return item.claimed_by.get_username() if claim_is_active(item) else ""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("next/", wrap(self.next_view), name="screener_reviewqueueitem_next"),
            path(
                "<int:object_id>/review/",
                wrap(self.review_view),
                name="screener_reviewqueueitem_review",
            ),
            path(
                "<int:object_id>/release/",
                wrap(require_POST(self.release_view)),
                name="screener_reviewqueueitem_release",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": _("Review queue, oldest first"),
            **(extra_context or {}),
            "queue": review_queue_summary(),
            "waiting_for_person": Lookup.objects.filter(status=Lookup.Status.MORE_INFO).count(),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(
            reverse("admin:screener_reviewqueueitem_review", args=[object_id])
        )

    def _queue_url(self) -> str:
        return reverse("admin:screener_reviewqueueitem_changelist")

    def next_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        lookup = review_claim_next(reviewer=request.user)
        if lookup is None:
            messages.info(request, _("Nothing is waiting for review."))
            return HttpResponseRedirect(self._queue_url())
        return HttpResponseRedirect(
            reverse("admin:screener_reviewqueueitem_review", args=[lookup.pk])
        )

    def release_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        review_release(lookup_id=object_id, reviewer=request.user)
        return HttpResponseRedirect(self._queue_url())

    def review_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        lookup = get_object_or_404(Lookup.objects.select_related("event"), pk=object_id)
        if lookup.status != Lookup.Status.NEEDS_REVIEW:
            messages.info(
                request,
                _("Lookup %(reference)s is not waiting for review.")
                % {"reference": lookup.reference},
            )
            return HttpResponseRedirect(reverse("admin:screener_lookup_change", args=[lookup.pk]))
        columns, rows = review_columns(lookup)
        with translation.override(lookup.language):
            initial_message = str(DEFAULT_MORE_INFO_MESSAGE)
        form = ReviewDecisionForm(
            request.POST if request.method == "POST" else None,
            case_ids=[col.case.pk for col in columns],
            initial={"message_to_person": initial_message},
        )
        can_decide = True
        if request.method == "POST":
            response = self._decide(request, lookup, form)
            if response is not None:
                return response
        else:
            try:
                lookup = review_claim(lookup_id=lookup.pk, reviewer=request.user)
            except ClaimedByOther as exc:
                messages.warning(request, str(exc))
                can_decide = False
            except ReviewError as exc:
                messages.error(request, str(exc))
                return HttpResponseRedirect(self._queue_url())
            audit_view(
                request,
                lookup,
                action="lookup.viewed",
                summary=f"Lookup {lookup.reference} opened for review",
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review %(reference)s") % {"reference": lookup.reference},
            "opts": self.opts,
            "lookup": lookup,
            "columns": columns,
            "rows": rows,
            "form": form,
            "can_decide": can_decide,
            "claim_minutes": int(CLAIM_TTL.total_seconds() // 60),
            "waiting": timesince(lookup.created_at),
            "can_view_cases": request.user.has_perm("cases.view_case"),
            "checked_ids": set(request.POST.getlist("confirmed_case_ids")),
            # Enough to tell contacts apart; the person is reached through the outbox.
            "contact": [contact_mask(value) for value in (lookup.email, lookup.phone) if value],
        }
        return TemplateResponse(request, "admin/screener/review.html", context)

    def _decide(self, request, lookup: Lookup, form: ReviewDecisionForm) -> HttpResponse | None:
        """Apply the decision and redirect, or None to show the form again with its errors."""
        if not form.is_valid():
            return None
        try:
            review_decide(
                lookup_id=lookup.pk,
                reviewer=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                confirmed_case_ids=form.cleaned_data["confirmed_case_ids"],
                message_to_person=form.cleaned_data["message_to_person"],
                ip_address=request_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return None
        except ReviewError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self._queue_url())
        messages.success(
            request,
            _("Lookup %(reference)s decided. The person will be notified.")
            % {"reference": lookup.reference},
        )
        if "_next" in request.POST:
            return HttpResponseRedirect(reverse("admin:screener_reviewqueueitem_next"))
        return HttpResponseRedirect(self._queue_url())


# --- Audit log --------------------------------------------------------------


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
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


# --- Admin index and dashboard ----------------------------------------------


def can_view_dashboard(user) -> bool:
    return user.has_perm(VIEW_ALL_PERMISSION) or user.has_perm("screener.view_auditlog")


def index_context(request: HttpRequest) -> dict:
    """The review queue's size and oldest item, for the admin index."""
    context: dict = {}
    if request.user.has_perm(DECIDE_PERMISSION):
        context["review_queue"] = review_queue_summary()
    if can_view_dashboard(request.user):
        context["dashboard_url"] = reverse("admin:dashboard")
    return context


def _duration_text(value: timedelta | None) -> str:
    if value is None:
        return ""
    now = timezone.now()
    return timesince(now - value, now)


def dashboard_view(request: HttpRequest) -> HttpResponse:
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    days = request.GET.get("days", "")
    days = int(days) if days.isdigit() and int(days) in DASHBOARD_DAYS else 30
    figures = dashboard_figures(days=days)
    labels = {
        Lookup.Outcome.MATCH: Lookup.Outcome.MATCH.label,
        Lookup.Outcome.POSSIBLE: Lookup.Outcome.POSSIBLE.label,
        Lookup.Outcome.NO_MATCH: Lookup.Outcome.NO_MATCH.label,
        PENDING: _("Not yet checked"),
    }
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "figures": figures,
        "day_choices": DASHBOARD_DAYS,
        "outcome_labels": [(key, labels[key]) for key in OUTCOME_COLUMNS],
        "per_day": [
            {
                "day": row.day,
                "cells": [row.counts[key] for key in OUTCOME_COLUMNS],
                "total": row.total,
            }
            for row in figures.per_day
        ],
        "median_to_result": _duration_text(figures.median_to_result),
        "median_to_decision": _duration_text(figures.median_to_decision),
    }
    return TemplateResponse(request, "admin/screener/dashboard.html", context)
