"""The outreach pages, in the staff site (/staff/outreach/): its sign-in, second factor and
session limits apply (config/staff_admin.py wraps each view in admin_view)."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.actions import Action
from audit.request import client_ip
from audit.services import audit_record
from screener.access.identity import identity_check_record
from screener.disclosure import PublicOutcome
from screener.letter_pdf import letter_pdf
from screener.letters import letter_content
from screener.models import IdentityProof
from screener.outreach.events import event_choose, event_current, events_open, events_visible
from screener.outreach.forms import IdCheckForm, IntakeForm, intake_token_new
from screener.outreach.intake import ADD_PERMISSION, QuotaReached, walkin_record
from screener.outreach.report import OUTCOME_LABELS, event_report, report_csv, report_rows
from screener.outreach.walkins import walkin_answer, walkin_get, walkins
from screener.verification import letter_verification_issue
from screener.views import see_other

# How often the walk-in list reloads itself while open (seconds): often enough to show answers
# as the worker turns to the next person, rare enough for a shared, spotty connection.
LIST_REFRESH_SECONDS = 20
REPORT_PERMISSION = "screener.view_outreachevent"


def _needs(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _page(request: HttpRequest, template: str, context: dict, status: int = 200):
    return TemplateResponse(
        request, template, {**admin.site.each_context(request), **context}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def events_view(request: HttpRequest) -> HttpResponse:
    """Pick the event being worked; its walk-ins and quotas follow the choice."""
    _needs(request, ADD_PERMISSION)
    if request.method == "POST":
        raw = request.POST.get("event", "")
        event = event_choose(request, int(raw)) if raw.isdigit() else None
        if event is None:
            messages.error(request, _("Choose one of the events open for you today."))
            return see_other(reverse("admin:outreach_events"))
        audit_record(
            actor=request.user,
            action=Action.OUTREACH_EVENT_CHOSEN,
            obj=event,
            summary=f"Outreach event {event.pk} chosen",
            ip_address=client_ip(request),
        )
        return see_other(reverse("admin:outreach_intake"))
    return _page(
        request,
        "outreach/events.html",
        {"title": _("Outreach events"), "events": events_open(request.user)},
    )


def _intake_page(request, event, form, status=200):
    return _page(
        request,
        "outreach/intake.html",
        {"title": _("New walk-in"), "event": event, "form": form},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def intake_view(request: HttpRequest) -> HttpResponse:
    _needs(request, ADD_PERMISSION)
    event = event_current(request)
    if event is None:
        messages.info(request, _("Choose the event you are working first."))
        return see_other(reverse("admin:outreach_events"))
    language = (event.languages or [settings.LANGUAGE_CODE])[0]
    if request.method != "POST":
        form = IntakeForm(language=language, initial={"intake_token": intake_token_new()})
        return _intake_page(request, event, form)
    form = IntakeForm(request.POST, language=language)
    if not form.is_valid():
        return _intake_page(request, event, form, status=400)
    try:
        intake = walkin_record(
            details=form.details(),
            worker=request.user,
            event=event,
            intake_token=form.cleaned_data["intake_token"],
            id_kind=form.cleaned_data["id_kind"] if form.cleaned_data["id_checked"] else "",
            ip_address=client_ip(request),
        )
    except QuotaReached as reached:
        form.add_error(None, str(reached))
        return _intake_page(request, event, form, status=429)
    reference = intake.lookup.reference
    if intake.created:
        messages.success(request, _("Walk-in %(reference)s recorded.") % {"reference": reference})
    else:
        messages.info(
            request, _("Walk-in %(reference)s was already recorded.") % {"reference": reference}
        )
    return see_other(reverse("admin:outreach_intake"))


@never_cache
def walkins_view(request: HttpRequest) -> HttpResponse:
    """The event's walk-ins, status only unless the person's ID was checked; reloads itself."""
    _needs(request, "screener.view_lookup")
    raw = request.GET.get("event", "")
    if raw.isdigit():
        event = get_object_or_404(events_visible(request.user), pk=int(raw))
    else:
        event = event_current(request)
        if event is None:
            return see_other(reverse("admin:outreach_events"))
    rows = []
    for lookup in walkins(request.user, event)[:500]:
        answer = walkin_answer(lookup)
        rows.append(
            {
                "lookup": lookup,
                "id_checked": lookup.id_checked,
                "outcome": OUTCOME_LABELS[PublicOutcome(answer.outcome)] if answer.outcome else "",
                "letter": answer.letter is not None,
            }
        )
    audit_record(
        actor=request.user,
        action=Action.OUTREACH_LIST_VIEWED,
        obj=event,
        summary=f"Walk-ins of outreach event {event.pk} listed",
        detail={"rows": len(rows)},
        ip_address=client_ip(request),
    )
    return _page(
        request,
        "outreach/walkins.html",
        {
            "title": _("Walk-ins"),
            "event": event,
            "rows": rows,
            "refresh_seconds": LIST_REFRESH_SECONDS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def walkin_view(request: HttpRequest, lookup_id: int) -> HttpResponse:
    _needs(request, "screener.view_lookup")
    lookup = walkin_get(request.user, lookup_id)
    form = IdCheckForm()
    status = 200
    if request.method == "POST":
        _needs(request, "screener.check_identity")
        form = IdCheckForm(request.POST)
        if form.is_valid():
            try:
                identity_check_record(
                    lookup_id=lookup.pk,
                    actor=request.user,
                    method=IdentityProof.Method.IN_PERSON,
                    id_kind=form.cleaned_data["id_kind"],
                    ip_address=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("ID check recorded."))
                return see_other(reverse("admin:outreach_walkin", args=[lookup.pk]))
        status = 400
    answer = walkin_answer(lookup)
    if answer.shown.case_details:
        audit_record(
            actor=request.user,
            action=Action.OUTREACH_WALKIN_VIEWED,
            obj=lookup,
            summary=f"Walk-in {lookup.reference}'s answer shown after an ID check",
            ip_address=client_ip(request),
        )
    return _page(
        request,
        "outreach/walkin.html",
        {
            "title": _("Walk-in %(reference)s") % {"reference": lookup.reference},
            "answer": answer,
            "outcome_label": OUTCOME_LABELS[PublicOutcome(answer.outcome)]
            if answer.outcome
            else "",
            "form": form,
            "languages": settings.LANGUAGES,
        },
        status=status,
    )


def _letter_language(request: HttpRequest, lookup) -> str:
    wanted = request.GET.get("lang", "")
    codes = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in codes else (lookup.language if lookup.language in codes else "en")


def _letter(request: HttpRequest, lookup):
    if walkin_answer(lookup).letter is None:
        raise Http404(_("No letter: the person's ID was not checked or the answer is not final."))
    verification = letter_verification_issue(
        lookup=lookup, actor=request.user, ip_address=client_ip(request)
    )
    return letter_content(lookup, verification=verification)


@never_cache
def letter_view(request: HttpRequest, lookup_id: int) -> HttpResponse:
    """The letter as a page to print from the browser, in the language asked for."""
    _needs(request, "screener.view_lookup")
    lookup = walkin_get(request.user, lookup_id)
    with translation.override(_letter_language(request, lookup)):
        content = _letter(request, lookup)
        return render(
            request,
            "outreach/letter.html",
            {
                "letter": content,
                "back_url": reverse("admin:outreach_walkin", args=[lookup.pk]),
                "pdf_url": reverse("admin:outreach_letter_pdf", args=[lookup.pk])
                + f"?lang={translation.get_language()}",
            },
        )


@never_cache
def letter_pdf_view(request: HttpRequest, lookup_id: int) -> HttpResponse:
    _needs(request, "screener.view_lookup")
    lookup = walkin_get(request.user, lookup_id)
    language = _letter_language(request, lookup)
    with translation.override(language):
        pdf = letter_pdf(_letter(request, lookup))
    audit_record(
        actor=request.user,
        action=Action.LETTER_DOWNLOADED,
        obj=lookup,
        summary="letter downloaded as PDF at an outreach event",
        detail={"format": "pdf", "language": language, "event": lookup.event_id},
        ip_address=client_ip(request),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="relief-check-letter.pdf"'
    return response


@never_cache
def report_view(request: HttpRequest, event_id: int) -> HttpResponse:
    _needs(request, REPORT_PERMISSION)
    event = get_object_or_404(events_visible(request.user), pk=event_id)
    report = event_report(event)
    as_csv = request.GET.get("format") == "csv"
    audit_record(
        actor=request.user,
        action=Action.OUTREACH_REPORT_DOWNLOADED if as_csv else Action.OUTREACH_REPORT_VIEWED,
        obj=event,
        summary=f"Report of outreach event {event.pk} {'downloaded' if as_csv else 'viewed'}",
        ip_address=client_ip(request),
    )
    if as_csv:
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-report.csv"'
        return response
    return _page(
        request,
        "outreach/report.html",
        {"title": _("Event report"), "event": event, "rows": report_rows(report)},
    )
