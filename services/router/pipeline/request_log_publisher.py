"""Request-log records leave the request path through a Redis Stream of their own (metering consumes it in batches,
idempotently by record id). Records are queued in memory and written by one background task, many per Redis round
trip; if Redis cannot take a batch, it goes to metering's RecordRequestLogs RPC instead, so a record is only lost when
both are down (counted in radiant_request_log_publish_failures_total)."""
from __future__ import annotations

import asyncio
import logging

import redis.asyncio as aioredis

from radiant.metering.v1 import metering_pb2, metering_pb2_grpc
from services.runtime import metrics
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call
from services.runtime.request_log_events import FIELD
from services.runtime.tasks import cancel_and_wait

log = logging.getLogger("radiant.router")


class RequestLogPublisher:
    def __init__(self, redis: aioredis.Redis, stream: str, metering: metering_pb2_grpc.MeteringServiceStub,
                 max_batch: int = 500) -> None:
        self.redis = redis
        self.stream = stream
        self.metering = metering
        self.max_batch = max_batch
        self._queue: list[metering_pb2.RequestLog] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    def publish(self, record: metering_pb2.RequestLog) -> None:
        """Queue the record (the answer does not wait for it)."""
        self._queue.append(record)
        self._idle.clear()
        self._wake.set()
        if self._task is None:
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
                await self._write(batch)
            self._idle.set()

    async def _write(self, batch: list[metering_pb2.RequestLog]) -> None:
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

    async def drain(self) -> None:
        """Write what is queued, then stop."""
        if self._task is None:
            return
        if self._queue:
            self._wake.set()
        await self._idle.wait()
        await cancel_and_wait(self._task)
        self._task = None
