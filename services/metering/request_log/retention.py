"""Retention runs: every partition whose expiry day has come is archived (when an archive bucket is configured) and
then dropped whole. What a run costs depends on the expired partitions only: it lists partitions (one catalogue
query), reads the expired ones' rows for the archive and drops them; live partitions are never read or touched.

One run at a time across metering replicas (a Postgres advisory lock; SQLite has one metering process)."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.metering.models import RequestLog
from services.metering.request_log.archive import Archive
from services.metering.request_log.partitions import Partitions, partition_name
from services.runtime import metrics
from services.runtime.timeutil import utcnow

log = logging.getLogger("radiant.metering")
_LOCK = "SELECT pg_try_advisory_lock(hashtext('radiant.request_logs.retention'))"
_UNLOCK = "SELECT pg_advisory_unlock(hashtext('radiant.request_logs.retention'))"
_CHUNK = 5000


@dataclass
class RetentionResult:
    dropped: list[date] = field(default_factory=list)
    archived_records: int = 0
    skipped: bool = False  # another replica holds the lock


class Retention:
    def __init__(self, engine: AsyncEngine, partitions: Partitions, archive: Archive | None) -> None:
        self.engine = engine
        self.partitions = partitions
        self.archive = archive

    async def run(self, today: date | None = None) -> RetentionResult:
        today = today or utcnow().date()
        result = RetentionResult()
        async with self.engine.connect() as lock_conn:
            if self.engine.dialect.name == "postgresql":
                if not await lock_conn.scalar(sa.text(_LOCK)):
                    result.skipped = True
                    return result
                await lock_conn.commit()
            try:
                days = await self.partitions.days(lock_conn)
                await lock_conn.commit()
                for day in (d for d in days if d <= today):
                    if self.archive is not None:
                        result.archived_records += await self._archive(day)
                    async with self.engine.begin() as conn:
                        await self.partitions.drop(conn, day)
                    result.dropped.append(day)
                    metrics.RETENTION_PARTITIONS_DROPPED.inc()
                    log.info("request-log partition expired", extra={"partition": partition_name(day)})
            finally:
                if self.engine.dialect.name == "postgresql":
                    await lock_conn.execute(sa.text(_UNLOCK))
                    await lock_conn.commit()
        metrics.RETENTION_LAST_SUCCESS.set(time.time())
        return result

    async def _archive(self, day: date) -> int:
        """Every record of the partition, per tenant, into the archive bucket; the count written."""
        name = partition_name(day)
        table = sa.table(name, *(sa.column(c.name, c.type) for c in RequestLog.__table__.columns))
        written = 0
        current = None
        async with self.engine.connect() as conn:
            result = await conn.stream(sa.select(table).order_by(table.c.tenant_id, table.c.created_at,
                                                                 table.c.id).execution_options(yield_per=_CHUNK))
            async for row in result.mappings():
                if current is None or current.tenant != row["tenant_id"]:
                    if current is not None:
                        written += await current.finish()
                    current = _TenantBatch(row["tenant_id"], self.archive.writer(row["tenant_id"], day, name))
                current.writer.write(dict(row))
        if current is not None:
            written += await current.finish()
        metrics.RETENTION_ARCHIVED.inc(written)
        return written


@dataclass
class _TenantBatch:
    tenant: str
    writer: object

    async def finish(self) -> int:
        await self.writer.close()
        return self.writer.records
