"""Usage events leave the request path through a Redis Stream (metering consumes them in batches). If Redis cannot
take the event, it goes to metering's RecordUsage RPC instead, so a record is only lost when both are down."""
from __future__ import annotations

import asyncio
import logging

import redis.asyncio as aioredis

from radiant.metering.v1 import metering_pb2, metering_pb2_grpc
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call
from services.runtime.usage_events import FIELD

log = logging.getLogger("radiant.router")


class UsagePublisher:
    def __init__(self, redis: aioredis.Redis, stream: str, metering: metering_pb2_grpc.MeteringServiceStub) -> None:
        self.redis = redis
        self.stream = stream
        self.metering = metering
        self._pending: set[asyncio.Task] = set()

    async def publish(self, record: metering_pb2.RecordUsageRequest) -> None:
        try:
            await self.redis.xadd(self.stream, {FIELD: record.SerializeToString()})
            return
        except aioredis.RedisError as exc:
            log.warning("usage stream unavailable; recording directly", extra={"error_type": type(exc).__name__})
        try:
            await call(self.metering.RecordUsage(record), "metering")
        except RadiantError as exc:
            log.error("usage record lost: stream and metering both unavailable",
                      extra={"error_code": exc.code, "model_id": record.model_id})

    def publish_soon(self, record: metering_pb2.RecordUsageRequest) -> None:
        """Fire and forget (the caller's answer does not wait); tasks are kept referenced until done."""
        task = asyncio.create_task(self.publish(record))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
