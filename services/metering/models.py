"""Metering tables: usage_records (seed DBUsageRecord + request_id, app_id, status) and audit_logs (seed DBAuditLog
+ request_id). Money columns are exact (money.Money)."""
from __future__ import annotations

from datetime import date, datetime
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
    __table_args__ = (sa.Index("ix_usage_records_tenant_created", "tenant_id", "created_at"),)

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
    __table_args__ = (sa.Index("ix_audit_logs_tenant_created", "tenant_id", "created_at"),)

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


class RequestLog(MeteringBase):
    """One request as the gateway saw it (seed request_logs + what a platform team asks of it). Partitioned by
    expires_on, the day the record leaves the database: each tenant's retention is applied when the record is
    written, so every partition expires whole and is archived then dropped whole (request_log/partitions.py). On
    Postgres this is the partitioned parent table; on SQLite a view over one table per expiry day."""
    __tablename__ = "request_logs"
    __table_args__ = (sa.Index("ix_request_logs_tenant_created", "tenant_id", "created_at"),
                      sa.Index("ix_request_logs_tenant_user_created", "tenant_id", "user_id", "created_at"))

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    expires_on: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    correlation_id: Mapped[str | None] = mapped_column(sa.String(128))
    tenant_id: Mapped[str] = mapped_column(sa.String(128))
    app_id: Mapped[str | None] = mapped_column(sa.String(128))
    user_id: Mapped[str | None] = mapped_column(sa.String(128))
    api_key_id: Mapped[str | None] = mapped_column(sa.String(128))
    surface: Mapped[str] = mapped_column(sa.String(16))
    operation: Mapped[str] = mapped_column(sa.String(32))
    stream: Mapped[bool] = mapped_column(sa.Boolean)
    requested_model: Mapped[str | None] = mapped_column(sa.String(256))
    model_id: Mapped[str | None] = mapped_column(sa.String(128))
    model: Mapped[str | None] = mapped_column(sa.String(256))
    provider_id: Mapped[str | None] = mapped_column(sa.String(128))
    status: Mapped[str] = mapped_column(sa.String(16))
    error_code: Mapped[str | None] = mapped_column(sa.String(64))
    http_status: Mapped[int] = mapped_column(sa.Integer)
    latency_ms: Mapped[int] = mapped_column(sa.BigInteger)
    ttft_ms: Mapped[int | None] = mapped_column(sa.BigInteger)
    input_tokens: Mapped[int] = mapped_column(sa.BigInteger)
    output_tokens: Mapped[int] = mapped_column(sa.BigInteger)
    cost: Mapped[Decimal] = mapped_column(Money)
    billed_amount: Mapped[Decimal] = mapped_column(Money)
    phi_categories: Mapped[dict[str, int]] = mapped_column(JSONType)
    fallbacks: Mapped[int] = mapped_column(sa.Integer)
    retries: Mapped[int] = mapped_column(sa.Integer)
    finish_reason: Mapped[str | None] = mapped_column(sa.String(64))
    session_id: Mapped[str | None] = mapped_column(sa.String(128))
    prompt_redacted: Mapped[str | None] = mapped_column(sa.Text)
    response_redacted: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
