"""The eligibility check's pages: questionnaire, estimate, worksheet and summary PDFs.

Privacy: the answers and the details typed for the worksheet live in the session only (never
in a URL, a log line or a table), and the session ends ELIGIBILITY_SESSION_MINUTES after the
last step; "Clear my answers" ends it at once. Only anonymous counts of outcomes are stored.
"""

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eligibility import worksheet
from eligibility.forms import MAX_CONVICTIONS, DetailsForm, QuestionnaireForm
from eligibility.records import record_from_answers
from eligibility.rules import Determination, Outcome, record_decide
from eligibility.services import determinations_count

SESSION_KEY = "eligibility"
ADD_ACTION = "add"


def _kept(request: HttpRequest) -> dict | None:
    kept = request.session.get(SESSION_KEY)
    if kept:
        # Each step restarts the clock: the session ends this long after the last one.
        request.session.set_expiry(settings.ELIGIBILITY_SESSION_MINUTES * 60)
    return kept


def _determinations(answers: dict, today: date) -> list[Determination]:
    return record_decide(record_from_answers(answers, as_of=today))


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _render_start(request: HttpRequest, form: QuestionnaireForm, *, status: int = 200):
    return render(
        request,
        "eligibility/start.html",
        {
            "form": form,
            "can_add": form.count < MAX_CONVICTIONS,
            "next_block": form.count + 1,
            "session_minutes": settings.ELIGIBILITY_SESSION_MINUTES,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        kept = _kept(request)
        form = QuestionnaireForm.from_answers(kept["answers"]) if kept else QuestionnaireForm()
        return _render_start(request, form)

    count = QuestionnaireForm.count_from(request.POST)
    if request.POST.get("action") == ADD_ACTION:
        # Another block, and no error messages yet: the person has not finished.
        data = request.POST.copy()
        data["convictions"] = str(min(count + 1, MAX_CONVICTIONS))
        form = QuestionnaireForm(initial=data.dict(), count=count + 1)
        return _render_start(request, form)

    form = QuestionnaireForm(request.POST, count=count)
    if not form.is_valid():
        return _render_start(request, form, status=400)
    today = timezone.localdate()
    answers = form.answers()
    determinations_count(outcomes=[d.outcome for d in _determinations(answers, today)], day=today)
    kept = request.session.get(SESSION_KEY) or {}
    request.session[SESSION_KEY] = {"answers": answers, "details": kept.get("details")}
    request.session.set_expiry(settings.ELIGIBILITY_SESSION_MINUTES * 60)
    return _see_other(reverse("eligibility:result") + "#main-content")


@never_cache
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest) -> HttpResponse:
    kept = _kept(request)
    if not kept:
        return redirect("eligibility:start")
    today = timezone.localdate()
    determinations = _determinations(kept["answers"], today)
    likely = worksheet.relief_likely(determinations)
    details_form = DetailsForm(initial=kept.get("details") or {})
    status = 200
    if request.method == "POST":
        if not likely:
            return _see_other(reverse("eligibility:result"))
        details_form = DetailsForm(request.POST)
        if details_form.is_valid():
            request.session[SESSION_KEY] = {**kept, "details": details_form.details()}
            return _see_other(reverse("eligibility:result") + "#worksheet")
        status = 400
    lines = worksheet.conviction_lines(kept["answers"], determinations)
    return render(
        request,
        "eligibility/result.html",
        {
            "lines": lines,
            "outside": [line for line in lines if line.determination is None],
            "determinations": determinations,
            "likely": likely,
            "needs_review": any(d.outcome == Outcome.HAND_REVIEW for d in determinations),
            "details": kept.get("details"),
            "details_form": details_form,
            "public_defender_phone": worksheet.public_defender_phone(),
            "session_minutes": settings.ELIGIBILITY_SESSION_MINUTES,
        },
        status=status,
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_GET
def worksheet_pdf(request: HttpRequest) -> HttpResponse:
    kept = _kept(request)
    if not kept:
        # The session ended (or never began): the start page says why answers are gone.
        return redirect("eligibility:start")
    today = timezone.localdate()
    determinations = _determinations(kept["answers"], today)
    if not kept.get("details") or not worksheet.relief_likely(determinations):
        return redirect("eligibility:result")
    content = worksheet.worksheet_pdf(
        answers=kept["answers"],
        determinations=determinations,
        details=kept["details"],
        today=today,
    )
    return _pdf(content, "cr-400-worksheet.pdf")


@never_cache
@require_GET
def summary_pdf(request: HttpRequest) -> HttpResponse:
    kept = _kept(request)
    if not kept:
        return redirect("eligibility:start")
    today = timezone.localdate()
    content = worksheet.summary_pdf(
        answers=kept["answers"],
        determinations=_determinations(kept["answers"], today),
        details=kept.get("details") or {},
        today=today,
    )
    return _pdf(content, "cannabis-check-summary.pdf")


@require_POST
def clear(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return _see_other(reverse("eligibility:start") + "?cleared=1")
