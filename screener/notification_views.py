"""Opting out: Twilio's inbound SMS webhook (STOP/START) and the unsubscribe link in emails."""

import hmac
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from config.site import site_url
from screener.contact import contact_mask
from screener.models import InboundWebhook, Lookup, Notification
from screener.notifications.links import unsubscribe_lookup_id, unsubscribe_recipient
from screener.notifications.suppressions import is_suppressed, suppression_add, suppression_remove
from screener.sms import sms_opt_keyword, twilio_signature_valid

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# How long a message id is remembered; Twilio retries a webhook within minutes.
WEBHOOK_REPLAY_WINDOW = timedelta(days=1)


def webhook_first_time(message_sid: str) -> bool:
    """Record a message id; False when it was already seen in the replay window."""
    InboundWebhook.objects.filter(received_at__lt=timezone.now() - WEBHOOK_REPLAY_WINDOW).delete()
    try:
        with transaction.atomic():
            InboundWebhook.objects.create(message_sid=message_sid[:64])
    except IntegrityError:
        return False
    return True


# Twilio signs its requests instead of sending a CSRF token; the signature is checked below.
@csrf_exempt
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    # Twilio signs the public URL it was configured with, which behind a proxy is SITE_URL's.
    url = site_url(request.get_full_path())
    params = {name: request.POST.getlist(name) for name in request.POST}
    if not twilio_signature_valid(
        url=url,
        params=params,
        signature=request.headers.get("X-Twilio-Signature", ""),
        auth_token=settings.TWILIO_AUTH_TOKEN,
    ):
        logger.warning("inbound SMS webhook: missing or invalid Twilio signature")
        return HttpResponseForbidden()
    # A valid signature from another account of ours (a test or staging account) is not ours.
    account = request.POST.get("AccountSid", "")
    if not (
        settings.TWILIO_ACCOUNT_SID
        and hmac.compare_digest(account.encode(), settings.TWILIO_ACCOUNT_SID.encode())
    ):
        logger.warning("inbound SMS webhook: the request is for another Twilio account")
        return HttpResponseForbidden()
    message_sid = request.POST.get("MessageSid", "")
    if not message_sid:
        return HttpResponseBadRequest()
    if not webhook_first_time(message_sid):
        logger.info("inbound SMS webhook: message %s already handled; replay dropped", message_sid)
        # 2xx, or Twilio would keep sending it.
        return HttpResponse(EMPTY_TWIML, content_type="text/xml")
    sender = request.POST.get("From", "")
    keyword = sms_opt_keyword(request.POST.get("Body", ""))
    if sender and keyword == "stop":
        suppression_add(channel=Notification.Channel.SMS, recipient=sender, reason="SMS STOP")
    elif sender and keyword == "start":
        suppression_remove(channel=Notification.Channel.SMS, recipient=sender, reason="SMS START")
    # An empty TwiML answer: Twilio sends no reply of ours (its own opt-out reply still goes).
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


# The signed token is the authority, not a session: mailbox providers' one-click unsubscribe
# (RFC 8058) posts here without a CSRF token.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    lookup_id = unsubscribe_lookup_id(token)
    if lookup_id is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    recipient = unsubscribe_recipient(lookup_id)

    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        language = Lookup.objects.filter(pk=lookup_id).values_list("language", flat=True).first()
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language

    context = {"masked_recipient": contact_mask(recipient), "token": token}
    if not recipient:
        # The request's contact details were already erased: nothing can be sent to it.
        return render(request, "notifications/unsubscribe_done.html", context)
    if request.method == "POST":
        suppression_add(
            channel=Notification.Channel.EMAIL, recipient=recipient, reason="email unsubscribe link"
        )
        return render(request, "notifications/unsubscribe_done.html", context)
    if is_suppressed(channel=Notification.Channel.EMAIL, recipient=recipient):
        return render(request, "notifications/unsubscribe_done.html", context)
    return render(request, "notifications/unsubscribe.html", context)
