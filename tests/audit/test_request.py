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
