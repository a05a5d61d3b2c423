"""Invalidation of cached authentication decisions across replicas: auth publishes on a Redis channel whenever a key
is revoked or rotated or a tenant changes; routers evict matching cached principals at once (and stop caching while
they are not subscribed, so a missed message can never keep a revoked key alive)."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import orjson

CHANNEL = "radiant:auth:invalidations"


def encode(tenant_id: str, key_id: str = "") -> bytes:
    return orjson.dumps({"tenant_id": tenant_id, "key_id": key_id})


def decode(data: bytes) -> tuple[str, str]:
    msg = orjson.loads(data)
    return str(msg.get("tenant_id") or ""), str(msg.get("key_id") or "")


async def follow(redis, on_event: Callable[[str, str], None], on_subscribed: Callable[[], None],
                 on_lost: Callable[[], None], log: logging.Logger) -> None:
    """Subscribe to the channel for the life of the process, reconnecting with backoff: on_subscribed once listening,
    on_event(tenant_id, key_id) per message, on_lost whenever the subscription is gone (also when cancelled), so a
    caller can stop caching until it is subscribed again."""
    backoff = 0.5
    while True:
        try:
            async with redis.pubsub() as pubsub:
                await pubsub.subscribe(CHANNEL)
                on_subscribed()
                backoff = 0.5
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        on_event(*decode(message["data"]))
        except asyncio.CancelledError:
            on_lost()
            raise
        except Exception as exc:  # noqa: BLE001 - any failure: stop caching until subscribed again
            log.warning("auth invalidation channel lost; caching paused", extra={"error_type": type(exc).__name__})
        on_lost()
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, 10)
