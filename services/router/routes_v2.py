"""The seed's /api/v2 routes, answering in the {success, data | error, meta} envelope."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, Query
from services.router.responses import JSON

from services.router import deps
from services.router.routes_openai import reject_streaming
from services.router.schemas import ChatCompletionRequest
from services.runtime.context import current_request_id
from services.runtime.errors import ValidationError

router = APIRouter(prefix="/api/v2")


def envelope(data, started: float, status: int = 200) -> JSON:
    return JSON({"success": True, "data": data, "meta": {
        "requestId": current_request_id(), "timing": {"duration": round((time.perf_counter() - started) * 1000, 3)}}},
        status_code=status)


@router.post("/chat/completions")
async def chat_completions(req: ChatCompletionRequest, principal=Depends(deps.principal),
                           pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    reject_streaming(req)
    outcome = await pipeline.chat(principal, req)
    data = dict(outcome.body)
    data["session_id"] = req.session_id
    data["phi_mapping_id"] = outcome.mapping_id or None
    return envelope(data, started)


def _parse_time(name: str, value: str | None) -> datetime:
    if not value:
        raise ValidationError(f"Query parameter '{name}' is required (ISO 8601 date or date-time)",
                              details={name: ["is required"]})
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"Query parameter '{name}' is not an ISO 8601 date or date-time",
                              details={name: [f"cannot parse {value[:40]!r}"]}) from None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


@router.get("/usage")
async def usage(start: str | None = Query(None), end: str | None = Query(None), principal=Depends(deps.principal),
                pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    start_dt, end_dt = _parse_time("start", start), _parse_time("end", end)
    if start_dt >= end_dt:
        raise ValidationError("'start' must be before 'end'", details={"start": ["must be before end"]})
    report = await pipeline.usage_report(principal, start_dt, end_dt)
    return envelope({
        "tenantId": report.tenant_id, "period": report.period, "totalCost": report.total_cost,
        "totalBilled": report.total_billed, "totalRequests": report.total_requests,
        "breakdown": [{"providerId": b.provider_id, "modelId": b.model_id, "requests": b.requests,
                       "inputTokens": b.input_tokens, "outputTokens": b.output_tokens, "cost": b.cost,
                       "billed": b.billed} for b in report.breakdown]}, started)
