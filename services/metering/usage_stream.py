"""Consumes usage events from the Redis Stream in batches. An entry is acknowledged (and deleted) only after its
batch is committed, so a crash or a database outage loses nothing: on restart the consumer first re-reads its own
pending entries, and entries left pending by a consumer that never came back are claimed after `claim_idle_ms`.
Invalid events go to a dead-letter stream instead of blocking the rest. The spend of requests whose producer held no
admission reservation (so settled nothing) is added to the admission counters here, once, for the records the batch
created."""
from __future__ import annotations

import asyncio
import logging
import time

import redis.asyncio as aioredis
from radiant.metering.v1 import metering_pb2 as pb
from redis.exceptions import NoScriptError

from services.metering.admission import Admission, scopes
from services.metering.audit import audit_values
from services.metering.money import to_pico
from services.metering.store import MeteringStore
from services.metering.usage import usage_values
from services.runtime.errors import RadiantError
from services.runtime.usage_events import AUDIT_FIELD, FIELD, GROUP, dead_letter_stream

log = logging.getLogger("radiant.metering")


class UsageStreamConsumer:
    def __init__(self, redis: aioredis.Redis, store: MeteringStore, stream: str, consumer: str, *,
                 admission: Admission | None = None, batch: int = 500, block_ms: int = 1000,
                 claim_idle_ms: int = 30_000, linger_seconds: float = 0.05) -> None:
        self.redis = redis
        self.store = store
        self.admission = admission
        self.stream = stream
        self.consumer = consumer
        self.batch = batch
        self.block_ms = block_ms
        self.claim_idle_ms = claim_idle_ms
        # After a short read, wait this long so the next read gathers a batch (one commit for many events).
        self.linger_seconds = linger_seconds
        self.recorded = 0
        self._next_claim = 0.0

    async def ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except aioredis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def run(self) -> None:
        backoff = 0.5
        own_pending = True
        while True:
            try:
                await self.ensure_group()
                if own_pending:
                    # Entries this consumer read before a restart but never acknowledged.
                    while await self._read("0"):
                        pass
                    own_pending = False
                if time.monotonic() >= self._next_claim:
                    self._next_claim = time.monotonic() + self.claim_idle_ms / 2000
                    await self._claim_abandoned()
                if await self._read(">") < self.batch:
                    await asyncio.sleep(self.linger_seconds)
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis or database down: keep entries pending, retry
                log.warning("usage stream consumer error; retrying", extra={"error_type": type(exc).__name__})
                own_pending = True
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)

    async def _claim_abandoned(self) -> None:
        resp = await self.redis.xautoclaim(self.stream, GROUP, self.consumer, min_idle_time=self.claim_idle_ms,
                                           start_id="0-0", count=self.batch)
        entries = resp[1] if resp else []
        if entries:
            await self._process(entries)

    async def _read(self, from_id: str) -> int:
        resp = await self.redis.xreadgroup(GROUP, self.consumer, {self.stream: from_id}, count=self.batch,
                                           block=None if from_id == "0" else self.block_ms)
        entries = resp[0][1] if resp else []
        if entries:
            await self._process(entries)
        return len(entries)

    async def _process(self, entries: list) -> None:
        rows, audits, ids, dead, unsettled = [], [], [], [], set()
        for entry_id, fields in entries:
            ids.append(entry_id)
            if not fields:  # deleted meanwhile
                continue
            try:
                if AUDIT_FIELD in fields:
                    audits.append(audit_values(pb.AuditLogEntry.FromString(fields[AUDIT_FIELD]), keep_id=True))
                else:
                    event = pb.RecordUsageRequest.FromString(fields[FIELD])
                    rows.append(usage_values(event))
                    if not event.admission_settled:
                        unsettled.add(event.request_id)
            except (RadiantError, KeyError, ValueError) as exc:
                dead.append((entry_id, fields, type(exc).__name__))
        # One request id may appear twice in a batch (a producer retry); keep the first.
        unique = list({r["request_id"]: r for r in reversed(rows)}.values())
        created = await self.store.record_many(unique)
        self.recorded += len(created)
        await self._add_spend([r for r in unique if r["request_id"] in created and r["request_id"] in unsettled])
        if audits:
            await self.store.write_audit_many(list({a["id"]: a for a in reversed(audits)}.values()))
        if dead:
            for entry_id, fields, reason in dead:
                await self.redis.xadd(dead_letter_stream(self.stream), {**fields, b"reason": reason.encode(),
                                                                       b"id": entry_id})
            log.error("invalid usage events moved to the dead-letter stream", extra={"count": len(dead)})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xack(self.stream, GROUP, *ids)
            pipe.xdel(self.stream, *ids)
            await pipe.execute()
        log.debug("usage events recorded", extra={"events": len(ids), "new": len(created)})

    async def _add_spend(self, rows: list[dict]) -> None:
        """One pipelined round trip for the batch (again for what found the script unloaded, e.g. after a Redis
        restart); a failure is logged: the ledger has the records either way."""
        if self.admission is None or not rows:
            return
        counters = self.admission.counters
        try:
            for _ in range(2):
                async with self.redis.pipeline(transaction=False) as pipe:
                    for r in rows:
                        counted = scopes(r["tenant_id"], r["app_id"] or "", r["user_id"] or "", r["key_id"] or "")
                        key, args = counters.settle_call(counted, r["request_id"], r["total_tokens"],
                                                         to_pico(r["billed_amount"]))
                        pipe.evalsha(counters.script.sha, 1, key, *args)
                    results = await pipe.execute(raise_on_error=False)
                rows = [r for r, res in zip(rows, results) if isinstance(res, NoScriptError)]
                if not rows:
                    return
                await self.redis.script_load(counters.script.script)
            raise NoScriptError("the admission script could not be loaded")
        except aioredis.RedisError as exc:
            log.warning("could not add the spend of a usage batch", extra={"error_type": type(exc).__name__,
                                                                              "records": len(rows)})
