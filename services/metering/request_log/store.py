"""Request-log data access: batched, idempotent inserts (by the gateway-minted id) into the partition of each
record's expiry day, and reads that always filter by tenant and hide records past their expiry (even before the
retention run drops them)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.metering.models import RequestLog
from services.metering.request_log.partitions import Partitions
from services.runtime.db import dialect_insert, page, sessionmaker
from services.runtime.timeutil import utcnow


@dataclass(frozen=True)
class Filters:
    start: datetime | None = None
    end: datetime | None = None
    status: str | None = None
    model: str | None = None
    user_id: str | None = None
    api_key_id: str | None = None
    surface: str | None = None
    app_id: str | None = None


# What the caller needs to know of each newly written record (metrics).
_RETURNED = (RequestLog.id, RequestLog.tenant_id, RequestLog.surface, RequestLog.model, RequestLog.provider_id,
             RequestLog.cost, RequestLog.billed_amount)


class RequestLogStore:
    def __init__(self, engine: AsyncEngine, partitions: Partitions | None = None) -> None:
        self.engine = engine
        self.partitions = partitions or Partitions(engine)
        self.sessions = sessionmaker(engine)
        self._insert = dialect_insert(engine)

    async def record_many(self, rows: list[dict[str, Any]], today: date | None = None) -> list[sa.Row]:
        """Insert a batch in one transaction, skipping ids already recorded and records already expired; returns the
        rows that are new (id, tenant, surface, model, provider, cost, billed)."""
        today = today or utcnow().date()
        by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            if row["expires_on"] > today:
                by_day[row["expires_on"]].append(row)
        if not by_day:
            return []
        await self.partitions.ensure(self.engine, set(by_day))
        created: list[sa.Row] = []
        async with self.engine.begin() as conn:
            for day, day_rows in sorted(by_day.items()):
                created += list(await conn.execute(self._insert_into(self.partitions.insert_target(day)), day_rows))
        return created

    def _insert_into(self, table: sa.Table) -> sa.Insert:
        """Run as an executemany: the statement of each table is compiled once (SQLAlchemy's cache), not per batch."""
        return (self._insert(table).on_conflict_do_nothing(index_elements=["id", "expires_on"])
                .returning(*(table.c[c.key] for c in _RETURNED)))

    def _conds(self, tenant_id: str, filters: Filters, today: date) -> list[sa.ColumnElement[bool]]:
        conds = [RequestLog.tenant_id == tenant_id, RequestLog.expires_on > today]
        if filters.start is not None:
            conds.append(RequestLog.created_at >= filters.start)
        if filters.end is not None:
            conds.append(RequestLog.created_at < filters.end)
        for column, value in ((RequestLog.status, filters.status), (RequestLog.user_id, filters.user_id),
                              (RequestLog.api_key_id, filters.api_key_id), (RequestLog.surface, filters.surface),
                              (RequestLog.app_id, filters.app_id)):
            if value:
                conds.append(column == value)
        if filters.model:
            conds.append(sa.or_(RequestLog.model == filters.model, RequestLog.requested_model == filters.model,
                                RequestLog.model_id == filters.model))
        return conds

    async def list(self, tenant_id: str, filters: Filters, limit: int, offset: int,
                   today: date | None = None) -> tuple[list[RequestLog], int]:
        conds = self._conds(tenant_id, filters, today or utcnow().date())
        async with self.sessions() as session:
            return await page(session, sa.select(RequestLog).where(*conds),
                              (RequestLog.created_at.desc(), RequestLog.id.desc()), limit, offset)

    async def get(self, tenant_id: str, record_id: str, today: date | None = None) -> RequestLog | None:
        conds = [*self._conds(tenant_id, Filters(), today or utcnow().date()), RequestLog.id == record_id]
        async with self.sessions() as session:
            return await session.scalar(sa.select(RequestLog).where(*conds).limit(1))
