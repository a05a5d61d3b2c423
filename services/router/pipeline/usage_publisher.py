"""Usage events leave the request path through a Redis Stream (metering consumes them in batches); they are queued
and written many per round trip (batch_writer: up to 200 ms to gather a batch, at once when one settles a
reservation). A request that holds an admission reservation is settled in the same pipelined round trip (metering's
script: the reservation is replaced by the real usage and the spend added at once, so budgets never miss it); for the
others metering's consumer adds the spend, in batches. If Redis cannot take the event, it goes to metering's RecordUsage RPC instead (which
settles what this router could not), so a record is only lost when both are down."""
from __future__ import annotations

import asyncio
import logging

import redis.asyncio as aioredis
from redis.exceptions import NoScriptError

from radiant.metering.v1 import metering_pb2, metering_pb2_grpc
from services.metering.admission import Admission, Scope, audit_entries
from services.router.pipeline.batch_writer import BatchWriter
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call
from services.runtime.usage_events import AUDIT_FIELD, FIELD

log = logging.getLogger("radiant.router")


Queued = tuple[metering_pb2.RecordUsageRequest, list[Scope] | None, int]


class UsagePublisher(BatchWriter[Queued]):
    def __init__(self, redis: aioredis.Redis, stream: str, metering: metering_pb2_grpc.MeteringServiceStub,
                 admission: Admission, linger_seconds: float = 0.2) -> None:
        super().__init__(linger_seconds)
        self.redis = redis
        self.stream = stream
        self.metering = metering
        self.admission = admission
        self._pending: set[asyncio.Task] = set()

    def record(self, record: metering_pb2.RecordUsageRequest, scopes: list[Scope] | None = None,
               billed: int = 0) -> None:
        """Queue the usage event (the answer does not wait). scopes: the request's admission scopes when it holds a
        reservation to settle; such an event goes out at once (with whatever is queued), since settling frees what
        the reservation holds (a concurrency slot among them)."""
        self.enqueue((record, scopes, billed), urgent=scopes is not None)

    async def publish(self, record: metering_pb2.RecordUsageRequest, scopes: list[Scope] | None = None,
                      billed: int = 0) -> None:
        """The same, written before returning."""
        await self.write([(record, scopes, billed)])

    async def write(self, batch: list[Queued]) -> None:
        """One pipelined round trip for the batch: each settlement (metering's script) and each usage event."""
        counters = self.admission.counters
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for record, scopes, billed in batch:
                    if scopes is not None:
                        key, args = counters.settle_call(scopes, record.request_id, record.usage.total_tokens, billed)
                        record.admission_settled = True
                        pipe.evalsha(counters.script.sha, 1, key, *args)
                    pipe.xadd(self.stream, {FIELD: record.SerializeToString()})
                results = iter(await pipe.execute(raise_on_error=False))
        except aioredis.RedisError as exc:
            results = None
            failed = exc
        for record, scopes, billed in batch:
            settled = (next(results) if results else failed) if scopes is not None else None
            added = next(results) if results else failed
            await self._after(record, scopes, billed, settled, added)

    async def _after(self, record: metering_pb2.RecordUsageRequest, scopes: list[Scope] | None, billed: int,
                     settled, added) -> None:
        if scopes is not None:
            if isinstance(settled, NoScriptError):  # Redis restarted since the script was loaded
                settled = await self.admission.settle(scopes, record.request_id, record.usage.total_tokens, billed)
            elif isinstance(settled, Exception):
                settled = None
            else:
                settled = self.admission.counters.parse_settlement(settled, scopes)
            if settled is not None and settled.thresholds:
                await self._audit(record, settled.thresholds)
        if isinstance(added, Exception):
            await self._direct(record, added, settled=scopes is not None and settled is not None)

    async def _direct(self, record: metering_pb2.RecordUsageRequest, exc: Exception, *, settled: bool) -> None:
        log.warning("usage stream unavailable; recording directly", extra={"error_type": type(exc).__name__})
        record.admission_settled = settled
        try:
            await call(self.metering.RecordUsage(record), "metering")
        except RadiantError as exc:
            log.error("usage record lost: stream and metering both unavailable",
                      extra={"error_code": exc.code, "model_id": record.model_id})

    async def release(self, scopes: list[Scope], request_id: str) -> None:
        """Give back what an admitted request that was not served still holds."""
        await self.admission.settle(scopes, request_id, 0, 0)

    async def _audit(self, record: metering_pb2.RecordUsageRequest, thresholds) -> None:
        await self.publish_audit(audit_entries(record.tenant_id, record.request_id, thresholds))

    async def publish_audit(self, entries: list[metering_pb2.AuditLogEntry]) -> None:
        """Audit events raised on the request path (budget thresholds), to metering over the same stream."""
        for entry in entries:
            try:
                await self.redis.xadd(self.stream, {AUDIT_FIELD: entry.SerializeToString()})
            except aioredis.RedisError:
                try:
                    await call(self.metering.WriteAuditLog(entry), "metering")
                except RadiantError as exc:
                    log.error("budget audit event lost", extra={"error_code": exc.code})

    def soon(self, coro) -> None:
        """Fire and forget (the caller's answer does not wait); tasks are kept referenced until done."""
        task = asyncio.create_task(coro)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        await super().drain()
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
