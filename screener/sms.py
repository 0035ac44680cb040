"""Sending text messages: a small backend interface, its implementations, and SMS arithmetic.

`settings.SMS_BACKEND` names the backend class: ConsoleSMSBackend (the embedded default, prints),
LocmemSMSBackend (tests, keeps messages in `outbox`), TwilioSMSBackend (production, Twilio's REST
API through `requests`). The Twilio SDK is not needed for two HTTP calls' worth of protocol.
"""

import base64
import hashlib
import hmac
import sys
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TextIO

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from screener.contact import contact_mask, contact_redact

# The default of settings.TWILIO_API_BASE.
TWILIO_API_BASE = "https://api.twilio.com/2010-04-01"
# Twilio's code for "the recipient replied STOP to this sender": retrying never helps.
TWILIO_UNSUBSCRIBED_CODE = 21610


class SMSError(Exception):
    """Sending failed. `code` is the provider's error code, if it gave one."""

    def __init__(self, message: str, *, code: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class TransientSMSError(SMSError):
    """Worth trying again later: rate limit, provider outage, timeout, network."""


class PermanentSMSError(SMSError):
    """Trying again gives the same answer: invalid number, bad credentials, blocked content."""


class RecipientOptedOutError(PermanentSMSError):
    """The provider says the recipient has opted out of messages from us."""


class BaseSMSBackend:
    def send(self, to: str, body: str) -> str:
        """Send `body` to the E.164 number `to`; return the provider's message id."""
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    """Prints messages (number masked) instead of sending them: the embedded default."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, to: str, body: str) -> str:
        message_id = f"console-{uuid.uuid4().hex}"
        stream = self.stream or sys.stdout
        stream.write(f"SMS {message_id} to {contact_mask(to)}\n{body}\n{'-' * 40}\n")
        stream.flush()
        return message_id


@dataclass(frozen=True)
class SMSMessage:
    to: str
    body: str
    provider_message_id: str


# Like django.core.mail.outbox: tests read and clear it.
outbox: list[SMSMessage] = []


class LocmemSMSBackend(BaseSMSBackend):
    def send(self, to: str, body: str) -> str:
        message_id = f"locmem-{uuid.uuid4().hex}"
        outbox.append(SMSMessage(to=to, body=body, provider_message_id=message_id))
        return message_id


class TwilioSMSBackend(BaseSMSBackend):
    """Twilio Programmable Messaging: POST /Accounts/{sid}/Messages.json with basic auth.

    https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
    """

    def __init__(
        self,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
        from_number: str | None = None,
        status_callback: str = "",
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        self.account_sid = account_sid if account_sid is not None else settings.TWILIO_ACCOUNT_SID
        self.auth_token = auth_token if auth_token is not None else settings.TWILIO_AUTH_TOKEN
        self.from_number = from_number if from_number is not None else settings.TWILIO_FROM_NUMBER
        if not (self.account_sid and self.auth_token and self.from_number):
            raise ImproperlyConfigured(
                "TwilioSMSBackend needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                "TWILIO_FROM_NUMBER."
            )
        self.status_callback = status_callback
        self.timeout = timeout
        self.session = session or requests.Session()

    @property
    def messages_url(self) -> str:
        base = settings.TWILIO_API_BASE.rstrip("/")
        return f"{base}/Accounts/{self.account_sid}/Messages.json"

    def send(self, to: str, body: str) -> str:
        data = {"To": to, "From": self.from_number, "Body": body}
        if self.status_callback:
            data["StatusCallback"] = self.status_callback
        try:
            response = self.session.post(
                self.messages_url,
                data=data,
                auth=(self.account_sid, self.auth_token),
                timeout=self.timeout,
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise TransientSMSError(f"Twilio unreachable: {type(exc).__name__}") from exc
        if response.status_code in (200, 201):
            try:
                return str(response.json()["sid"])
            except (ValueError, KeyError):
                # Twilio accepted the message; a missing id must not cause a second send.
                return ""
        raise twilio_error(response)


def twilio_error(response: requests.Response) -> SMSError:
    """Turn a Twilio error response into a transient or permanent error, keeping its code."""
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    code = str(payload.get("code") or "")
    # Twilio's messages can quote the phone number; keep the reason, not the number.
    detail = contact_redact(str(payload.get("message") or response.reason or ""))
    message = f"Twilio HTTP {response.status_code}"
    if code:
        message += f" error {code}"
    if detail:
        message += f": {detail}"
    status = response.status_code
    if status == 429 or status >= 500:
        return TransientSMSError(message, code=code, status=status)
    if code == str(TWILIO_UNSUBSCRIBED_CODE):
        return RecipientOptedOutError(message, code=code, status=status)
    return PermanentSMSError(message, code=code, status=status)


def get_sms_backend(path: str | None = None) -> BaseSMSBackend:
    return import_string(path or settings.SMS_BACKEND)()


# --- Twilio request signatures ---------------------------------------------
# https://www.twilio.com/docs/usage/webhooks/webhooks-security


def twilio_signature(
    *, url: str, params: Mapping[str, Iterable[str] | str], auth_token: str
) -> str:
    """Base64 HMAC-SHA1 of the URL followed by each POST parameter's name and value, sorted."""
    payload = url
    for name in sorted(set(params)):
        values = params[name]
        if isinstance(values, str):
            values = [values]
        for value in sorted(set(values)):
            payload += f"{name}{value}"
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_signature_valid(
    *, url: str, params: Mapping[str, Iterable[str] | str], signature: str, auth_token: str
) -> bool:
    if not (signature and auth_token):
        return False
    expected = twilio_signature(url=url, params=params, auth_token=auth_token)
    return hmac.compare_digest(expected.encode(), signature.encode())


# --- Segments ----------------------------------------------------------------
# GSM 03.38 default alphabet, and its extension table (each costs two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
MAX_SEGMENTS = 2

# Letters with a close GSM-7 spelling. Carriers and Twilio's "smart encoding" fold text the same
# way; doing it ourselves keeps the stored body identical to what the phone shows.
GSM7_FOLD = str.maketrans(
    {
        "á": "a",
        "í": "i",
        "ó": "o",
        "ú": "u",
        "Á": "A",
        "Í": "I",
        "Ó": "O",
        "Ú": "U",
        "ê": "e",
        "ç": "c",
        "ï": "i",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
    }
)


def sms_is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def sms_segments(text: str) -> int:
    """How many SMS segments `text` takes: 160/153 septets in GSM-7, else 70/67 UTF-16 units."""
    if sms_is_gsm7(text):
        units = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
        single, per_part = 160, 153
    else:
        units = [len(ch.encode("utf-16-le")) // 2 for ch in text]
        single, per_part = 70, 67
    if sum(units) <= single:
        return 1
    # An escape pair or a surrogate pair is never split across two parts, so pack character by
    # character instead of dividing the total.
    parts, used = 1, 0
    for size in units:
        if used + size > per_part:
            parts += 1
            used = 0
        used += size
    return parts


def sms_fit(text: str, *, max_segments: int = MAX_SEGMENTS) -> str:
    """The text as it should be sent: unchanged if it fits, else folded to GSM-7 if that fits.

    Raises ValueError when even the folded text is too long, which a template test catches.
    """
    if sms_segments(text) <= max_segments:
        return text
    folded = text.translate(GSM7_FOLD)
    if sms_segments(folded) <= max_segments:
        return folded
    raise ValueError(f"SMS body takes {sms_segments(folded)} segments (limit {max_segments})")


# --- Opt-out keywords ----------------------------------------------------------
# Twilio's standard keywords, plus the Spanish words people use (ALTO, PARAR).
STOP_KEYWORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ALTO", "PARAR"}
)
START_KEYWORDS = frozenset({"START", "UNSTOP", "YES"})


def sms_opt_keyword(body: str) -> str:
    """ "stop", "start" or "" for an inbound message, matched on the whole trimmed message."""
    word = "".join(ch for ch in (body or "").strip().upper() if ch.isalnum())
    if word in STOP_KEYWORDS:
        return "stop"
    if word in START_KEYWORDS:
        return "start"
    return ""
