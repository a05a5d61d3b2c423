"""A radiant.metering.v1.RequestLog validated and priced into the values of one request_logs row, and rows back into
protos. Shared by the RecordRequestLogs RPC and the stream consumer."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from radiant.metering.v1 import metering_pb2 as pb

from services.metering import validation as v
from services.metering.cost import calculate_cost
from services.metering.models import RequestLog
from services.metering.money import MAX_AMOUNT, quantize
from services.runtime.errors import ValidationError
from services.runtime.pricing import decimal_str
from services.runtime.timeutil import as_utc, to_ts, utcnow

STATUSES = ("success", "error", "blocked")
MAX_RETENTION_DAYS = 3650
_CONTENT_MAX = 65_536


def expiry(created: date, retention_days: int) -> date:
    """The day a record leaves the database (its partition is dropped on that day, UTC): it is kept at least
    `retention_days` and less than a day more."""
    return created + timedelta(days=retention_days + 1)


def record_values(msg: pb.RequestLog, default_retention_days: int) -> dict[str, Any]:
    status = msg.status.strip()
    if status not in STATUSES:
        raise ValidationError("status must be success, error or blocked", details={"status": [f"one of {STATUSES}"]})
    if not 0 <= msg.retention_days <= MAX_RETENTION_DAYS:
        raise ValidationError("retention_days is out of range",
                              details={"retention_days": [f"between 0 and {MAX_RETENTION_DAYS}"]})
    if not 0 <= msg.http_status <= 999 or msg.latency_ms < 0 or msg.ttft_ms < 0:
        raise ValidationError("http_status, latency_ms and ttft_ms must be in range",
                              details={"http_status": ["0..999"], "latency_ms": [">= 0"], "ttft_ms": [">= 0"]})
    prompt = v.tokens(msg.usage.prompt_tokens, "usage.prompt_tokens")
    completion = v.tokens(msg.usage.completion_tokens, "usage.completion_tokens")
    cost = billed = Decimal(0)
    if msg.HasField("pricing"):
        amounts = calculate_cost(prompt, completion, msg.pricing)
        if amounts.billed >= MAX_AMOUNT:
            raise ValidationError("the billed amount of one request is too large",
                                  details={"pricing": [f"cost of one request must be below {MAX_AMOUNT} USD"]})
        cost, billed = quantize(amounts.cost), quantize(amounts.billed)
    created = v.timestamp(msg, "created_at") or utcnow()
    phi = {v.bounded(k, "phi_categories", 64): int(n) for k, n in msg.phi_categories.items() if n > 0}
    return dict(
        id=v.required(msg.id, "id", 64), expires_on=expiry(created.date(), msg.retention_days or default_retention_days),
        correlation_id=v.optional(msg.correlation_id, "correlation_id"),
        tenant_id=v.bounded(msg.tenant_id.strip(), "tenant_id"), app_id=v.optional(msg.app_id, "app_id"),
        user_id=v.optional(msg.user_id, "user_id"), api_key_id=v.optional(msg.api_key_id, "api_key_id"),
        surface=v.required(msg.surface, "surface", 16), operation=v.required(msg.operation, "operation", 32),
        stream=msg.stream, requested_model=v.optional(msg.requested_model, "requested_model", 256),
        model_id=v.optional(msg.model_id, "model_id"), model=v.optional(msg.model, "model", 256),
        provider_id=v.optional(msg.provider_id, "provider_id"), status=status,
        error_code=v.optional(msg.error_code, "error_code", 64), http_status=msg.http_status,
        latency_ms=msg.latency_ms, ttft_ms=msg.ttft_ms or None, input_tokens=prompt, output_tokens=completion,
        cost=cost, billed_amount=billed, phi_categories=phi, fallbacks=max(msg.fallbacks, 0),
        retries=max(msg.retries, 0), finish_reason=v.optional(msg.finish_reason, "finish_reason", 64),
        session_id=v.optional(msg.session_id, "session_id"),
        prompt_redacted=v.bounded(msg.prompt_redacted, "prompt_redacted", _CONTENT_MAX) or None,
        response_redacted=v.bounded(msg.response_redacted, "response_redacted", _CONTENT_MAX) or None,
        created_at=created)


def to_pb(row: RequestLog) -> pb.RequestLog:
    out = pb.RequestLog(
        id=row.id, correlation_id=row.correlation_id or "", tenant_id=row.tenant_id, app_id=row.app_id or "",
        user_id=row.user_id or "", api_key_id=row.api_key_id or "", surface=row.surface, operation=row.operation,
        stream=row.stream, requested_model=row.requested_model or "", model_id=row.model_id or "",
        model=row.model or "", provider_id=row.provider_id or "", status=row.status, error_code=row.error_code or "",
        http_status=row.http_status, latency_ms=row.latency_ms, ttft_ms=row.ttft_ms or 0,
        cost=decimal_str(row.cost), billed_amount=decimal_str(row.billed_amount),
        phi_categories=row.phi_categories or {}, fallbacks=row.fallbacks, retries=row.retries,
        finish_reason=row.finish_reason or "", session_id=row.session_id or "",
        prompt_redacted=row.prompt_redacted or "", response_redacted=row.response_redacted or "",
        created_at=to_ts(as_utc(row.created_at)))
    out.usage.prompt_tokens, out.usage.completion_tokens = row.input_tokens, row.output_tokens
    out.usage.total_tokens = row.input_tokens + row.output_tokens
    out.expires_at.FromDatetime(as_utc(_midnight(row.expires_on)))
    return out


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
