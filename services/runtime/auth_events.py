"""Invalidation of cached authentication decisions across replicas: auth publishes on a Redis channel whenever a key
is revoked or rotated or a tenant changes; routers evict matching cached principals at once (and stop caching while
they are not subscribed, so a missed message can never keep a revoked key alive)."""
from __future__ import annotations

import orjson

CHANNEL = "radiant:auth:invalidations"


def encode(tenant_id: str, key_id: str = "") -> bytes:
    return orjson.dumps({"tenant_id": tenant_id, "key_id": key_id})


def decode(data: bytes) -> tuple[str, str]:
    msg = orjson.loads(data)
    return str(msg.get("tenant_id") or ""), str(msg.get("key_id") or "")
