"""The seed's /api/v2 routes, answering in the {success, data | error, meta} envelope."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from radiant.registry.v1 import registry_pb2
from services.auth import permissions
from services.metering.admission import rules
from services.registry import enums
from services.router.edge import deps, model_views
from services.router.edge import response_models as rm
from services.router.edge.responses import JSON
from services.router.edge.openai import reject_streaming
from services.router.formats.openai_schemas import NAME_CHARS, ChatCompletionRequest
from services.runtime.context import current_request_id
from services.runtime.errors import ValidationError
from services.runtime.timeutil import from_ts

router = APIRouter(prefix="/api/v2")


def envelope(data, started: float, status: int = 200, pagination: dict | None = None) -> JSON:
    meta = {"requestId": current_request_id(), "timing": {"duration": round((time.perf_counter() - started) * 1000, 3)}}
    if pagination is not None:
        meta["pagination"] = pagination
    return JSON({"success": True, "data": data, "meta": meta}, status_code=status)


@router.post("/chat/completions", responses=rm.ok(rm.Envelope[rm.V2ChatCompletion]))
async def chat_completions(req: ChatCompletionRequest, principal=Depends(deps.allow("chat")),
                           pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    reject_streaming(req)
    outcome = await pipeline.chat(principal, req)
    data = dict(outcome.body)
    data["session_id"] = req.session_id
    data["phi_mapping_id"] = outcome.mapping_id or None
    return envelope(data, started)


def parse_time(name: str, value: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"Query parameter '{name}' is not an ISO 8601 date or date-time",
                              details={name: [f"cannot parse {value[:40]!r}"]}) from None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def usage_period(start: str | None, end: str | None, now: datetime,
                 names: tuple[str, str] = ("start", "end")) -> tuple[datetime, datetime]:
    """[start, end) in UTC; by default the current calendar month up to now (start alone: up to now; end alone: from
    the first of end's month). `names`: how the caller's API names the two bounds (in errors)."""
    first, last = names
    end_dt = parse_time(last, end) if end else now
    start_dt = parse_time(first, start) if start else end_dt.replace(day=1, hour=0, minute=0, second=0,
                                                                        microsecond=0)
    if start_dt >= end_dt:
        raise ValidationError(f"'{first}' must be before '{last}'", details={first: [f"must be before {last}"]})
    return start_dt, end_dt


async def _names(pipeline, breakdown) -> tuple[dict[str, registry_pb2.Model | None], dict[str, registry_pb2.Provider | None]]:
    """The models and providers a report names, by id (None when the registry no longer has one)."""
    model_ids = sorted({b.model_id for b in breakdown if b.model_id})
    provider_ids = sorted({b.provider_id for b in breakdown if b.provider_id})
    models = await asyncio.gather(*(pipeline.catalog.model_by_id(i) for i in model_ids))
    providers = await asyncio.gather(*(pipeline.catalog.provider_or_none(i) for i in provider_ids))
    return dict(zip(model_ids, models)), dict(zip(provider_ids, providers))


@router.get("/usage")
async def usage(start: str | None = Query(None, description="ISO 8601; default: the first of the current month (UTC)"),
                end: str | None = Query(None, description="ISO 8601, exclusive; default: now"),
                tenant_id: str | None = Query(None, pattern=r"^[a-z0-9][a-z0-9-]{0,63}$",
                                              description="Another tenant (super_admin only); default: the caller's"),
                principal=Depends(deps.allow("usage.read")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    start_dt, end_dt = usage_period(start, end, datetime.now(timezone.utc))
    tenant = permissions.tenant_scope(principal, tenant_id)
    return envelope(await usage_data(pipeline, tenant, start_dt, end_dt), started)


async def usage_data(pipeline, tenant_id: str, start_dt: datetime, end_dt: datetime) -> dict:
    """What a tenant spent in [start, end): totals and the breakdown by provider and model, with their names."""
    report = await pipeline.usage_report(tenant_id, start_dt, end_dt)
    models, providers = await _names(pipeline, report.breakdown)

    def row(b) -> dict:
        model, provider = models.get(b.model_id), providers.get(b.provider_id)
        return {"providerId": b.provider_id, "providerName": provider.name if provider else None,
                "modelId": b.model_id, "modelName": model.name if model else None,
                "modelDisplayName": (model.display_name or None) if model else None, "requests": b.requests,
                "inputTokens": b.input_tokens, "outputTokens": b.output_tokens, "cost": b.cost, "billed": b.billed}

    return {"tenantId": report.tenant_id, "period": report.period, "start": _iso(start_dt), "end": _iso(end_dt),
            "totalCost": report.total_cost, "totalBilled": report.total_billed, "totalRequests": report.total_requests,
            "breakdown": [row(b) for b in report.breakdown]}


def _iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


@router.get("/me")
async def me(principal=Depends(deps.allow("identity.read"))):
    """The caller: tenant, user, key, roles, the key's permissions, and every action the permission matrix allows
    it (services.auth.permissions: the same check every route makes)."""
    started = time.perf_counter()
    return envelope({"tenantId": principal.tenant_id, "userId": principal.user_id or None,
                     "keyId": principal.key_id or None, "roles": sorted(permissions.roles_of(principal)),
                     "permissions": list(principal.permissions),
                     "allowed": sorted(a for a in permissions.MATRIX if permissions.allowed(principal, a))}, started)


_MONEY = ("daily_budget", "monthly_budget")


@router.get("/limits")
async def limits(principal=Depends(deps.allow("limits.read")), pipeline=Depends(deps.pipeline)):
    """What limits apply to the caller (tenant, app, user, API key and its tier), what is used and left, and when
    each frees capacity (windows) or resets (budgets, per UTC day / month). Budgets are USD decimal strings."""
    started = time.perf_counter()
    status = await pipeline.limits(principal)

    def amount(state, value: str):
        return value if state.dimension in _MONEY else int(value)

    rows = [{"scope": s.scope, "scopeId": s.scope_id, "dimension": s.dimension, "limit": amount(s, s.limit),
             "used": amount(s, s.used), "reserved": amount(s, s.reserved), "remaining": amount(s, s.remaining),
             "resetsInMs": s.reset_ms, "resetsAt": _iso(from_ts(s.resets_at)) if s.HasField("resets_at") else None,
             "tightest": s.tightest} for s in status.limits]
    tier = rules.TIER_NAMES.get(principal.limits.key_tier)
    return envelope({"tenantId": principal.tenant_id, "appId": principal.app_id or None,
                     "userId": principal.user_id or None, "keyId": principal.key_id or None, "keyTier": tier,
                     "limits": rows}, started)


# --- models and providers (seed models/providers handlers) ------------------------------------------------------------
ModelStatus = Literal["active", "inactive", "deprecated", "coming_soon"]
Id = Annotated[str, Path(max_length=128, pattern=NAME_CHARS)]
Filter = Annotated[str | None, Query(max_length=64, pattern=NAME_CHARS)]
Limit = Annotated[int, Query(ge=1, le=100, description="Page size (seed: 1-100, default 50)")]
Offset = Annotated[int, Query(ge=0, description="Items to skip")]


def _page(items: list, limit: int, offset: int) -> tuple[list, dict, dict]:
    """The seed's offset pagination: the page, data.pagination, and meta.pagination (page numbers from 1)."""
    page = items[offset:offset + limit]
    has_more = len(items) > offset + len(page)
    return (page, {"limit": limit, "offset": offset, "total": len(items), "hasMore": has_more},
            {"page": offset // limit + 1, "limit": limit, "total": len(items), "hasMore": has_more})


@router.get("/models", responses=rm.ok(rm.Envelope[rm.ModelsPage]))
async def list_models(provider_id: Filter = None, specialty: Filter = None,
                      status: ModelStatus | None = None, type: Literal["external", "self-hosted"] | None = None,
                      supports_vision: bool | None = None, supports_streaming: bool | None = None,
                      limit: Limit = 50, offset: Offset = 0,
                      principal=Depends(deps.allow("models.read")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    filters = {"provider_id": provider_id or "", "specialty": specialty or "",
               "status": enums.STATUS.to_pb(status), "type": enums.PROVIDER_TYPE.to_pb(type)}
    if supports_vision is not None:
        filters["supports_vision"] = supports_vision
    if supports_streaming is not None:
        filters["supports_streaming"] = supports_streaming
    visible = await model_views.visible_models(pipeline, principal, **filters)
    page, pagination, meta = _page(visible, limit, offset)
    return envelope({"models": [model_views.seed_model(m) for m in page], "pagination": pagination}, started,
                    pagination=meta)


@router.get("/models/{model_id}", responses=rm.ok(rm.Envelope[rm.OneModel]))
async def get_model(model_id: Id, principal=Depends(deps.allow("models.read")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    model = await model_views.visible_model(pipeline, principal, model_id)
    return envelope({"model": model_views.seed_model(model)}, started)


@router.get("/providers", responses=rm.ok(rm.Envelope[rm.ProvidersPage]))
async def list_providers(type: Literal["external", "self-hosted", "mid-tier"] | None = None,
                         status: Literal["active", "inactive", "deprecated"] | None = None,
                         hipaa_compliant: bool | None = None, limit: Limit = 50, offset: Offset = 0,
                         principal=Depends(deps.allow("models.read")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    filters = {"type": enums.PROVIDER_TYPE.to_pb(type), "status": enums.STATUS.to_pb(status)}
    if hipaa_compliant is not None:
        filters["hipaa_compliant"] = hipaa_compliant
    providers = list((await model_views.all_providers(pipeline.up, **filters)).values())
    page, pagination, meta = _page(providers, limit, offset)
    return envelope({"providers": [model_views.seed_provider(p) for p in page], "pagination": pagination}, started,
                    pagination=meta)


@router.get("/providers/{provider_id}", responses=rm.ok(rm.Envelope[rm.OneProvider]))
async def get_provider(provider_id: Id, principal=Depends(deps.allow("models.read")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    provider = await model_views.provider(pipeline, provider_id)
    return envelope({"provider": model_views.seed_provider(provider)}, started)


@router.get("/providers/{provider_id}/models", responses=rm.ok(rm.Envelope[rm.ProviderModels]))
async def get_provider_models(provider_id: Id, principal=Depends(deps.allow("models.read")),
                              pipeline=Depends(deps.pipeline)):
    """The provider's active models (seed), those the tenant may use."""
    started = time.perf_counter()
    provider = await model_views.provider(pipeline, provider_id)
    models = await model_views.all_models(pipeline.up, provider_id=provider.id, status=registry_pb2.STATUS_ACTIVE)
    may_use = await model_views.tenant_access(pipeline, principal)
    return envelope({"providerId": provider.id,
                     "models": [model_views.seed_model_summary(m) for m in models if may_use(m, provider)]}, started)
