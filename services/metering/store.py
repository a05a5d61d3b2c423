"""Metering data access. Every read filters by tenant_id; sums are done in SQL over exact money columns."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.metering.models import AuditLog, UsageRecord
from services.runtime.db import dialect_insert, page, sessionmaker
from services.runtime.errors import InternalError


@dataclass
class BreakdownRow:
    provider_id: str
    model_id: str
    requests: int
    input_tokens: int
    output_tokens: int
    cost: Decimal
    billed: Decimal


@dataclass
class AuditFilter:
    """Every field set narrows the query (tenant_id None: every tenant)."""
    tenant_id: str | None = None
    action: str | None = None
    admin_id: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass
class Report:
    total_requests: int
    total_cost: Decimal
    total_billed: Decimal
    breakdown: list[BreakdownRow]


def _window(column: Any, start: datetime | None, end: datetime | None) -> list[sa.ColumnElement[bool]]:
    conds = []
    if start is not None:
        conds.append(column >= start)
    if end is not None:
        conds.append(column < end)
    return conds


class MeteringStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine)
        self._insert = dialect_insert(engine)
        # One statement for every batch, run as an executemany: compiled once (a multi-row VALUES built per batch
        # was compiled again each time, half of metering's CPU), rows sent in multi-row INSERTs by the driver.
        table = UsageRecord.__table__
        self._insert_usage = (self._insert(table).on_conflict_do_nothing(index_elements=["request_id"])
                              .returning(table.c.request_id))

    # --- usage ---------------------------------------------------------------
    async def record_usage(self, values: dict[str, Any]) -> tuple[UsageRecord, bool]:
        """Insert unless a record with the same request_id exists (INSERT ... ON CONFLICT DO NOTHING, so concurrent
        duplicates are safe); returns (the stored record, whether this call created it)."""
        # RETURNING says whether this call inserted (psycopg reports no rowcount for ON CONFLICT DO NOTHING).
        stmt = (self._insert(UsageRecord).values(id=str(uuid.uuid4()), **values)
                .on_conflict_do_nothing(index_elements=["request_id"]).returning(UsageRecord.id))
        async with self.sessions.begin() as session:
            created = (await session.execute(stmt)).first() is not None
            row = await session.scalar(sa.select(UsageRecord).where(UsageRecord.request_id == values["request_id"]))
        if row is None:  # cannot happen: inserted now or by an earlier, committed call
            raise InternalError("usage record vanished after insert")
        return row, created

    async def record_many(self, rows: list[dict[str, Any]]) -> set[str]:
        """Insert a batch in one transaction, skipping request ids already recorded; returns the request ids that
        were new."""
        if not rows:
            return set()
        async with self.engine.begin() as conn:
            result = await conn.execute(self._insert_usage, [{"id": str(uuid.uuid4()), **r} for r in rows])
            return set(result.scalars())

    async def list_usage(self, tenant_id: str, start: datetime | None, end: datetime | None, limit: int,
                         offset: int) -> tuple[list[UsageRecord], int]:
        conds = [UsageRecord.tenant_id == tenant_id, *_window(UsageRecord.created_at, start, end)]
        async with self.sessions() as session:
            return await page(session, sa.select(UsageRecord).where(*conds),
                              (UsageRecord.created_at.desc(), UsageRecord.id.desc()), limit, offset)

    async def report(self, tenant_id: str, start: datetime, end: datetime) -> Report:
        conds = [UsageRecord.tenant_id == tenant_id, *_window(UsageRecord.created_at, start, end)]
        cost, billed = sa.func.sum(UsageRecord.cost), sa.func.sum(UsageRecord.billed_amount)
        async with self.sessions() as session:
            totals = (await session.execute(sa.select(sa.func.count(), cost, billed).where(*conds))).one()
            groups = await session.execute(
                sa.select(UsageRecord.provider_id, UsageRecord.model_id, sa.func.count(),
                          sa.func.sum(UsageRecord.input_tokens), sa.func.sum(UsageRecord.output_tokens), cost, billed)
                .where(*conds).group_by(UsageRecord.provider_id, UsageRecord.model_id)
                .order_by(UsageRecord.provider_id, UsageRecord.model_id))
            breakdown = [BreakdownRow(p, m, int(n), int(i or 0), int(o or 0), c or Decimal(0), b or Decimal(0))
                         for p, m, n, i, o, c, b in groups]
        return Report(int(totals[0]), totals[1] or Decimal(0), totals[2] or Decimal(0), breakdown)

    async def count_usage(self, model_id: str | None, provider_id: str | None) -> int:
        conds = [c for c in (UsageRecord.model_id == model_id if model_id else None,
                             UsageRecord.provider_id == provider_id if provider_id else None) if c is not None]
        async with self.sessions() as session:
            return int(await session.scalar(sa.select(sa.func.count()).select_from(UsageRecord).where(*conds)) or 0)

    # --- audit log (append-only: nothing here updates or deletes an entry) ----
    async def write_audit(self, values: dict[str, Any]) -> AuditLog:
        row = AuditLog(**{"id": str(uuid.uuid4()), **values})
        async with self.sessions.begin() as session:
            session.add(row)
        return row

    async def write_audit_many(self, rows: list[dict[str, Any]]) -> int:
        """Insert a batch, skipping ids already written (a redelivered event); returns how many were new."""
        if not rows:
            return 0
        stmt = (self._insert(AuditLog).values(rows).on_conflict_do_nothing(index_elements=["id"])
                .returning(AuditLog.id))
        async with self.sessions.begin() as session:
            return len((await session.execute(stmt)).all())

    async def list_audit(self, f: "AuditFilter", limit: int, offset: int) -> tuple[list[AuditLog], int]:
        conds = _window(AuditLog.created_at, f.start, f.end)
        for column, value in ((AuditLog.tenant_id, f.tenant_id), (AuditLog.action, f.action),
                              (AuditLog.admin_id, f.admin_id), (AuditLog.resource_type, f.resource_type),
                              (AuditLog.resource_id, f.resource_id)):
            if value:
                conds.append(column == value)
        async with self.sessions() as session:
            return await page(session, sa.select(AuditLog).where(*conds),
                              (AuditLog.created_at.desc(), AuditLog.id.desc()), limit, offset)
