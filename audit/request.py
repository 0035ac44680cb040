"""Where a request came from, for audit rows and rate limits."""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: REMOTE_ADDR, or the one our trusted proxy put in X-Forwarded-For.

    The one place that decides this: audit rows, the public views and the rate limits all ask
    here. Behind the TLS proxy REMOTE_ADDR is the proxy, so every visitor would share one rate
    limit; but anyone can send an X-Forwarded-For header, so only the entries our own proxies
    appended are believed. Each proxy appends the address it received the request from, so the
    list is read from the right: TRUSTED_PROXY_COUNT skips that many hops, or
    TRUSTED_PROXY_NETWORKS skips hops while they are inside those networks. With neither set,
    the header is ignored.
    """
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    networks = _networks(tuple(settings.TRUSTED_PROXY_NETWORKS))
    if not count and not networks:
        return str(remote)
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    # The hops from the visitor's side to ours: the header's entries, then the peer we see.
    hops = [*forwarded, str(remote)]
    if networks:
        position = len(hops) - 1
        while position > 0 and _inside(hops[position], networks):
            position -= 1
    else:
        # Fewer entries than proxies: the request did not come through all of them (or the header
        # was dropped), so the nearest address we saw is the best we know.
        position = len(hops) - 1 - count if len(hops) > count else len(hops) - 1
    address = _parse(hops[position])
    if address is None:
        # Only the visitor's own part of the header can be malformed; our proxies write
        # addresses. Fall back to the hop that handed it over rather than trust the text.
        logger.warning("X-Forwarded-For entry is not an address; using the proxy's")
        address = _parse(hops[min(position + 1, len(hops) - 1)]) or remote
    return str(address)


def ratelimit_ip(request: HttpRequest) -> str:
    """client_ip for django-ratelimit's "ip" key (RATELIMIT_IP_META_KEY), which masks IPv6 to /64.

    With no address every request would share one counter, so it is refused as django-ratelimit
    refuses an empty REMOTE_ADDR: a server set-up problem, not a visitor's.
    """
    ip = client_ip(request)
    if ip is None:
        raise ImproperlyConfigured("The request has no client address (REMOTE_ADDR is empty).")
    return ip


def _parse(value: str) -> IPAddress | None:
    value = value.strip()
    # "[2001:db8::1]:443" and "203.0.113.4:51234": some proxies add the port.
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 visitor reaching an IPv6 socket shows as ::ffff:a.b.c.d: count it as a.b.c.d.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXY_NETWORKS: {exc}") from exc


def _inside(value: str, networks: tuple[IPNetwork, ...]) -> bool:
    address = _parse(value)
    return address is not None and any(address in network for network in networks)
