"""The public pages: home, the lookup form and its confirmation, the status page, result letters.

Privacy rules these views keep:
- Nothing a person typed goes into a URL or a log line. Forms post; the confirmation page reads
  the reference code from the session; the status page and the letter render on the POST.
- The answer to "was a case found?" goes only to the contact the person gave. The response to a
  new lookup is a redirect to the same confirmation page whatever matching finds, and it is
  padded to LOOKUP_RESPONSE_MIN_SECONDS, because in the embedded set-up the check runs eagerly
  inside this request: without the floor, the time taken would tell a match from no match.
- Wrong reference/date-of-birth pairs all get one generic message.
"""

import logging
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from audit.request import client_ip
from cases.models import Relief
from screener import letters
from screener.forms import LetterAccessForm, LookupForm, StatusForm
from screener.models import Lookup
from screener.selectors import public_status_by_reference, public_status_find
from screener.services import lookup_submit

logger = logging.getLogger(__name__)

CONFIRMATION_SESSION_KEY = "screener_confirmation"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "screener/home.html", {"retention_days": settings.LOOKUP_RETENTION_DAYS})


@never_cache
@require_http_methods(["GET", "POST"])
def lookup_start(request: HttpRequest) -> HttpResponse:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if request.method != "POST":
        return _render_lookup_form(request, LookupForm(language=language))

    started = time.monotonic()
    form = LookupForm(request.POST, language=language)
    if form.honeypot_tripped():
        logger.info("lookup form: honeypot field filled in; nothing recorded")
        form.add_error(None, _("We could not send your request. Please try again."))
        return _render_lookup_form(request, form, status=400)
    if not form.is_valid():
        return _render_lookup_form(request, form, status=400)

    if _limited(request, "lookup-ip", "ip", settings.SUBMIT_RATE_PER_IP) or _limited(
        request,
        "lookup-contact",
        lambda group, req: form.contact_key(),
        settings.SUBMIT_RATE_PER_CONTACT,
    ):
        return too_many_requests(request)

    lookup, created = lookup_submit(
        details=form.details(), channel=Lookup.Channel.WEB, ip_address=client_ip(request)
    )
    request.session[CONFIRMATION_SESSION_KEY] = {
        "reference": lookup.reference,
        "repeat": not created,
    }
    # 303: the browser fetches the confirmation with GET, so reloading it re-sends nothing.
    response = HttpResponseRedirect(reverse("screener:lookup_received") + "#main-content")
    response.status_code = 303
    _pad_to_floor(started)
    return response


def _render_lookup_form(request: HttpRequest, form: LookupForm, status: int = 200) -> HttpResponse:
    return render(request, "screener/lookup_form.html", {"form": form}, status=status)


@never_cache
def lookup_received(request: HttpRequest) -> HttpResponse:
    confirmation = request.session.get(CONFIRMATION_SESSION_KEY)
    if not confirmation:
        return redirect("screener:lookup")
    # Only a re-submission of the same details and contact shows where the request is: the
    # person has just proved they know both. A first submission's page is the same whatever
    # matching found.
    status = (
        public_status_by_reference(confirmation["reference"]) if confirmation["repeat"] else None
    )
    return render(
        request,
        "screener/lookup_received.html",
        {
            "reference": confirmation["reference"],
            "repeat": confirmation["repeat"],
            "status": status,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "screener/status.html", {"form": StatusForm()})

    form = StatusForm(request.POST)
    result = None
    if form.honeypot_tripped():
        logger.info("status form: honeypot field filled in")
        form.add_error(None, _("We could not check this request. Please try again."))
    elif form.is_valid():
        reference = form.cleaned_data["reference"]
        if _limited(request, "status-ip", "ip", settings.STATUS_RATE_PER_IP) or _limited(
            request,
            "status-reference",
            lambda group, req: reference,
            settings.STATUS_RATE_PER_REFERENCE,
        ):
            return too_many_requests(request)
        result = public_status_find(
            reference=reference, date_of_birth=form.cleaned_data["date_of_birth"]
        )
        if result is None:
            form.add_error(
                None,
                _(
                    "We could not find a request with this reference code and date of birth. "
                    "Check both and try again."
                ),
            )
    if result is not None:
        form = StatusForm()  # ready for another request; the answer is shown above it
    return render(
        request,
        "screener/status.html",
        {"form": form, "result": result},
        status=200 if result is not None else 400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest, token: str) -> HttpResponse:
    try:
        lookup_id = letters.letter_lookup_id(token)
    except letters.LetterLinkExpired:
        return _letter_unavailable(request, expired=True)
    except letters.LetterLinkInvalid:
        return _letter_unavailable(request, expired=False)

    # Someone opening the link from a message on a new device sees it in the message's language,
    # unless they have already chosen one on this site.
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        language = Lookup.objects.filter(pk=lookup_id).values_list("language", flat=True).first()
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language

    if request.method != "POST":
        return render(request, "screener/letter_access.html", {"form": LetterAccessForm()})

    form = LetterAccessForm(request.POST)
    lookup = None
    if form.honeypot_tripped():
        logger.info("letter form: honeypot field filled in")
        form.add_error(None, _("We could not open your letter. Please try again."))
    elif form.is_valid():
        if _limited(request, "letter-ip", "ip", settings.STATUS_RATE_PER_IP) or _limited(
            request,
            "letter-lookup",
            lambda group, req: str(lookup_id),
            settings.STATUS_RATE_PER_REFERENCE,
        ):
            return too_many_requests(request)
        lookup = letters.letter_lookup(
            lookup_id=lookup_id, date_of_birth=form.cleaned_data["date_of_birth"]
        )
        if lookup is None:
            form.add_error(
                None,
                _(
                    "This date of birth does not match our records for this letter. Check it and "
                    "try again."
                ),
            )
    if lookup is None:
        return render(request, "screener/letter_access.html", {"form": form}, status=400)
    cases = letters.letter_cases(lookup)
    reliefs = {case.relief for case in cases}
    return render(
        request,
        "screener/letter.html",
        {
            "lookup": lookup,
            "cases": cases,
            "has_sealed": Relief.DISMISSED_AND_SEALED in reliefs,
            "has_reduced": Relief.REDUCED in reliefs,
        },
    )


def _letter_unavailable(request: HttpRequest, *, expired: bool) -> HttpResponse:
    return render(
        request,
        "screener/letter_unavailable.html",
        {"expired": expired, "max_age_days": settings.RESULT_LINK_MAX_AGE_DAYS},
        status=410 if expired else 404,
    )


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 429 page; also django-ratelimit's RATELIMIT_VIEW for views using its decorator."""
    # The view name, not the path: letter paths carry a signed token.
    logger.warning("rate limit reached on %s", getattr(request.resolver_match, "view_name", "?"))
    return render(request, "429.html", status=429)


def _limited(request: HttpRequest, group: str, key, rate: str) -> bool:
    """Count this request against a limit and say whether it is over (django-ratelimit).

    The "ip" key is audit.request.client_ip's address (RATELIMIT_IP_META_KEY), as in audit rows.
    """
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def _pad_to_floor(started: float) -> None:
    """Hold the response to LOOKUP_RESPONSE_MIN_SECONDS while the check runs inside it.

    Only then can the time taken tell a match from no match. With a broker the response waits
    for no matching, and padding would only hold a web worker: with 3 sync workers the 1.5 s
    floor capped the form at 2 submissions a second.
    """
    from screener.tasks import check_lookup

    if not check_lookup.app.conf.task_always_eager:
        return
    elapsed = time.monotonic() - started
    floor = settings.LOOKUP_RESPONSE_MIN_SECONDS
    if elapsed < floor:
        time.sleep(floor - elapsed)
    elif floor > 0:
        # The floor no longer hides the work: raise LOOKUP_RESPONSE_MIN_SECONDS.
        logger.warning("lookup submission took %.2fs, over the %.2fs floor", elapsed, floor)
