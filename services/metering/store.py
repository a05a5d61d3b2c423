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
from services.runtime.db import dialect_insert, sessionmaker
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
        self.sessions = sessionmaker(engine)
        self._insert = dialect_insert(engine)

    # --- usage ---------------------------------------------------------------
    async def record_usage(self, values: dict[str, Any]) -> tuple[UsageRecord, bool]:
        """Insert unless a record with the same request_id exists (INSERT ... ON CONFLICT DO NOTHING, so concurrent
        duplicates are safe); returns (the stored record, whether this call created it)."""
        stmt = (self._insert(UsageRecord).values(id=str(uuid.uuid4()), **values)
                .on_conflict_do_nothing(index_elements=["request_id"]))
        async with self.sessions.begin() as session:
            result = await session.execute(stmt)
            created = (result.rowcount or 0) > 0
            row = await session.scalar(sa.select(UsageRecord).where(UsageRecord.request_id == values["request_id"]))
        if row is None:  # cannot happen: inserted now or by an earlier, committed call
            raise InternalError("usage record vanished after insert")
        return row, created

    async def record_many(self, rows: list[dict[str, Any]]) -> int:
        """Insert a batch in one transaction, skipping request ids already recorded; returns how many were new."""
        if not rows:
            return 0
        stmt = (self._insert(UsageRecord).values([{"id": str(uuid.uuid4()), **r} for r in rows])
                .on_conflict_do_nothing(index_elements=["request_id"]))
        async with self.sessions.begin() as session:
            result = await session.execute(stmt)
        return max(result.rowcount or 0, 0)

    async def list_usage(self, tenant_id: str, start: datetime | None, end: datetime | None, limit: int,
                         offset: int) -> tuple[list[UsageRecord], int]:
        conds = [UsageRecord.tenant_id == tenant_id, *_window(UsageRecord.created_at, start, end)]
        async with self.sessions() as session:
            total = await session.scalar(sa.select(sa.func.count()).select_from(UsageRecord).where(*conds))
            rows = await session.scalars(sa.select(UsageRecord).where(*conds)
                                         .order_by(UsageRecord.created_at.desc(), UsageRecord.id.desc())
                                         .limit(limit).offset(offset))
            return list(rows), int(total or 0)

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

    # --- audit log -----------------------------------------------------------
    async def write_audit(self, values: dict[str, Any]) -> AuditLog:
        row = AuditLog(id=str(uuid.uuid4()), **values)
        async with self.sessions.begin() as session:
            session.add(row)
        return row

    async def list_audit(self, tenant_id: str, action: str | None, start: datetime | None, end: datetime | None,
                         limit: int, offset: int) -> tuple[list[AuditLog], int]:
        conds = [AuditLog.tenant_id == tenant_id, *_window(AuditLog.created_at, start, end)]
        if action:
            conds.append(AuditLog.action == action)
        async with self.sessions() as session:
            total = await session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(*conds))
            rows = await session.scalars(sa.select(AuditLog).where(*conds)
                                         .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
                                         .limit(limit).offset(offset))
            return list(rows), int(total or 0)
