"""The Celery broker's transport: kombu's Redis transport, keeping one client per channel.

kombu makes a new redis.Redis for every command it sends outside the consumer, each publish
included, and a redis.Redis copies its table of about eighty response callbacks as it is made:
a quarter of a publish's time, and a submission publishes twice (its check and its code
message). The client kept here wraps the connection pool kombu made, so connections, timeouts
and errors stay kombu's; it is made again whenever kombu replaces that pool (after a fork, or
once a lost connection has closed the channel).
"""

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _sync_client = None

    def _create_client(self, asynchronous: bool = False):
        if asynchronous:
            return super()._create_client(asynchronous=True)
        pool = self.pool
        client = self._sync_client
        if client is None or client.connection_pool is not pool:
            client = self._sync_client = super()._create_client()
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel
