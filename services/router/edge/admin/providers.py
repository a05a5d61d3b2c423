"""Providers of the catalogue, backed by the registry: /api/v2/admin/providers (create, list, get, update, delete)
and the seed's `PUT/PATCH /api/v2/providers/{id}` (status, hipaa_compliant, config). The catalogue is global: super
admins edit it; operators change a provider's status only. A provider that still has models is deprecated rather
than removed. Credentials are never stored: credential_ref names where the router finds the key."""
from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel, ConfigDict

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
ProviderId = Annotated[str, Path(max_length=128, pattern=NAME_CHARS)]
_BODY = Body(..., description="Fields of radiant.registry.v1.Provider (create) or UpdateProviderRequest (update)")
# What an operator may change; any other field is a catalogue edit (super_admin).
OPERATIONAL = frozenset({"status"})


class SeedProviderUpdate(BaseModel):
    """The seed's updateProviderSchema."""
    model_config = ConfigDict(extra="forbid")
    status: Literal["active", "inactive", "deprecated"] | None = None
    hipaa_compliant: bool | None = None
    config: dict[str, Any] | None = None


async def get(ctx: AdminContext, provider_id: str) -> registry_pb2.Provider:
    try:
        return await call(ctx.up.registry.GetProvider(registry_pb2.GetProviderRequest(id=provider_id)), "registry")
    except NotFoundError:
        raise NotFoundError(f"Provider '{provider_id}' not found", details={"id": ["unknown provider"]}) from None


async def create(ctx: AdminContext, body: dict[str, Any]) -> registry_pb2.Provider:
    req = registry_pb2.CreateProviderRequest()
    pbjson.parse_body(body, req.provider, reserved=("id", "created_at", "updated_at"))
    try:
        provider = await call(ctx.up.registry.CreateProvider(req), "registry")
    except (ValidationError, ConflictError) as exc:
        raise pbjson.unprefixed(exc, "provider.") from None
    await audit_trail.record(ctx, "provider.create", "provider", provider.id, after=pbjson.render(provider))
    return provider


async def update(ctx: AdminContext, provider_id: str, req: registry_pb2.UpdateProviderRequest) -> \
        registry_pb2.Provider:
    changed = {f.name for f, _ in req.ListFields()} - {"id"}
    if changed - OPERATIONAL:
        ctx.require("catalog.write")
    before = await get(ctx, provider_id)
    req.id = before.id
    provider = await call(ctx.up.registry.UpdateProvider(req), "registry")
    await audit_trail.record(ctx, "provider.update", "provider", provider.id, before=pbjson.render(before),
                             after=pbjson.render(provider))
    return provider


async def delete(ctx: AdminContext, provider_id: str) -> registry_pb2.DeleteProviderResponse:
    before = await get(ctx, provider_id)
    resp = await call(ctx.up.registry.DeleteProvider(registry_pb2.DeleteProviderRequest(id=before.id)), "registry")
    await audit_trail.record(ctx, "provider.delete" if resp.removed else "provider.deprecate", "provider", before.id,
                             before=pbjson.render(before), after=None if resp.removed else pbjson.render(resp.provider))
    return resp


# --- /api/v2/admin/providers -----------------------------------------------------------------------------------------
@router.get("/api/v2/admin/providers")
async def list_route(type: Literal["external", "self-hosted", "mid-tier"] | None = Query(None),
                     status: Literal["active", "inactive", "deprecated", "coming_soon"] | None = Query(None),
                     limit: int = Limit, offset: int = Offset, ctx: AdminContext = Depends(admin("catalog.read"))):
    started = time.perf_counter()
    resp = await call(ctx.up.registry.ListProviders(registry_pb2.ListProvidersRequest(
        page=page(limit, offset), type=enums.PROVIDER_TYPE.to_pb(type), status=enums.STATUS.to_pb(status))),
        "registry")
    return envelope({"providers": [pbjson.render(p) for p in resp.providers],
                     "pagination": pagination(limit, offset, resp.page.total, len(resp.providers))}, started)


@router.post("/api/v2/admin/providers", status_code=201)
async def create_route(body: dict[str, Any] = _BODY, ctx: AdminContext = Depends(admin("catalog.write"))):
    started = time.perf_counter()
    return envelope({"provider": pbjson.render(await create(ctx, body))}, started, status=201)


@router.get("/api/v2/admin/providers/{provider_id}")
async def get_route(provider_id: ProviderId, ctx: AdminContext = Depends(admin("catalog.read"))):
    started = time.perf_counter()
    return envelope({"provider": pbjson.render(await get(ctx, provider_id))}, started)


@router.patch("/api/v2/admin/providers/{provider_id}")
async def update_route(provider_id: ProviderId, body: dict[str, Any] = _BODY,
                       ctx: AdminContext = Depends(admin("catalog.operate"))):
    started = time.perf_counter()
    req = pbjson.parse_body(body, registry_pb2.UpdateProviderRequest(), reserved=("id",), require_some=True)
    return envelope({"provider": pbjson.render(await update(ctx, provider_id, req))}, started)


@router.delete("/api/v2/admin/providers/{provider_id}")
async def delete_route(provider_id: ProviderId, ctx: AdminContext = Depends(admin("catalog.write"))):
    started = time.perf_counter()
    resp = await delete(ctx, provider_id)
    return envelope({"provider": pbjson.render(resp.provider), "removed": resp.removed}, started)


# --- the seed's PUT/PATCH /api/v2/providers/{id} ------------------------------------------------------------------
def seed_update_request(body: SeedProviderUpdate) -> registry_pb2.UpdateProviderRequest:
    updates = body.model_dump(exclude_none=True)
    if not updates:
        raise ValidationError("No updates provided", details={"body": ["send status, hipaa_compliant or config"]})
    req = registry_pb2.UpdateProviderRequest()
    if "status" in updates:
        req.status = enums.STATUS.to_pb(updates["status"])
    if "hipaa_compliant" in updates:
        req.hipaa_compliant = updates["hipaa_compliant"]
    if "config" in updates:
        req.config.update(updates["config"])
    return req


async def _seed_update(provider_id: str, body: SeedProviderUpdate, ctx: AdminContext):
    started = time.perf_counter()
    return envelope({"provider": model_views.seed_provider(await update(ctx, provider_id, seed_update_request(body)))},
                    started)


@router.put("/api/v2/providers/{provider_id}")
async def seed_put(provider_id: ProviderId, body: SeedProviderUpdate,
                   ctx: AdminContext = Depends(admin("catalog.operate"))):
    return await _seed_update(provider_id, body, ctx)


@router.patch("/api/v2/providers/{provider_id}")
async def seed_patch(provider_id: ProviderId, body: SeedProviderUpdate,
                     ctx: AdminContext = Depends(admin("catalog.operate"))):
    return await _seed_update(provider_id, body, ctx)
