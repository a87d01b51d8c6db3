"""The Celery broker's transport: kombu's Redis transport, keeping its consumer alive when an
acknowledgement fails.

kombu's Redis QoS removes a message from its "unacked" set in Redis and then frees the
consumer's prefetch slot. When Redis does not answer the first step (frozen, failing over), the
slot is never freed: with prefetch 1 per process, the worker then takes no message ever again,
while it still answers pings. Here the slot is freed whatever Redis says. The message stays in
Redis's unacked set and is handed out again after the visibility timeout; every task is
idempotent, so running one twice changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from kombu.transport import TRANSPORT_ALIASES, redis, virtual

logger = logging.getLogger(__name__)


class QoS(redis.QoS):
    def ack(self, delivery_tag: Any) -> None:
        try:
            super().ack(delivery_tag)
        except Exception as error:
            virtual.QoS.ack(self, delivery_tag)
            logger.warning(
                "Redis did not record the acknowledgement of message %s (%s); it will be delivered again after "
                "the visibility timeout, and its task finds its work done.",
                delivery_tag,
                error,
            )

    def reject(self, delivery_tag: Any, requeue: bool = False) -> None:
        try:
            super().reject(delivery_tag, requeue=requeue)
        except Exception as error:
            virtual.QoS.ack(self, delivery_tag)
            logger.warning("Redis did not record the rejection of message %s (%s).", delivery_tag, error)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel


def use_for_redis_urls() -> None:
    """Make redis:// and rediss:// broker URLs use this transport."""
    TRANSPORT_ALIASES["redis"] = f"{__name__}:Transport"
    TRANSPORT_ALIASES["rediss"] = f"{__name__}:Transport"
