"""Consumes request-log records from their Redis Stream (its own consumer group; StreamConsumer: acknowledged only
after the commit, pending entries re-read, abandoned ones claimed, invalid ones dead-lettered), writes them in batches
idempotently by the gateway-minted id, and counts the cost of each new record once (radiant_cost_usd_total)."""
from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from radiant.metering.v1 import metering_pb2 as pb

from services.metering.request_log.records import record_values
from services.metering.request_log.store import RequestLogStore
from services.metering.stream_consumer import StreamConsumer
from services.runtime import metrics
from services.runtime.request_log_events import FIELD, GROUP


def count_cost(created) -> None:
    """Cost metrics of newly written records (each record counted once, whichever replica wrote it)."""
    for row in created:
        if row.cost or row.billed_amount:
            labels = (metrics.tenant(row.tenant_id), row.surface, row.model or "", row.provider_id or "")
            metrics.COST.labels(*labels).inc(float(row.cost))
            metrics.BILLED.labels(*labels).inc(float(row.billed_amount))


class RequestLogConsumer(StreamConsumer):
    kind = "request_log"
    field = FIELD

    def __init__(self, redis: aioredis.Redis, store: RequestLogStore, stream: str, consumer: str,
                 default_retention_days: int, **options) -> None:
        super().__init__(redis, stream, GROUP, consumer, **options)
        self.log_store = store
        self.default_retention_days = default_retention_days

    def decode(self, payload: bytes) -> dict[str, Any]:
        return record_values(pb.RequestLog.FromString(payload), self.default_retention_days)

    async def store(self, rows: list[dict[str, Any]]) -> int:
        created = await self.log_store.record_many(rows)
        count_cost(created)
        return len(created)
