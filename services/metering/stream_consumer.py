"""Consuming a durable Redis Stream in batches through a consumer group (the usage events and the request log).
An entry is acknowledged (and deleted) only after its batch is committed, so a crash or a database outage loses
nothing: on restart the consumer first re-reads its own pending entries, and entries left pending by a consumer that
never came back are claimed after `claim_idle_ms`. Writes are idempotent by each event's id, so an entry committed
but not yet acknowledged when the consumer died is not recorded twice. Invalid events go to a dead-letter stream
instead of blocking the rest. Subclasses say how an entry decodes and how a batch is stored."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import redis.asyncio as aioredis
from google.protobuf.message import DecodeError

from services.runtime import metrics
from services.runtime.errors import RadiantError
from services.runtime.usage_events import dead_letter_stream

log = logging.getLogger("radiant.metering")


async def finish_before_cancelling(work: Any) -> Any:
    """Run `work` to its end even when the calling task is cancelled (a shutdown), then pass the cancellation on.

    A cancellation landing inside a batch's database transaction could cut off its rollback and the connection's
    return to the pool (shutdown cancels again while a task has not finished), leaving a connection checked out with
    a write lock held; and one landing between the ledger insert and the Redis spend update would leave spend the
    ledger has but the counters never get (the re-read entry is a duplicate by then). A batch is short, so a
    shutdown waits for it."""
    task = asyncio.ensure_future(work)
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
            break
        except asyncio.CancelledError:
            if task.cancelled():
                raise
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    return result


class StreamConsumer:
    # Metric label of the stream (bounded: the kind, not the key).
    kind = "stream"
    field = b"r"
    id_key = "id"

    def __init__(self, redis: aioredis.Redis, stream: str, group: str, consumer: str, *, batch: int = 500,
                 block_ms: int = 1000, claim_idle_ms: int = 30_000, linger_seconds: float = 0.05) -> None:
        self.redis = redis
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.batch = batch
        self.block_ms = block_ms
        self.claim_idle_ms = claim_idle_ms
        # After a short read, wait this long so the next read gathers a batch (one commit for many events).
        self.linger_seconds = linger_seconds
        self.recorded = 0
        self._next_claim = 0.0
        self._next_lag = 0.0

    def decode(self, payload: bytes) -> dict[str, Any]:
        """One entry's row values; raises RadiantError, KeyError or ValueError for an invalid event."""
        raise NotImplementedError

    def decode_entry(self, fields: dict[bytes, bytes]) -> dict[str, Any]:
        """A stream entry's row; by default its one payload field."""
        return self.decode(fields[self.field])

    def row_id(self, row: dict[str, Any]) -> str:
        return row[self.id_key]

    async def store(self, rows: list[dict[str, Any]]) -> int:
        """Write a batch idempotently; returns how many rows were new."""
        raise NotImplementedError

    async def ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.stream, self.group, id="0", mkstream=True)
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
                read = await self._read(">")
                await self._report_lag()
                if read < self.batch:
                    await asyncio.sleep(self.linger_seconds)
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis or database down: keep entries pending, retry
                log.warning("stream consumer error; retrying", extra={"stream_kind": self.kind,
                                                                      "error_type": type(exc).__name__})
                own_pending = True
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)

    async def _report_lag(self) -> None:
        """Processed entries are deleted, so the stream's length is what the group has still to do."""
        if time.monotonic() >= self._next_lag:
            self._next_lag = time.monotonic() + 1.0
            metrics.STREAM_LAG.labels(self.kind).set(await self.redis.xlen(self.stream))

    async def _claim_abandoned(self) -> None:
        resp = await self.redis.xautoclaim(self.stream, self.group, self.consumer, min_idle_time=self.claim_idle_ms,
                                           start_id="0-0", count=self.batch)
        entries = resp[1] if resp else []
        if entries:
            await self._process(entries)

    async def _read(self, from_id: str) -> int:
        resp = await self.redis.xreadgroup(self.group, self.consumer, {self.stream: from_id}, count=self.batch,
                                           block=None if from_id == "0" else self.block_ms)
        entries = resp[0][1] if resp else []
        if entries:
            await self._process(entries)
        return len(entries)

    async def _process(self, entries: list) -> None:
        rows, ids, dead = [], [], []
        for entry_id, fields in entries:
            ids.append(entry_id)
            if not fields:  # deleted meanwhile
                continue
            try:
                rows.append(self.decode_entry(fields))
            except (RadiantError, KeyError, ValueError, DecodeError) as exc:
                dead.append((entry_id, fields, type(exc).__name__))
        # One id may appear twice in a batch (a producer retry); keep the first.
        unique = list({self.row_id(r): r for r in reversed(rows)}.values())
        created = await finish_before_cancelling(self.store(unique))
        self.recorded += created
        metrics.STREAM_EVENTS.labels(self.kind, "recorded").inc(created)
        metrics.STREAM_EVENTS.labels(self.kind, "duplicate").inc(len(rows) - created)
        if dead:
            for entry_id, fields, reason in dead:
                await self.redis.xadd(dead_letter_stream(self.stream), {**fields, b"reason": reason.encode(),
                                                                       b"id": entry_id})
            metrics.STREAM_EVENTS.labels(self.kind, "dead_letter").inc(len(dead))
            log.error("invalid events moved to the dead-letter stream", extra={"stream_kind": self.kind,
                                                                              "count": len(dead)})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xack(self.stream, self.group, *ids)
            pipe.xdel(self.stream, *ids)
            await pipe.execute()
        log.debug("stream events recorded", extra={"stream_kind": self.kind, "events": len(ids), "new": created})
