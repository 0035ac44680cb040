"""The person's own pages after the form: the one-time code, the result link, the answer, the
case-number step-up, the letter and the identity provider's round trip; About and Privacy.

What each page shows is the disclosure policy's to decide (screener/disclosure.py), from the
level this browser has reached (screener.access.session) and the lookup's public outcome:
- the code page (level 0) is the same for every outcome;
- the answer page (level 1) says the outcome in general terms (or, under the strict policy,
  nothing of it) and offers the ways to level 2;
- the letter (level 2) lists the cases, as a page and as a PDF, with its verification code.
"""

import hmac
import logging
from dataclasses import asdict
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.actions import Action
from audit.request import client_ip
from audit.services import audit_record
from cases.models import Relief
from config.site import site_url
from screener.access import providers
from screener.access.codes import (
    CODE_VALID_MINUTES,
    CodeResult,
    code_channel,
    contact_code_check,
)
from screener.access.codes import contact_code_request as code_send
from screener.access.identity import (
    identity_prove_case_number,
    identity_prove_with_provider,
    lookup_access_level,
)
from screener.access.links import (
    LinkOpen,
    LinkUnavailable,
    result_link_check_birth_date,
    result_link_find,
)
from screener.access.session import (
    AccessState,
    access_begin,
    access_current,
    access_end,
    access_verified,
)
from screener.disclosure import Level, PublicOutcome, Surface, disclosure, public_outcome
from screener.forms import CaseNumberForm, CodeForm, LetterAccessForm
from screener.letter_pdf import letter_pdf
from screener.letters import LetterContent, letter_content, letter_reliefs
from screener.limits import limit_wait
from screener.models import Lookup, ResultLink
from screener.selectors import lookup_public_status
from screener.verification import letter_verification_issue
from screener.views import (
    activate_lookup_language,
    code_send_wait,
    contacts_masked,
    render_limited,
    see_other,
)

logger = logging.getLogger(__name__)

LINK_SESSION_KEY = "screener_link"
PROVIDER_SESSION_KEY = "screener_identity_provider"
CODE_SENT_SESSION_KEY = "screener_code_sent"


# --- The one-time code (level 0 → 1) --------------------------------------------------------------


def render_code_page(
    request: HttpRequest,
    state: AccessState,
    form: CodeForm | None = None,
    *,
    status: int = 200,
    retry_after: int | None = None,
    offer_new_code: bool = False,
) -> HttpResponse:
    """The page asking for the code. It names where the code went and nothing else."""
    # Where the code went is all this page shows of the lookup.
    lookup = (
        Lookup.objects.filter(pk=state.lookup_id, anonymized_at__isnull=True)
        .only("pk", "email", "phone")
        .first()
    )
    if lookup is None:
        access_end(request)
        return redirect("screener:status")
    context = {
        "form": form or CodeForm(),
        "just_submitted": state.just_submitted,
        "contacts": contacts_masked(lookup),
        "sent_to": request.session.pop(CODE_SENT_SESSION_KEY, ""),
        "code_minutes": CODE_VALID_MINUTES,
        "offer_new_code": offer_new_code,
    }
    return render_limited(
        request, "screener/code.html", context, status=status, retry_after=retry_after
    )


CODE_ERRORS = {
    CodeResult.USED_UP: gettext_lazy(
        "That was the last try for this code. Send yourself a new code."
    ),
    CodeResult.EXPIRED: gettext_lazy(
        "This code has expired: codes work for 10 minutes. Send yourself a new code."
    ),
    CodeResult.REPLACED: gettext_lazy(
        "This code was replaced by a newer one. Use the code in the latest message we sent you."
    ),
    CodeResult.USED: gettext_lazy("This code was already used. Send yourself a new code."),
    CodeResult.NONE_SENT: gettext_lazy(
        "The message with your code is on its way. Wait a minute, then check your email or text "
        "messages."
    ),
}


@never_cache
def lookup_received(request: HttpRequest) -> HttpResponse:
    """The page after the form: the same for every outcome, asking for the code just sent."""
    state = access_current(request)
    if state is None:
        return redirect("screener:lookup")
    if state.contact_verified:
        return redirect("screener:result")
    return render_code_page(request, state)


@never_cache
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    state = access_current(request)
    if state is None:
        return redirect("screener:status")
    if request.method != "POST":
        return render_code_page(request, state)

    lookup = Lookup.objects.filter(pk=state.lookup_id, anonymized_at__isnull=True).first()
    if lookup is None:
        access_end(request)
        return redirect("screener:status")
    if "send" in request.POST:
        wait = code_send_wait(request, lookup)
        if wait:
            return render_code_page(request, state, retry_after=wait)
        channel = code_channel(lookup, request.POST.get("send", ""))
        code_send(lookup=lookup, channel=channel)
        request.session[CODE_SENT_SESSION_KEY] = channel
        return see_other(request.path)

    form = CodeForm(request.POST)
    if form.honeypot_tripped():
        logger.info("code form: honeypot field filled in")
        form.add_error(None, _("We could not check this code. Please try again."))
        return render_code_page(request, state, form, status=400)
    wait = limit_wait(request, group="code-check-ip", key="ip", rate=settings.CODE_CHECKS_PER_IP)
    if wait:
        return render_code_page(request, state, form, retry_after=wait)
    if not form.is_valid():
        return render_code_page(request, state, form, status=400)
    checked = contact_code_check(
        lookup_id=lookup.pk, code=form.cleaned_data["code"], ip_address=client_ip(request)
    )
    if checked.accepted:
        access_verified(request, lookup_id=lookup.pk)
        return see_other(reverse("screener:result") + "#main-content")
    if checked.result == CodeResult.WRONG:
        message = ngettext(
            "That code is not right. Check it and try again: you have %(count)d try left.",
            "That code is not right. Check it and try again: you have %(count)d tries left.",
            checked.tries_left,
        ) % {"count": checked.tries_left}
    else:
        message = str(CODE_ERRORS[checked.result])
    form.add_error("code", message)
    offer = checked.result not in (CodeResult.WRONG, CodeResult.NONE_SENT)
    return render_code_page(request, state, form, status=400, offer_new_code=offer)


# --- The result link (a message's link → date of birth → code) ------------------------------------


def _link_unavailable(request: HttpRequest, *, expired: bool) -> HttpResponse:
    return render(
        request,
        "screener/link_unavailable.html",
        {"expired": expired, "max_age_days": settings.RESULT_LINK_MAX_AGE_DAYS},
        status=410 if expired else 404,
    )


@never_cache
@require_GET
def link(request: HttpRequest, token: str) -> HttpResponse:
    """A link from a message. The token goes into the session and out of the address bar (and
    so out of the history and of any Referer), as Django's password-reset links do."""
    try:
        found = result_link_find(token)
    except LinkUnavailable as exc:
        return _link_unavailable(request, expired=exc.expired)
    request.session[LINK_SESSION_KEY] = found.pk
    response = see_other(reverse("screener:link_open"))
    language = found.lookup.language
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and language in dict(
        settings.LANGUAGES
    ):
        # The pages that follow read in the message's language, unless the person changes it.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def link_open(request: HttpRequest) -> HttpResponse:
    link_id = request.session.get(LINK_SESSION_KEY)
    found = ResultLink.objects.filter(pk=link_id).select_related("lookup").first()
    if found is None:
        return _link_unavailable(request, expired=False)
    lookup = found.lookup
    activate_lookup_language(request, lookup)
    if found.revoked_at is not None or lookup.anonymized_at is not None:
        return _link_unavailable(request, expired=False)
    if request.method != "POST":
        return render(request, "screener/link_open.html", {"form": LetterAccessForm()})

    form = LetterAccessForm(request.POST)
    if form.honeypot_tripped():
        logger.info("link form: honeypot field filled in")
        form.add_error(None, _("We could not open your answer. Please try again."))
        return render(request, "screener/link_open.html", {"form": form}, status=400)
    wait = limit_wait(request, group="link-ip", key="ip", rate=settings.STATUS_RATE_PER_IP)
    if wait:
        return render_limited(request, "screener/link_open.html", {"form": form}, retry_after=wait)
    if not form.is_valid():
        return render(request, "screener/link_open.html", {"form": form}, status=400)
    attempt = result_link_check_birth_date(
        link_id=found.pk, date_of_birth=form.cleaned_data["date_of_birth"]
    )
    if attempt.result == LinkOpen.LOCKED:
        return render_limited(
            request, "screener/link_open.html", {"form": form}, retry_after=attempt.retry_after
        )
    if attempt.result == LinkOpen.WRONG:
        form.add_error(
            None,
            _(
                "This date of birth does not match our records for this link. Check it and try "
                "again."
            ),
        )
        return render(request, "screener/link_open.html", {"form": form}, status=400)
    code_send(lookup=lookup, channel=code_channel(lookup))
    access_begin(request, lookup_id=lookup.pk)
    return see_other(reverse("screener:code"))


# --- The answer (level 1 and 2) -------------------------------------------------------------------


def _verified_lookup(request: HttpRequest) -> tuple[Lookup, Level] | None:
    """The lookup this browser typed the code for, and the level it has reached; or None."""
    state = access_current(request)
    if state is None or not state.contact_verified:
        return None
    lookup = Lookup.objects.filter(pk=state.lookup_id).first()
    if lookup is None or lookup.anonymized_at is not None:
        access_end(request)
        return None
    return lookup, lookup_access_level(lookup, contact_verified=True)


def _shown(lookup: Lookup, level: Level):
    return disclosure(
        outcome=public_outcome(lookup.status),
        surface=Surface.PAGE,
        level=level,
        policy=settings.DISCLOSURE_POLICY,
    )


def render_result(
    request: HttpRequest,
    lookup: Lookup,
    level: Level,
    *,
    case_form: CaseNumberForm | None = None,
    status: int = 200,
    retry_after: int | None = None,
) -> HttpResponse:
    outcome = public_outcome(lookup.status)
    shown = _shown(lookup, level)
    reliefs = letter_reliefs(lookup) if shown.outcome and outcome == PublicOutcome.FOUND else ()
    provider = providers.identity_provider() if shown.step_up else None
    context = {
        "shown": asdict(shown),
        "level": int(level),
        "reference": lookup.reference if shown.reference else "",
        "status": lookup_public_status(lookup) if shown.stage else None,
        "outcome": outcome.value if shown.outcome else "",
        "has_sealed": Relief.DISMISSED_AND_SEALED in reliefs,
        "has_reduced": Relief.REDUCED in reliefs,
        "staff_request": _staff_request(lookup) if shown.staff_request else "",
        "case_form": case_form or CaseNumberForm(),
        "provider_name": provider.name if provider is not None else "",
    }
    return render_limited(
        request, "screener/result.html", context, status=status, retry_after=retry_after
    )


def _staff_request(lookup: Lookup) -> str:
    if lookup.status != Lookup.Status.MORE_INFO:
        return ""
    asked = lookup.decisions.filter(decision="more_info").order_by("-created_at", "-pk").first()
    return asked.message_to_person if asked is not None else ""


def needs_code(view):
    """A page for a browser that typed the code: view(request, lookup, level); else the status
    page, where a code can be asked for."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        verified = _verified_lookup(request)
        if verified is None:
            return redirect("screener:status")
        return view(request, *verified)

    return wrapped


@never_cache
@require_GET
@needs_code
def result(request: HttpRequest, lookup: Lookup, level: Level) -> HttpResponse:
    return render_result(request, lookup, level)


@never_cache
@require_POST
@needs_code
def case_number(request: HttpRequest, lookup: Lookup, level: Level) -> HttpResponse:
    if not _shown(lookup, level).step_up:
        return redirect("screener:result")
    form = CaseNumberForm(request.POST)
    if form.honeypot_tripped():
        form.add_error(None, _("We could not check this case number. Please try again."))
        return render_result(request, lookup, level, case_form=form, status=400)
    if not form.is_valid():
        return render_result(request, lookup, level, case_form=form, status=400)
    wait = limit_wait(
        request,
        group="case-number-lookup",
        key=lambda group, req: str(lookup.pk),
        rate=settings.CASE_NUMBER_TRIES_PER_LOOKUP,
    ) or limit_wait(request, group="case-number-ip", key="ip", rate=settings.STATUS_RATE_PER_IP)
    if wait:
        return render_result(request, lookup, level, case_form=form, retry_after=wait)
    proof = identity_prove_case_number(
        lookup_id=lookup.pk,
        case_number=form.cleaned_data["case_number"],
        ip_address=client_ip(request),
    )
    if proof is None:
        form.add_error(
            "case_number",
            _(
                "This case number is not one of the cases we found for you. Check it against "
                "your court papers and try again."
            ),
        )
        return render_result(request, lookup, level, case_form=form, status=400)
    return see_other(reverse("screener:letter") + "#main-content")


def _issued_letter(request: HttpRequest, lookup: Lookup) -> LetterContent:
    """The letter with its verification code; issuing it (or issuing it again) is audited."""
    verification = letter_verification_issue(lookup=lookup, ip_address=client_ip(request))
    return letter_content(lookup, verification=verification)


@never_cache
@require_GET
@needs_code
def letter(request: HttpRequest, lookup: Lookup, level: Level) -> HttpResponse:
    if not _shown(lookup, level).letter:
        return redirect("screener:result")
    return render(request, "screener/letter.html", {"letter": _issued_letter(request, lookup)})


@never_cache
@require_GET
@needs_code
def letter_download(request: HttpRequest, lookup: Lookup, level: Level) -> HttpResponse:
    """The same letter as a PDF, in the page's language. The file name carries no reference."""
    if not _shown(lookup, level).letter:
        return redirect("screener:result")
    content = letter_pdf(_issued_letter(request, lookup))
    audit_record(
        actor=None,
        action=Action.LETTER_DOWNLOADED,
        obj=lookup,
        summary="letter downloaded as PDF",
        detail={"format": "pdf", "language": get_language() or "en"},
        ip_address=client_ip(request),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="relief-check-letter.pdf"'
    return response


@require_POST
def close(request: HttpRequest) -> HttpResponse:
    """Forget the answer on this browser (a shared or borrowed computer)."""
    access_end(request)
    messages.success(request, _("Your answer is closed on this device."))
    return see_other(reverse("screener:home"))


# --- The identity provider's round trip -----------------------------------------------------------


def _provider_redirect_uri() -> str:
    return site_url(reverse("screener:identity_return"))


@never_cache
@require_POST
@needs_code
def identity_start(request: HttpRequest, lookup: Lookup, level: Level) -> HttpResponse:
    provider = providers.identity_provider()
    if provider is None or not _shown(lookup, level).step_up:
        return redirect("screener:result")
    auth = providers.authorization_request_new()
    request.session[PROVIDER_SESSION_KEY] = {"lookup": lookup.pk, **asdict(auth)}
    url = provider.authorization_url(
        redirect_uri=_provider_redirect_uri(),
        state=auth.state,
        nonce=auth.nonce,
        code_challenge=auth.code_challenge,
    )
    return see_other(url)


@never_cache
@require_GET
def identity_return(request: HttpRequest) -> HttpResponse:
    kept = request.session.pop(PROVIDER_SESSION_KEY, None)
    verified = _verified_lookup(request)
    provider = providers.identity_provider()
    if verified is None or provider is None:
        return redirect("screener:status")
    lookup, _level = verified
    state = request.GET.get("state", "")
    if not kept or kept["lookup"] != lookup.pk or not hmac.compare_digest(kept["state"], state):
        messages.error(request, _("We could not finish proving who you are. Please try again."))
        return redirect("screener:result")
    if "error" in request.GET or not request.GET.get("code"):
        messages.error(request, _("You did not finish proving who you are. You can try again."))
        return redirect("screener:result")
    try:
        person = provider.verified_person(
            code=request.GET["code"],
            redirect_uri=_provider_redirect_uri(),
            nonce=kept["nonce"],
            code_verifier=kept["code_verifier"],
        )
    except providers.IdentityProviderError:
        logger.warning("identity provider %s: the code exchange failed", provider.name)
        messages.error(
            request,
            _("%(provider)s did not answer us. Please try again later.")
            % {"provider": provider.name},
        )
        return redirect("screener:result")
    proof = identity_prove_with_provider(
        lookup_id=lookup.pk,
        person=person,
        provider_name=provider.name,
        ip_address=client_ip(request),
    )
    if proof is None:
        messages.error(
            request,
            _(
                "The identity %(provider)s confirmed does not match the name and date of birth "
                "of this request. If you think it should, contact us."
            )
            % {"provider": provider.name},
        )
        return redirect("screener:result")
    return see_other(reverse("screener:letter") + "#main-content")


# --- About and Privacy ----------------------------------------------------------------------------


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "screener/about.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "screener/privacy.html",
        {
            "retention_days": settings.LOOKUP_RETENTION_DAYS,
            "link_days": settings.RESULT_LINK_MAX_AGE_DAYS,
            "code_minutes": CODE_VALID_MINUTES,
            "abuse_days": settings.ABUSE_WINDOW_DAYS,
            "strict": settings.DISCLOSURE_POLICY == "strict",
        },
    )
