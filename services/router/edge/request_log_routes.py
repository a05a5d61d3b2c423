"""The request log over REST (`/api/v2/requests`), in the seed's envelope: a tenant's records, newest first, with
filters and limit/offset pages, and one record by id. Admins (and auditors, operators) see the whole tenant and may
filter by user or key; any other caller sees only its own requests (its user, or its API key). A super admin may name
another tenant with ?tenant_id=. Records hold no PHI (categories are counts; redacted content has placeholders)."""
from __future__ import annotations

import time
from datetime import timezone
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2
from services.router.edge import deps
from services.router.edge.v2 import envelope, parse_time
from services.router.formats.openai_schemas import NAME_CHARS
from services.runtime.errors import ForbiddenError, ValidationError
from services.runtime.grpc_client import call
from services.runtime.paging import offset_token

router = APIRouter(prefix="/api/v2")

Ident = Annotated[str | None, Query(max_length=128, pattern=NAME_CHARS)]


def _scope(principal: common_pb2.Principal, tenant_id: str | None, user_id: str | None,
           api_key_id: str | None) -> tuple[str, str | None, str | None]:
    """(tenant, user filter, key filter) the caller may read."""
    tenant = principal.tenant_id
    if tenant_id and tenant_id != principal.tenant_id:
        if not principal.is_super_admin:
            raise ForbiddenError("Access to tenant denied")
        tenant = tenant_id
    if principal.is_admin or principal.is_super_admin:
        return tenant, user_id, api_key_id
    own_user, own_key = principal.user_id or None, None if principal.user_id else principal.key_id or None
    if (user_id and user_id != own_user) or (api_key_id and api_key_id != principal.key_id):
        raise ForbiddenError("Only admins may read other users' requests")
    return tenant, own_user, own_key or api_key_id


def _ts(value) -> str | None:
    if not value.seconds and not value.nanos:
        return None
    return value.ToDatetime(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


def record_json(r: metering_pb2.RequestLog) -> dict:
    out = {"id": r.id, "correlationId": r.correlation_id or None, "tenantId": r.tenant_id,
           "appId": r.app_id or None, "userId": r.user_id or None, "apiKeyId": r.api_key_id or None,
           "surface": r.surface, "operation": r.operation, "stream": r.stream,
           "requestedModel": r.requested_model or None, "model": r.model or None, "modelId": r.model_id or None,
           "providerId": r.provider_id or None, "status": r.status, "errorCode": r.error_code or None,
           "httpStatus": r.http_status, "latencyMs": r.latency_ms, "timeToFirstTokenMs": r.ttft_ms or None,
           "usage": {"inputTokens": r.usage.prompt_tokens, "outputTokens": r.usage.completion_tokens,
                     "totalTokens": r.usage.total_tokens},
           "cost": r.cost, "billedAmount": r.billed_amount, "phiCategories": dict(sorted(r.phi_categories.items())),
           "fallbacks": r.fallbacks, "retries": r.retries, "finishReason": r.finish_reason or None,
           "sessionId": r.session_id or None, "createdAt": _ts(r.created_at), "expiresAt": _ts(r.expires_at)}
    if r.prompt_redacted or r.response_redacted:
        out["promptRedacted"], out["responseRedacted"] = r.prompt_redacted or None, r.response_redacted or None
    return out


@router.get("/requests")
async def list_requests(
        start: str | None = Query(None, description="ISO 8601, inclusive"),
        end: str | None = Query(None, description="ISO 8601, exclusive"),
        status: Literal["success", "error", "blocked"] | None = None,
        model: Annotated[str | None, Query(max_length=256, pattern=NAME_CHARS)] = None,
        user_id: Ident = None, api_key_id: Ident = None, app_id: Ident = None,
        surface: Literal["openai", "anthropic", "bedrock", "v2", "grpc", "graphql"] | None = None,
        tenant_id: Ident = None,
        limit: Annotated[int, Query(ge=1, le=500, description="Page size (default 50)")] = 50,
        offset: Annotated[int, Query(ge=0, description="Records to skip")] = 0,
        principal=Depends(deps.allow("requests.read")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    tenant, user, key = _scope(principal, tenant_id, user_id, api_key_id)
    request = metering_pb2.ListRequestLogsRequest(
        tenant_id=tenant, status=status or "", model=model or "", user_id=user or "", api_key_id=key or "",
        app_id=app_id or "", surface=surface or "",
        page=common_pb2.PageRequest(page_size=limit, page_token=offset_token(offset)))
    start_dt, end_dt = (parse_time("start", start) if start else None), (parse_time("end", end) if end else None)
    if start_dt and end_dt and start_dt >= end_dt:
        raise ValidationError("'start' must be before 'end'", details={"start": ["must be before end"]})
    if start_dt:
        request.start.FromDatetime(start_dt)
    if end_dt:
        request.end.FromDatetime(end_dt)
    resp = await call(pipeline.up.metering.ListRequestLogs(request), "metering")
    total = resp.page.total
    has_more = offset + len(resp.records) < total
    return envelope({"requests": [record_json(r) for r in resp.records],
                     "pagination": {"limit": limit, "offset": offset, "total": total, "hasMore": has_more}},
                    started, pagination={"page": offset // limit + 1, "limit": limit, "total": total,
                                         "hasMore": has_more})


@router.get("/requests/{request_id}")
async def get_request(request_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9._-]+$")],
                      tenant_id: Ident = None, principal=Depends(deps.allow("requests.read")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    tenant, user, key = _scope(principal, tenant_id, None, None)
    record = await call(pipeline.up.metering.GetRequestLog(
        metering_pb2.GetRequestLogRequest(tenant_id=tenant, id=request_id)), "metering")
    if (user and record.user_id != user) or (key and record.api_key_id != key):
        raise ForbiddenError("Only admins may read other users' requests")
    return envelope({"request": record_json(record)}, started)
