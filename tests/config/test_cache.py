"""While Redis is unreachable the cache answers from process memory: rate limits keep counting."""

import pytest
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from config.cache import FallbackRedisCache

# Port 9 on loopback: nothing listens, the connection is refused at once.
UNREACHABLE = "redis://127.0.0.1:9/0"


@pytest.fixture
def down_cache():
    return FallbackRedisCache(
        UNREACHABLE, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )


def test_with_redis_down_the_cache_still_stores_and_counts(down_cache):
    assert down_cache.add("k", 1, 60) is True
    assert down_cache.add("k", 1, 60) is False
    assert down_cache.incr("k") == 2
    assert down_cache.get("k") == 2
    assert down_cache.redis_down


def test_with_redis_down_the_rate_limit_falls_back_to_counting_here(settings, down_cache):
    settings.CACHES = {
        **settings.CACHES,
        "fallback": {
            "BACKEND": "config.cache.FallbackRedisCache",
            "LOCATION": UNREACHABLE,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    settings.RATELIMIT_USE_CACHE = "fallback"
    request = RequestFactory().post("/check/", REMOTE_ADDR="198.51.100.7")
    limited = [
        is_ratelimited(request, group="redis-down", key="ip", rate="2/h", increment=True)
        for _ in range(3)
    ]
    # Neither refused outright (fail closed) nor unlimited (fail open).
    assert limited == [False, False, True]


def test_the_fallback_is_logged_once_per_pause_not_per_request(down_cache, caplog):
    for n in range(20):
        down_cache.add(f"k{n}", 1, 60)
    warnings = [r for r in caplog.records if "Redis cache unreachable" in r.getMessage()]
    assert len(warnings) == 1


def test_one_redis_client_per_pool_is_made_once_and_reused(down_cache):
    # No server is needed: a client opens no connection until it is used.
    reader = down_cache._cache.get_client(write=False)
    writer = down_cache._cache.get_client(write=True)
    assert down_cache._cache.get_client(write=False) is reader
    assert down_cache._cache.get_client(write=True) is writer
    assert reader.connection_pool is down_cache._cache._get_connection_pool(False)
