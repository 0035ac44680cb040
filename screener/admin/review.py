"""The review queue and the review screen: staff decide the lookups the engine flagged.

Views here validate, call one function of screener.review, and render. Opening a lookup for
review is audited.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from audit.actions import Action
from audit.admin import AuditedListMixin, audit_view
from audit.request import client_ip
from cases.matching.engine import score_cases
from cases.matching.explain import ComparisonRow, comparison_rows
from cases.models import Case
from screener.admin.lookups import (
    AgeFilter,
    BatchFilter,
    ClaimFilter,
    LanguageFilter,
    LookupSearchMixin,
    ReadOnlyMixin,
)
from screener.contact import contact_mask
from screener.dashboard import review_queue_summary
from screener.models import Lookup, LookupCandidate, ReviewQueueItem
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
)
from screener.services import lookup_query

# The reviewer's message starts from one of these. It asks for a reply only when replies reach
# someone (MORE_INFO_REPLY_TO): the email otherwise comes from an address nobody reads.
DEFAULT_MORE_INFO_MESSAGE = _(
    "We found a case that may be yours, but we need to be sure before we tell you. Please reply "
    "with the case number from your court papers, or call the Los Angeles County Public "
    "Defender's cannabis dismissal line at %(phone)s and give your reference code."
)
DEFAULT_MORE_INFO_MESSAGE_NO_REPLY = _(
    "We found a case that may be yours, but we need to be sure before we tell you. Have the case "
    "number from your court papers ready: a staff member will contact you. You can also call the "
    "Los Angeles County Public Defender's cannabis dismissal line at %(phone)s and give your "
    "reference code."
)


def more_info_default_message() -> str:
    """The suggested message, in the active language, for how replies are set up."""
    template = (
        DEFAULT_MORE_INFO_MESSAGE
        if settings.MORE_INFO_REPLY_TO
        else DEFAULT_MORE_INFO_MESSAGE_NO_REPLY
    )
    return str(template) % {"phone": settings.PUBLIC_DEFENDER_PHONE}


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
class ReviewQueueAdmin(LookupSearchMixin, AuditedListMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Lookups the engine flagged as possible matches, oldest first. No names in the list."""

    change_list_template = "admin/screener/reviewqueueitem/change_list.html"
    list_action = Action.REVIEW_QUEUE_LISTED
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
            initial_message = more_info_default_message()
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
                action=Action.LOOKUP_VIEWED,
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
                ip_address=client_ip(request),
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
