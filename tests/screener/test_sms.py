import io
from urllib.parse import parse_qs

import pytest
import requests
import responses
from django.core.exceptions import ImproperlyConfigured

from screener import sms
from screener.sms import (
    ConsoleSMSBackend,
    LocmemSMSBackend,
    PermanentSMSError,
    RecipientOptedOutError,
    TransientSMSError,
    TwilioSMSBackend,
    get_sms_backend,
    sms_fit,
    sms_is_gsm7,
    sms_opt_keyword,
    sms_segments,
    twilio_signature,
    twilio_signature_valid,
)

SID = "AC00000000000000000000000000000000"
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json"


@pytest.fixture
def twilio():
    return TwilioSMSBackend(account_sid=SID, auth_token="secret-token", from_number="+13235550100")


@responses.activate
def test_twilio_posts_the_message_form_with_basic_auth_and_returns_its_sid(twilio):
    responses.post(MESSAGES_URL, json={"sid": "SM123", "status": "queued"}, status=201)

    message_id = twilio.send("+12135550123", "Relief Check: hello")

    assert message_id == "SM123"
    request = responses.calls[0].request
    assert request.url == MESSAGES_URL
    assert request.headers["Authorization"].startswith("Basic ")
    form = parse_qs(request.body)
    assert form == {
        "To": ["+12135550123"],
        "From": ["+13235550100"],
        "Body": ["Relief Check: hello"],
    }


@responses.activate
def test_twilio_sends_a_status_callback_when_configured():
    backend = TwilioSMSBackend(
        account_sid=SID,
        auth_token="t",
        from_number="+13235550100",
        status_callback="https://example.org/cb",
    )
    responses.post(MESSAGES_URL, json={"sid": "SM1"}, status=201)
    backend.send("+12135550123", "hi")
    assert parse_qs(responses.calls[0].request.body)["StatusCallback"] == ["https://example.org/cb"]


@responses.activate
def test_twilio_client_error_is_permanent_and_keeps_code_without_the_number(twilio):
    responses.post(
        MESSAGES_URL,
        json={
            "code": 21211,
            "message": "The 'To' number +12135550123 is not a valid phone number.",
            "more_info": "https://www.twilio.com/docs/errors/21211",
            "status": 400,
        },
        status=400,
    )
    with pytest.raises(PermanentSMSError) as info:
        twilio.send("+12135550123", "hi")
    assert info.value.code == "21211"
    assert info.value.status == 400
    assert "21211" in str(info.value)
    assert "not a valid phone number" in str(info.value)
    assert "2135550123" not in str(info.value)


@responses.activate
def test_twilio_unsubscribed_recipient_is_reported_as_opted_out(twilio):
    responses.post(
        MESSAGES_URL,
        json={"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400},
        status=400,
    )
    with pytest.raises(RecipientOptedOutError):
        twilio.send("+12135550123", "hi")


@pytest.mark.parametrize("status", [429, 500, 503])
@responses.activate
def test_twilio_rate_limit_and_server_errors_are_transient(twilio, status):
    responses.post(
        MESSAGES_URL, json={"code": 20429, "message": "Too Many Requests"}, status=status
    )
    with pytest.raises(TransientSMSError) as info:
        twilio.send("+12135550123", "hi")
    assert info.value.status == status


@pytest.mark.parametrize("error", [requests.Timeout(), requests.ConnectionError()])
@responses.activate
def test_twilio_timeouts_and_network_errors_are_transient(twilio, error):
    responses.post(MESSAGES_URL, body=error)
    with pytest.raises(TransientSMSError):
        twilio.send("+12135550123", "hi")


@responses.activate
def test_twilio_error_without_json_body_is_still_classified(twilio):
    responses.post(MESSAGES_URL, body="<html>Bad gateway</html>", status=502)
    with pytest.raises(TransientSMSError, match="502"):
        twilio.send("+12135550123", "hi")


def test_twilio_backend_refuses_to_start_without_credentials(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    with pytest.raises(ImproperlyConfigured):
        TwilioSMSBackend()


def test_console_backend_prints_the_message_with_the_number_masked():
    stream = io.StringIO()
    message_id = ConsoleSMSBackend(stream=stream).send("+12135550123", "Relief Check: hello")
    output = stream.getvalue()
    assert message_id.startswith("console-")
    assert "Relief Check: hello" in output
    assert "0123" in output
    assert "2135550123" not in output


def test_locmem_backend_keeps_messages_in_the_outbox():
    sms.outbox.clear()
    LocmemSMSBackend().send("+12135550123", "hello")
    assert [(m.to, m.body) for m in sms.outbox] == [("+12135550123", "hello")]
    sms.outbox.clear()


def test_get_sms_backend_uses_the_setting(settings):
    settings.SMS_BACKEND = "screener.sms.ConsoleSMSBackend"
    assert isinstance(get_sms_backend(), ConsoleSMSBackend)


# Twilio's published example (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
TWILIO_EXAMPLE_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_EXAMPLE_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}


def test_twilio_signature_matches_twilios_published_example():
    signature = twilio_signature(
        url=TWILIO_EXAMPLE_URL, params=TWILIO_EXAMPLE_PARAMS, auth_token="12345"
    )
    assert signature == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_twilio_signature_sorts_repeated_parameter_values_like_twilio():
    params = {"Sid": ["CA123"], "SidAccount": ["AC123"], "Digits": ["5678", "1234", "1234"]}
    signature = twilio_signature(url=TWILIO_EXAMPLE_URL, params=params, auth_token="12345")
    assert signature == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


def test_twilio_signature_check_rejects_tampering_and_missing_parts():
    good = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    tampered = {**TWILIO_EXAMPLE_PARAMS, "Digits": "9999"}
    check = twilio_signature_valid
    assert check(
        url=TWILIO_EXAMPLE_URL, params=TWILIO_EXAMPLE_PARAMS, signature=good, auth_token="12345"
    )
    assert not check(url=TWILIO_EXAMPLE_URL, params=tampered, signature=good, auth_token="12345")
    assert not check(
        url=TWILIO_EXAMPLE_URL + "&x=1",
        params=TWILIO_EXAMPLE_PARAMS,
        signature=good,
        auth_token="12345",
    )
    assert not check(
        url=TWILIO_EXAMPLE_URL, params=TWILIO_EXAMPLE_PARAMS, signature="", auth_token="12345"
    )
    assert not check(
        url=TWILIO_EXAMPLE_URL, params=TWILIO_EXAMPLE_PARAMS, signature=good, auth_token=""
    )


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters take two septets each
        ("€" * 81, 2),
        ("a" * 152 + "€" + "a" * 153, 3),  # an escape pair is never split across parts
        ("ñ" * 160, 1),  # ñ is in the GSM-7 alphabet
        ("á" * 70, 1),  # á is not: the whole message becomes UCS-2
        ("á" * 71, 2),
        ("á" * 134, 2),
        ("á" * 135, 3),
        ("😀" * 35, 1),  # an emoji is two UTF-16 units
        ("😀" * 36, 2),
    ],
)
def test_sms_segments(text, segments):
    assert sms_segments(text) == segments


def test_sms_is_gsm7_knows_spanish_letters():
    assert sms_is_gsm7("¿Año? ¡Sí!") is False  # í is not GSM-7
    assert sms_is_gsm7("¿Año? ¡Si! ÑÜñü") is True


def test_sms_fit_keeps_accents_when_the_message_fits():
    assert sms_fit("Responda STOP para no recibir más mensajes") == (
        "Responda STOP para no recibir más mensajes"
    )


def test_sms_fit_folds_accents_to_gsm7_when_ucs2_would_need_more_segments():
    text = "Su solicitud está lista. " * 8 + "Responda STOP para no recibir más mensajes"
    fitted = sms_fit(text)
    assert sms_is_gsm7(fitted)
    assert sms_segments(fitted) <= 2
    assert "esta lista" in fitted and "mas mensajes" in fitted


def test_sms_fit_refuses_a_message_too_long_even_folded():
    with pytest.raises(ValueError, match="segments"):
        sms_fit("a" * 400)


@pytest.mark.parametrize(
    ("body", "keyword"),
    [
        ("STOP", "stop"),
        ("stop", "stop"),
        (" Stop. ", "stop"),
        ("StopAll", "stop"),
        ("UNSUBSCRIBE", "stop"),
        ("cancel", "stop"),
        ("End", "stop"),
        ("quit", "stop"),
        ("ALTO", "stop"),
        ("alto", "stop"),
        ("Parar", "stop"),
        ("START", "start"),
        ("unstop", "start"),
        ("yes", "start"),
        ("please stop texting me", ""),
        ("hola", ""),
        ("", ""),
    ],
)
def test_sms_opt_keyword(body, keyword):
    assert sms_opt_keyword(body) == keyword
