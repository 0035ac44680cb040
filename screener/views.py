"""The public pages: home, the lookup form and its confirmation, the status page, the 429 page.

Privacy rules these views keep (what each level may see: screener/disclosure.py):
- Nothing a person typed goes into a URL or a log line. Forms post; the pages after the form
  read which lookup they are about from the session.
- Knowing a name and a date of birth proves nothing. The page after the form is the same
  whatever matching finds, for a new request and a repeated one: it names no reference code and
  no stage, and asks for the one-time code sent to the contact given (screener.access_views).
  The response to a new lookup is padded to LOOKUP_RESPONSE_MIN_SECONDS, because in the
  embedded set-up the check runs eagerly inside this request: without the floor, the time taken
  would tell a match from no match.
- The status page, with a reference code and a date of birth, only sends things to the contact
  on file: a code, or the answer again. Wrong reference/date-of-birth pairs get one message.
"""

import logging
import secrets
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.request import client_ip
from screener.access import abuse
from screener.access.codes import code_channel, contact_code_request
from screener.access.links import answer_send_again
from screener.access.session import access_begin
from screener.contact import contact_mask
from screener.forms import LookupForm, StatusForm
from screener.limits import limit_wait, wait_text
from screener.models import Lookup, Notification
from screener.selectors import lookup_find_for_status
from screener.services import lookup_submit

logger = logging.getLogger(__name__)

# A random id per browser, for the limit on how many people one browser may ask about.
DEVICE_COOKIE = "rc_device"
DEVICE_COOKIE_SALT = "screener.views.device"
DEVICE_COOKIE_MAX_AGE = 365 * 86400


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

    device_id, device_is_new = _device_id(request)
    details = form.details()
    wait = (
        limit_wait(request, group="lookup-ip", key="ip", rate=settings.SUBMIT_RATE_PER_IP)
        or limit_wait(
            request,
            group="lookup-contact",
            key=lambda group, req: form.contact_key(),
            rate=settings.SUBMIT_RATE_PER_CONTACT,
        )
        or abuse.people_limit_wait(
            email=details.email,
            phone=details.phone,
            # A browser given its id just now has asked about nobody: one query fewer for
            # every first-time visitor, most of a launch-day surge.
            device="" if device_is_new else abuse.device_key(device_id),
            person_key=abuse.person_key(
                first_name=details.first_name,
                last_name=details.last_name,
                date_of_birth=details.date_of_birth,
            ),
        )
    )
    if wait:
        return _device_remembered(
            _render_lookup_form(request, form, status=429, retry_after=wait), device_id
        )

    # New or repeated, held or not: the same page, and a code to the contact given.
    lookup, _created = lookup_submit(
        details=details,
        channel=Lookup.Channel.WEB,
        ip_address=client_ip(request),
        device_key=abuse.device_key(device_id),
        send_code=True,
    )
    access_begin(request, lookup_id=lookup.pk, just_submitted=True)
    # 303: the browser fetches the confirmation with GET, so reloading it re-sends nothing.
    response = HttpResponseRedirect(reverse("screener:lookup_received") + "#main-content")
    response.status_code = 303
    _device_remembered(response, device_id)
    _pad_to_floor(started)
    return response


def contacts_masked(lookup: Lookup) -> dict[str, str]:
    """The lookup's contacts as the person may see them again: m•••@example.org, •••-0123."""
    return {
        channel: contact_mask(value)
        for channel, value in (
            (Notification.Channel.EMAIL, lookup.email),
            (Notification.Channel.SMS, lookup.phone),
        )
        if value
    }


def _device_id(request: HttpRequest) -> tuple[str, bool]:
    """The browser's id from its signed cookie, or a new one; and whether it is new."""
    kept = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_COOKIE_SALT)
    return (kept, False) if kept else (secrets.token_urlsafe(16), True)


def _device_remembered(response: HttpResponse, device_id: str) -> HttpResponse:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device_id,
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _render_lookup_form(
    request: HttpRequest, form: LookupForm, status: int = 200, retry_after: int | None = None
) -> HttpResponse:
    return render_limited(
        request, "screener/lookup_form.html", {"form": form}, status=status, retry_after=retry_after
    )


def render_limited(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    status: int = 200,
    retry_after: int | None = None,
) -> HttpResponse:
    """Render a form page; over a limit, the same page (what was typed kept) as a 429."""
    if retry_after:
        context = {**context, "retry_after_text": wait_text(retry_after)}
        status = 429
    response = render(request, template, context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
        _log_limited(request)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """A reference code and a date of birth: a code, or the answer again, to the contact on file."""
    if request.method != "POST":
        return render(request, "screener/status.html", {"form": StatusForm()})

    form = StatusForm(request.POST)
    if form.honeypot_tripped():
        logger.info("status form: honeypot field filled in")
        form.add_error(None, _("We could not check this request. Please try again."))
        return render(request, "screener/status.html", {"form": form}, status=400)
    if not form.is_valid():
        return render(request, "screener/status.html", {"form": form}, status=400)
    reference = form.cleaned_data["reference"]
    wait = limit_wait(
        request, group="status-ip", key="ip", rate=settings.STATUS_RATE_PER_IP
    ) or limit_wait(
        request,
        group="status-reference",
        key=lambda group, req: reference,
        rate=settings.STATUS_RATE_PER_REFERENCE,
    )
    if wait:
        return render_limited(request, "screener/status.html", {"form": form}, retry_after=wait)
    lookup = lookup_find_for_status(
        reference=reference, date_of_birth=form.cleaned_data["date_of_birth"]
    )
    if lookup is None:
        form.add_error(
            None,
            _(
                "We could not find a request with this reference code and date of birth. "
                "Check both and try again."
            ),
        )
        return render(request, "screener/status.html", {"form": form}, status=400)

    if request.POST.get("action") == "again":
        wait = limit_wait(
            request,
            group="answer-again",
            key=lambda group, req: str(lookup.pk),
            rate=settings.ANSWER_AGAIN_PER_LOOKUP,
        )
        if wait:
            return render_limited(request, "screener/status.html", {"form": form}, retry_after=wait)
        answer_send_again(lookup=lookup, ip_address=client_ip(request))
        context = {"form": StatusForm(), "sent_again": contacts_masked(lookup)}
        return render(request, "screener/status.html", context)

    wait = code_send_wait(request, lookup)
    if wait:
        return render_limited(request, "screener/status.html", {"form": form}, retry_after=wait)
    contact_code_request(lookup=lookup, channel=code_channel(lookup))
    access_begin(request, lookup_id=lookup.pk)
    return see_other(reverse("screener:code"))


def code_send_wait(request: HttpRequest, lookup: Lookup) -> int | None:
    """Count a code sent for `lookup` from this address; seconds to wait when over a limit."""
    return limit_wait(
        request, group="code-ip", key="ip", rate=settings.CODE_SENDS_PER_IP
    ) or limit_wait(
        request,
        group="code-lookup",
        key=lambda group, req: str(lookup.pk),
        rate=settings.CODE_SENDS_PER_LOOKUP,
    )


def see_other(url: str) -> HttpResponseRedirect:
    """303: the browser fetches `url` with GET, so reloading it re-sends nothing."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def activate_lookup_language(request: HttpRequest, lookup: Lookup) -> None:
    """A page opened from a message reads in the message's language, unless the person has
    chosen one on this site."""
    chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    if not chosen and lookup.language in dict(settings.LANGUAGES):
        translation.activate(lookup.language)
        request.LANGUAGE_CODE = lookup.language


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 429 page; django-ratelimit's RATELIMIT_VIEW for views using its decorator."""
    _log_limited(request)
    return render(request, "429.html", status=429)


def _log_limited(request: HttpRequest) -> None:
    # The view name, not the path: link paths carry a token.
    logger.warning("rate limit reached on %s", getattr(request.resolver_match, "view_name", "?"))


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
