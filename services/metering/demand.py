"""Demand on self-hosted models, owned by metering (it sees every request): per model, when it was last asked for and
which requests are in flight or held waiting for a warm-up. Routers record it through `DemandRecorder` (this module,
metering's library code, on metering's Redis keys); metering reads it (`DemandReader`) to answer
DemandService.GetDemand for the operator.

Keys per model id (nothing per tenant; no request content):
- `radiant:demand:<model>:last`      the latest request start or end, epoch milliseconds (expires after a week)
- `radiant:demand:<model>:inflight`  sorted set of request ids, scored by when their lease ends (epoch ms)
- `radiant:demand:<model>:held`      the same for requests a router holds until a replica is ready

A request is one member, added when it starts and removed when it ends. A router that dies mid-request leaves its
members behind: they stop counting when their lease ends, so a crashed router cannot keep a model awake for ever."""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import redis.asyncio as aioredis

PREFIX = "radiant:demand:"
# How long an in-flight or held request counts without ending (longer than any provider call or hold).
DEFAULT_LEASE_SECONDS = 1800
LAST_TTL_SECONDS = 7 * 24 * 3600


def _keys(model_id: str) -> tuple[str, str, str]:
    base = f"{PREFIX}{model_id}:"
    return base + "last", base + "inflight", base + "held"


def _now_ms() -> int:
    return int(time.time() * 1000)


class DemandRecorder:
    """What routers call; each method is one Redis round trip."""

    def __init__(self, redis: aioredis.Redis, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        self.redis = redis
        self.lease_ms = int(lease_seconds * 1000)

    async def _mark(self, model_id: str, request_id: str, which: int, add: bool) -> None:
        keys = _keys(model_id)
        now = _now_ms()
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(keys[0], now, ex=LAST_TTL_SECONDS)
        if add:
            pipe.zadd(keys[which], {request_id: now + self.lease_ms})
            pipe.pexpire(keys[which], self.lease_ms)
        else:
            pipe.zrem(keys[which], request_id)
        await pipe.execute()

    async def started(self, model_id: str, request_id: str) -> None:
        await self._mark(model_id, request_id, 1, True)

    async def finished(self, model_id: str, request_id: str) -> None:
        await self._mark(model_id, request_id, 1, False)

    async def held(self, model_id: str, request_id: str) -> None:
        await self._mark(model_id, request_id, 2, True)

    async def released(self, model_id: str, request_id: str) -> None:
        await self._mark(model_id, request_id, 2, False)


@dataclass(frozen=True, slots=True)
class Demand:
    model_id: str
    last_request_ms: int | None
    in_flight: int
    held: int


class DemandReader:
    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis

    async def read(self, model_ids: Sequence[str]) -> list[Demand]:
        """Demand per model, in order: one pipelined round trip for any number of models."""
        now = _now_ms()
        pipe = self.redis.pipeline(transaction=False)
        for model_id in model_ids:
            last, inflight, held = _keys(model_id)
            pipe.get(last)
            pipe.zcount(inflight, now, "+inf")
            pipe.zcount(held, now, "+inf")
        results = await pipe.execute()
        out = []
        for i, model_id in enumerate(model_ids):
            last, inflight, held = results[3 * i: 3 * i + 3]
            out.append(Demand(model_id, int(last) if last else None, int(inflight), int(held)))
        return out
