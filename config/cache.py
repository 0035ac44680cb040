"""The Redis cache, with an in-process stand-in while Redis cannot be reached.

The cache holds the rate-limit counters (django-ratelimit) and what the matching engine keeps
warm. Django's RedisCache raises when Redis is down, and the lookup form counts every submission
against its limits before it stores anything: a Redis outage turned every submission into a 500
and nothing was stored. Here a failed call is answered by a local-memory cache in the same
process instead, so during an outage rate limits **fall back to per-process counting**:

- not fail closed (refuse everyone): a cache outage would become a full outage of the public
  form, on the very day a surge is most likely to cause one;
- not fail open (count nothing): the form would be unthrottled against someone walking through
  names and dates of birth, exactly when an attacker could have caused the outage.

Each web process counts on its own, so a visitor may get up to (web processes × limit) tries
until Redis returns; counts kept locally are not carried back to Redis.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
# After a failure, requests skip Redis for this long: an outage costs each request no connection
# attempt (a refused connect is quick; an unreachable host waits for the socket timeout).
RETRY_AFTER_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, with one redis.Redis per connection pool, made once.

    Django builds a new redis.Redis (and its table of a hundred-odd response callbacks) for every
    cache call; a submission makes a dozen of them for its rate limits. A redis.Redis holds no
    connection of its own (the pool does) and may be shared by threads.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        # One client per server, keyed as Django keys its pools.
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            pool = self._get_connection_pool(write)
            self._clients[index] = self._client(connection_pool=pool)
        return self._clients[index]


class FallbackRedisCache(RedisCache):
    """RedisCache that answers from process memory while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._local = LocMemCache(
            f"redis-fallback-{id(self)}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 50_000}},
        )
        self._down_until = 0.0

    @property
    def redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not self.redis_down:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except REDIS_UNAVAILABLE as exc:
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                # Logged once per RETRY_AFTER_SECONDS per process, not once per request.
                logger.warning(
                    "Redis cache unreachable (%s): counting in this process for %.0fs",
                    type(exc).__name__,
                    RETRY_AFTER_SECONDS,
                )
        return getattr(self._local, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        self._local.clear()
        return self._call("clear")
