"""redis-py asyncio clients from a URL (real Redis, or the embedded Redis-compatible server of `radiant up`)."""
from __future__ import annotations

import redis.asyncio as aioredis


def create_redis(url: str) -> aioredis.Redis:
    return aioredis.from_url(url, decode_responses=False, socket_connect_timeout=2, socket_timeout=2,
                             health_check_interval=30)
