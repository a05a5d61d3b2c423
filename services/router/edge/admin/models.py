"""Models of the catalogue, backed by the registry: /api/v2/admin/models (create, list, get, update, delete) and the
seed's `PUT/PATCH /api/v2/models/{id}` (status, thermal_state, display_name 1-200, description up to 2000). Super
admins edit the catalogue; operators change a model's thermal state and status. A model that served requests (usage
recorded in metering) or that another model falls back to is deprecated, not removed, so reports keep naming it.

A created model is callable as soon as it is active: the router caches only models it found, for
RADIANT_REGISTRY_CACHE_SECONDS; a change to an existing model reaches every router within that time."""
from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from radiant.metering.v1 import metering_pb2
from radiant.registry.v1 import registry_pb2
from services.registry import enums
from services.router.edge import model_views
from services.router.edge.admin import audit_trail, pbjson
from services.router.edge.admin.context import AdminContext, Limit, Offset, admin, page, pagination
from services.router.edge.v2 import envelope
from services.router.formats.openai_schemas import NAME_CHARS
from services.runtime.errors import ConflictError, NotFoundError, ValidationError
from services.runtime.grpc_client import call

router = APIRouter(tags=["admin: catalogue"])
ModelId = Annotated[str, Path(max_length=128, pattern=NAME_CHARS)]
_BODY = Body(..., description="Fields of radiant.registry.v1.Model (create) or UpdateModelRequest (update); "
                              "fallback_models is a list of model names")
OPERATIONAL = frozenset({"status", "thermal_state", "thermal_config"})
_OUTPUT_ONLY = ("id", "observed", "warmup_requested_at", "created_at", "updated_at")


class SeedModelUpdate(BaseModel):
    """The seed's updateModelSchema."""
    model_config = ConfigDict(extra="forbid")
    status: Literal["active", "inactive", "deprecated", "coming_soon"] | None = None
    thermal_state: Literal["OFF", "COLD", "WARM", "HOT", "AUTOMATIC"] | None = None
    display_name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=2000)


async def get(ctx: AdminContext, model_id: str) -> registry_pb2.Model:
    try:
        return await call(ctx.up.registry.GetModel(registry_pb2.GetModelRequest(id=model_id)), "registry")
    except NotFoundError:
        raise NotFoundError(f"Model '{model_id}' not found", details={"id": ["unknown model"]}) from None


async def create(ctx: AdminContext, body: dict[str, Any]) -> registry_pb2.Model:
    req = registry_pb2.CreateModelRequest()
    pbjson.parse_body(body, req.model, reserved=_OUTPUT_ONLY)
    try:
        model = await call(ctx.up.registry.CreateModel(req), "registry")
    except (ValidationError, ConflictError) as exc:
        raise pbjson.unprefixed(exc, "model.") from None
    await audit_trail.record(ctx, "model.create", "model", model.id, after=pbjson.render(model))
    return model


async def update(ctx: AdminContext, model_id: str, req: registry_pb2.UpdateModelRequest) -> registry_pb2.Model:
    changed = {f.name for f, _ in req.ListFields()} - {"id"}
    if changed - OPERATIONAL:
        ctx.require("catalog.write")
    before = await get(ctx, model_id)
    req.id = before.id
    model = await call(ctx.up.registry.UpdateModel(req), "registry")
    await audit_trail.record(ctx, "model.update", "model", model.id, before=pbjson.render(before),
                             after=pbjson.render(model))
    return model


async def delete(ctx: AdminContext, model_id: str) -> registry_pb2.DeleteModelResponse:
    before = await get(ctx, model_id)
    usage = await call(ctx.up.metering.CountUsage(metering_pb2.CountUsageRequest(model_id=before.id)), "metering")
    resp = await call(ctx.up.registry.DeleteModel(registry_pb2.DeleteModelRequest(
        id=before.id, in_use=usage.requests > 0)), "registry")
    await audit_trail.record(ctx, "model.delete" if resp.removed else "model.deprecate", "model", before.id,
                             before=pbjson.render(before), after=None if resp.removed else pbjson.render(resp.model),
                             details={"recorded_requests": usage.requests})
    return resp


def update_request(body: dict[str, Any]) -> registry_pb2.UpdateModelRequest:
    if isinstance(body, dict) and "fallback_models" in body:
        body = {**body, "fallback_models": {"names": body["fallback_models"]}}
    return pbjson.parse_body(body, registry_pb2.UpdateModelRequest(), reserved=("id",), require_some=True)


# --- /api/v2/admin/models -------------------------------------------------------------------------------------------
@router.get("/api/v2/admin/models")
async def list_route(provider_id: str | None = Query(None, max_length=128, pattern=NAME_CHARS),
                     status: Literal["active", "inactive", "deprecated", "coming_soon"] | None = Query(None),
                     thermal_state: Literal["OFF", "COLD", "WARM", "HOT", "AUTOMATIC"] | None = Query(None),
                     limit: int = Limit, offset: int = Offset, ctx: AdminContext = Depends(admin("catalog.read"))):
    """Every model of the catalogue, whatever the caller's tenant policies (those shape /api/v2/models)."""
    started = time.perf_counter()
    resp = await call(ctx.up.registry.ListModels(registry_pb2.ListModelsRequest(
        page=page(limit, offset), provider_id=provider_id or "", status=enums.STATUS.to_pb(status),
        thermal_state=enums.THERMAL_STATE.to_pb(thermal_state))), "registry")
    return envelope({"models": [pbjson.render(m) for m in resp.models],
                     "pagination": pagination(limit, offset, resp.page.total, len(resp.models))}, started)


@router.post("/api/v2/admin/models", status_code=201)
async def create_route(body: dict[str, Any] = _BODY, ctx: AdminContext = Depends(admin("catalog.write"))):
    started = time.perf_counter()
    return envelope({"model": pbjson.render(await create(ctx, body))}, started, status=201)


@router.get("/api/v2/admin/models/{model_id}")
async def get_route(model_id: ModelId, ctx: AdminContext = Depends(admin("catalog.read"))):
    started = time.perf_counter()
    return envelope({"model": pbjson.render(await get(ctx, model_id))}, started)


@router.patch("/api/v2/admin/models/{model_id}")
async def update_route(model_id: ModelId, body: dict[str, Any] = _BODY,
                       ctx: AdminContext = Depends(admin("catalog.operate"))):
    started = time.perf_counter()
    return envelope({"model": pbjson.render(await update(ctx, model_id, update_request(body)))}, started)


@router.delete("/api/v2/admin/models/{model_id}")
async def delete_route(model_id: ModelId, ctx: AdminContext = Depends(admin("catalog.write"))):
    started = time.perf_counter()
    resp = await delete(ctx, model_id)
    return envelope({"model": pbjson.render(resp.model), "removed": resp.removed}, started)


# --- the seed's PUT/PATCH /api/v2/models/{id} ---------------------------------------------------------------------
def seed_update_request(body: SeedModelUpdate) -> registry_pb2.UpdateModelRequest:
    updates = body.model_dump(exclude_none=True)
    if not updates:
        raise ValidationError("No updates provided",
                              details={"body": ["send status, thermal_state, display_name or description"]})
    req = registry_pb2.UpdateModelRequest()
    if "status" in updates:
        req.status = enums.STATUS.to_pb(updates["status"])
    if "thermal_state" in updates:
        req.thermal_state = enums.THERMAL_STATE.to_pb(updates["thermal_state"])
    if "display_name" in updates:
        req.display_name = updates["display_name"]
    if "description" in updates:
        req.description = updates["description"]
    return req


async def _seed_update(model_id: str, body: SeedModelUpdate, ctx: AdminContext):
    started = time.perf_counter()
    return envelope({"model": model_views.seed_model(await update(ctx, model_id, seed_update_request(body)))},
                    started)


@router.put("/api/v2/models/{model_id}")
async def seed_put(model_id: ModelId, body: SeedModelUpdate, ctx: AdminContext = Depends(admin("catalog.operate"))):
    return await _seed_update(model_id, body, ctx)


@router.patch("/api/v2/models/{model_id}")
async def seed_patch(model_id: ModelId, body: SeedModelUpdate,
                     ctx: AdminContext = Depends(admin("catalog.operate"))):
    return await _seed_update(model_id, body, ctx)
