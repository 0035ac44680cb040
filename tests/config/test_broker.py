"""config/broker.py: the broker channel keeps one Redis client, made again with a new pool."""

import redis
from django.conf import settings

from config.broker import Channel
from config.celery import app


def _channel_with(pool: redis.ConnectionPool) -> Channel:
    # A channel without its constructor, which connects: only what _create_client reads.
    channel = Channel.__new__(Channel)
    channel._pool = pool
    channel._async_pool = None
    channel.Client = redis.Redis
    return channel


def test_the_channel_keeps_one_client_for_its_pool():
    pool = redis.ConnectionPool(host="127.0.0.1", port=1)
    channel = _channel_with(pool)
    first = channel._create_client()
    assert channel._create_client() is first
    assert first.connection_pool is pool


def test_a_new_pool_gets_a_new_client():
    # kombu drops the pool after a fork and when the channel's connection is lost.
    channel = _channel_with(redis.ConnectionPool(host="127.0.0.1", port=1))
    first = channel._create_client()
    channel._pool = replacement = redis.ConnectionPool(host="127.0.0.1", port=2)
    second = channel._create_client()
    assert second is not first
    assert second.connection_pool is replacement
    assert channel._create_client() is second


def test_the_consumers_client_is_still_made_by_kombu():
    channel = _channel_with(redis.ConnectionPool(host="127.0.0.1", port=1))
    channel._async_pool = redis.ConnectionPool(host="127.0.0.1", port=3)
    assert channel._create_client(asynchronous=True) is not channel._create_client(
        asynchronous=True
    )


def test_a_redis_broker_url_uses_this_transport():
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        assert app.conf.broker_transport == "config.broker:Transport"
        assert app.connection_for_write().transport_cls == "config.broker:Transport"
    else:
        assert app.conf.broker_transport is None
