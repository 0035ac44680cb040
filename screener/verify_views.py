"""/verify/: someone shown a result letter confirms that this service issued it.

The page says only what screener.verification.VerifiedLetter holds (the date, the reference,
found or not found); every unknown or mistyped code gets the same neutral answer. Limited per
address (LETTER_VERIFY_RATE_PER_IP) and audited on each check. The code is posted, never put in
the address, so it stays out of logs and browser history.
"""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.request import client_ip
from screener.forms import LetterVerifyForm
from screener.limits import limit_wait
from screener.verification import letter_verification_check
from screener.views import render_limited

logger = logging.getLogger(__name__)
TEMPLATE = "screener/verify.html"


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": LetterVerifyForm()})
    form = LetterVerifyForm(request.POST)
    if form.honeypot_tripped():
        logger.info("verify form: honeypot field filled in")
        form.add_error(None, _("We could not check this code. Please try again."))
        return render(request, TEMPLATE, {"form": form}, status=400)
    wait = limit_wait(
        request, group="letter-verify-ip", key="ip", rate=settings.LETTER_VERIFY_RATE_PER_IP
    )
    if wait:
        return render_limited(request, TEMPLATE, {"form": form}, retry_after=wait)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    verified = letter_verification_check(
        code=form.cleaned_data["code"], ip_address=client_ip(request)
    )
    if verified is None:
        # One answer for every code we did not issue, mistyped or made up.
        return render(request, TEMPLATE, {"form": form, "unknown": True}, status=404)
    return render(request, TEMPLATE, {"form": LetterVerifyForm(), "verified": verified})
