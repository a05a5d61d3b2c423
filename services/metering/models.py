"""Metering tables: usage_records (seed DBUsageRecord + request_id, app_id, status) and audit_logs (seed DBAuditLog
+ request_id). Money columns are exact (money.Money)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, registry

from services.metering.money import Money
from services.runtime.db import Base, JSONType
from services.runtime.timeutil import utcnow


class MeteringBase(Base):
    __abstract__ = True
    metadata = sa.MetaData()
    registry = registry(metadata=metadata)


class UsageRecord(MeteringBase):
    __tablename__ = "usage_records"
    __table_args__ = (sa.Index("ix_usage_records_tenant_created", "tenant_id", "created_at"),
                      sa.Index("ix_usage_records_model", "model_id"),
                      sa.Index("ix_usage_records_provider", "provider_id"))

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    request_id: Mapped[str] = mapped_column(sa.String(128), unique=True)
    tenant_id: Mapped[str] = mapped_column(sa.String(128), index=True)
    user_id: Mapped[str | None] = mapped_column(sa.String(128))
    app_id: Mapped[str | None] = mapped_column(sa.String(128))
    session_id: Mapped[str | None] = mapped_column(sa.String(128))
    model_id: Mapped[str] = mapped_column(sa.String(128))
    provider_id: Mapped[str] = mapped_column(sa.String(128))
    input_tokens: Mapped[int] = mapped_column(sa.BigInteger)
    output_tokens: Mapped[int] = mapped_column(sa.BigInteger)
    total_tokens: Mapped[int] = mapped_column(sa.BigInteger)
    cost: Mapped[Decimal] = mapped_column(Money)
    billed_amount: Mapped[Decimal] = mapped_column(Money)
    request_type: Mapped[str] = mapped_column(sa.String(64))
    latency_ms: Mapped[int] = mapped_column(sa.BigInteger)
    status: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)


class AuditLog(MeteringBase):
    __tablename__ = "audit_logs"
    __table_args__ = (sa.Index("ix_audit_logs_tenant_created", "tenant_id", "created_at"),
                      sa.Index("ix_audit_logs_created", "created_at"),
                      sa.Index("ix_audit_logs_tenant_admin", "tenant_id", "admin_id"),
                      sa.Index("ix_audit_logs_resource", "resource_type", "resource_id"))

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(sa.String(128))
    user_id: Mapped[str | None] = mapped_column(sa.String(128))
    admin_id: Mapped[str | None] = mapped_column(sa.String(128))
    action: Mapped[str] = mapped_column(sa.String(128))
    resource_type: Mapped[str] = mapped_column(sa.String(128))
    resource_id: Mapped[str | None] = mapped_column(sa.String(256))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    ip_address: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(512))
    request_id: Mapped[str | None] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    actor_role: Mapped[str | None] = mapped_column(sa.String(32))
    actor_key_id: Mapped[str | None] = mapped_column(sa.String(64))
    # The resource before / after the change (None: it did not exist before / no longer exists).
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
