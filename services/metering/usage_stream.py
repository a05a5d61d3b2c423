"""Consumes usage events from the Redis Stream in batches (stream_consumer.StreamConsumer: acknowledged only after
the commit, pending entries re-read, abandoned ones claimed, invalid ones dead-lettered) into the usage ledger,
idempotently by request_id. Admission's audit events (budget thresholds) travel on the same stream. The spend of
requests whose producer held no admission reservation (so settled nothing) is added to the admission counters here,
once, for the records the batch created."""
from __future__ import annotations

import logging
from typing import Any

import redis.asyncio as aioredis
from radiant.metering.v1 import metering_pb2 as pb
from redis.exceptions import NoScriptError

from services.metering.admission import Admission, scopes
from services.metering.audit import audit_values
from services.metering.money import to_pico
from services.metering.store import MeteringStore
from services.metering.stream_consumer import StreamConsumer
from services.metering.usage import usage_values
from services.runtime.usage_events import AUDIT_FIELD, FIELD, GROUP

log = logging.getLogger("radiant.metering")
_AUDIT, _UNSETTLED = "_audit", "_unsettled"


class UsageStreamConsumer(StreamConsumer):
    kind = "usage"
    field = FIELD
    id_key = "request_id"

    def __init__(self, redis: aioredis.Redis, store: MeteringStore, stream: str, consumer: str, *,
                 admission: Admission | None = None, **options) -> None:
        super().__init__(redis, stream, GROUP, consumer, **options)
        self.store_ = store
        self.admission = admission

    def decode_entry(self, fields: dict[bytes, bytes]) -> dict[str, Any]:
        if AUDIT_FIELD in fields:
            return {_AUDIT: audit_values(pb.AuditLogEntry.FromString(fields[AUDIT_FIELD]), keep_id=True)}
        event = pb.RecordUsageRequest.FromString(fields[FIELD])
        return {**usage_values(event), _UNSETTLED: not event.admission_settled}

    def row_id(self, row: dict[str, Any]) -> str:
        return f"audit:{row[_AUDIT]['id']}" if _AUDIT in row else row["request_id"]

    async def store(self, rows: list[dict[str, Any]]) -> int:
        audits = [r[_AUDIT] for r in rows if _AUDIT in r]
        usage = [r for r in rows if _AUDIT not in r]
        unsettled = {r["request_id"] for r in usage if r.pop(_UNSETTLED)}
        created = await self.store_.record_many(usage)
        await self._add_spend([r for r in usage if r["request_id"] in created and r["request_id"] in unsettled])
        if audits:
            await self.store_.write_audit_many(audits)
        return len(created)

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
