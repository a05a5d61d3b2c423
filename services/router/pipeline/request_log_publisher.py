"""Request-log records leave the request path through a Redis Stream of their own (metering consumes it in batches,
idempotently by record id). Records are queued in memory and written in batches (batch_writer: up to 200 ms to gather
one), many per Redis round trip; if Redis cannot take a batch, it goes to metering's RecordRequestLogs RPC instead, so
a record is only lost when both are down (counted in radiant_request_log_publish_failures_total)."""
from __future__ import annotations

import logging

import redis.asyncio as aioredis

from radiant.metering.v1 import metering_pb2, metering_pb2_grpc
from services.router.pipeline.batch_writer import BatchWriter
from services.runtime import metrics
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call
from services.runtime.request_log_events import FIELD

log = logging.getLogger("radiant.router")


class RequestLogPublisher(BatchWriter[metering_pb2.RequestLog]):
    def __init__(self, redis: aioredis.Redis, stream: str, metering: metering_pb2_grpc.MeteringServiceStub,
                 max_batch: int = 500, linger_seconds: float = 0.2) -> None:
        super().__init__(linger_seconds, max_batch)
        self.redis = redis
        self.stream = stream
        self.metering = metering

    def publish(self, record: metering_pb2.RequestLog) -> None:
        """Queue the record (the answer does not wait for it)."""
        self.enqueue(record)

    async def write(self, batch: list[metering_pb2.RequestLog]) -> None:
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for record in batch:
                    pipe.xadd(self.stream, {FIELD: record.SerializeToString()})
                await pipe.execute()
            return
        except aioredis.RedisError as exc:
            log.warning("request-log stream unavailable; recording directly", extra={"error_type": type(exc).__name__})
        try:
            await call(self.metering.RecordRequestLogs(metering_pb2.RecordRequestLogsRequest(records=batch)),
                       "metering")
        except RadiantError as exc:
            metrics.REQUEST_LOG_PUBLISH_FAILURES.inc(len(batch))
            log.error("request-log records lost: stream and metering both unavailable",
                      extra={"error_code": exc.code, "records": len(batch)})
