"""The client address, decided in one place for audit rows and rate limits."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from audit.request import client_ip, ratelimit_ip


def test_the_client_address_is_the_one_the_web_server_saw():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.4")
    assert client_ip(request) == "203.0.113.4"
    assert ratelimit_ip(request) == "203.0.113.4"


def test_no_address_is_none_for_audit_rows_and_refused_for_rate_limits():
    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert client_ip(request) is None
    with pytest.raises(ImproperlyConfigured):
        ratelimit_ip(request)


def test_the_ip_rate_limit_counts_one_ipv6_network_as_one_client():
    # Through RATELIMIT_IP_META_KEY django-ratelimit still masks IPv6 to /64: rotating
    # addresses inside one network does not buy more tries.
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="2001:db8::1")
    second = factory.post("/", REMOTE_ADDR="2001:db8::ffff")
    for request in (first, second):
        limited = is_ratelimited(request, group="t", key="ip", rate="1/h", increment=True)
    assert limited


def test_the_setting_points_the_ip_key_here():
    from django.conf import settings

    assert settings.RATELIMIT_IP_META_KEY == "audit.request.ratelimit_ip"


# --- Behind the TLS proxy ----------------------------------------------------------------------


def request_via(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/check/", **extra)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.TRUSTED_PROXY_NETWORKS = []
    assert client_ip(request_via("203.0.113.4", "198.51.100.7")) == "203.0.113.4"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        # What our proxy appends is the address it received the request from.
        ("198.51.100.7", "198.51.100.7"),
        # A visitor who sends their own X-Forwarded-For only adds entries to the left.
        ("1.2.3.4", "1.2.3.4"),
        ("10.0.0.1, 198.51.100.7", "198.51.100.7"),
        ("127.0.0.1, 8.8.8.8, 198.51.100.7", "198.51.100.7"),
        # The proxy's entry with a port, and an IPv6 visitor.
        ("garbage, 198.51.100.7:51234", "198.51.100.7"),
        ("[2001:db8::5]:443", "2001:db8::5"),
        # No header: the request did not come through the proxy.
        (None, "10.1.2.3"),
        ("", "10.1.2.3"),
    ],
)
def test_one_trusted_proxy_believes_only_the_entry_it_appended(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_via("10.1.2.3", forwarded)) == expected


def test_two_trusted_proxies_skip_two_hops(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # spoofed by the visitor, the visitor (added by the CDN), the CDN (added by the TLS proxy)
    request = request_via("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.0.2.10")
    assert client_ip(request) == "198.51.100.7"


def test_trusted_networks_skip_hops_inside_them_only(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.TRUSTED_PROXY_NETWORKS = ["10.0.0.0/8", "192.0.2.0/24"]
    assert client_ip(request_via("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.0.2.10")) == (
        "198.51.100.7"
    )
    # A peer outside the networks is the visitor, whatever header it sends.
    assert client_ip(request_via("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_a_malformed_entry_where_the_proxy_writes_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_via("10.1.2.3", "not-an-address")) == "10.1.2.3"


def test_spoofed_headers_do_not_buy_more_tries_at_the_rate_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # Each request claims another origin to the left; the proxy's entry is the same visitor.
    requests = [request_via("10.1.2.3", f"203.0.113.{n}, 198.51.100.7") for n in range(3)]
    limited = [
        is_ratelimited(request, group="spoof", key="ip", rate="2/h", increment=True)
        for request in requests
    ]
    assert limited == [False, False, True]


def test_visitors_behind_one_proxy_get_their_own_rate_limits(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        request = request_via("10.1.2.3", f"198.51.100.{n}")
        assert not is_ratelimited(request, group="many", key="ip", rate="1/h", increment=True)


def test_the_audit_row_records_the_visitor_not_the_proxy(settings, client, db):
    from audit.actions import Action
    from audit.models import AuditLog
    from tests.screener.public_flow import lookup_form_data

    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(
        "/check/",
        lookup_form_data(),
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",
    )
    assert response.status_code == 303
    row = AuditLog.objects.get(action=Action.LOOKUP_SUBMITTED)
    assert row.ip_address == "198.51.100.7"
