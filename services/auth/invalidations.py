"""Tells every router that cached decisions for a tenant or key are stale (see services.runtime.auth_events)."""
from __future__ import annotations

import logging

import redis.asyncio as aioredis

from services.runtime.auth_events import CHANNEL, encode

log = logging.getLogger("radiant.auth")


class InvalidationPublisher:
    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis

    async def publish(self, tenant_id: str, key_id: str = "") -> None:
        try:
            await self.redis.publish(CHANNEL, encode(tenant_id, key_id))
        except aioredis.RedisError as exc:
            # Routers bound their cache by a short TTL and stop caching while unsubscribed; log and go on.
            log.warning("could not publish an auth invalidation", extra={"error_type": type(exc).__name__})
