"""Consumes usage events from the Redis Stream in batches (stream_consumer.StreamConsumer: acknowledged only after
the commit, pending entries re-read, abandoned ones claimed, invalid ones dead-lettered) into the usage ledger,
idempotently by request_id."""
from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from radiant.metering.v1 import metering_pb2 as pb

from services.metering.store import MeteringStore
from services.metering.stream_consumer import StreamConsumer
from services.metering.usage import usage_values
from services.runtime.usage_events import FIELD, GROUP


class UsageStreamConsumer(StreamConsumer):
    kind = "usage"
    field = FIELD
    id_key = "request_id"

    def __init__(self, redis: aioredis.Redis, store: MeteringStore, stream: str, consumer: str, **options) -> None:
        super().__init__(redis, stream, GROUP, consumer, **options)
        self.store_ = store

    def decode(self, payload: bytes) -> dict[str, Any]:
        return usage_values(pb.RecordUsageRequest.FromString(payload))

    async def store(self, rows: list[dict[str, Any]]) -> int:
        return await self.store_.record_many(rows)
