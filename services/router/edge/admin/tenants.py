"""Tenants (/api/v2/admin/tenants), backed by auth. Creating, changing, suspending and deleting tenants is the super
admin's; every admin role may read its own tenant. Settings are merged field by field into the current ones and
mapped generically (pbjson), so settings fields added to auth's TenantSettings are accepted here as they are."""
from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query

from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2
from services.auth import permissions
from services.router.edge.admin import audit_trail, pbjson
from services.router.edge.admin.context import AdminContext, Limit, Offset, admin, page, pagination
from services.router.edge.v2 import envelope
from services.runtime.errors import NotFoundError, UnprocessableError, ValidationError
from services.runtime.grpc_client import call

router = APIRouter(prefix="/api/v2/admin/tenants", tags=["admin: tenants"])

TenantId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
_STATUS = {"active": common_pb2.TENANT_STATUS_ACTIVE, "suspended": common_pb2.TENANT_STATUS_SUSPENDED,
           "deleted": common_pb2.TENANT_STATUS_DELETED}
_BODY = Body(..., description="Fields of radiant.auth.v1.CreateTenantRequest / UpdateTenantRequest (snake_case)")


# --- resource logic (reused by other surfaces) -------------------------------------------------------------------
async def get(ctx: AdminContext, tenant_id: str) -> auth_pb2.Tenant:
    if tenant_id != ctx.principal.tenant_id and not permissions.is_super_admin(ctx.principal):
        raise NotFoundError(f"tenant {tenant_id} not found")  # another tenant's id reads as an unknown one
    return await call(ctx.up.auth.GetTenant(auth_pb2.GetTenantRequest(id=tenant_id)), "auth")


async def list_tenants(ctx: AdminContext, status: str | None, limit: int,
                       offset: int) -> tuple[list[auth_pb2.Tenant], int]:
    if not permissions.is_super_admin(ctx.principal):  # the others see their own tenant only
        own = await get(ctx, ctx.principal.tenant_id)
        rows = [own] if not status or own.status == _STATUS[status] else []
        return rows[offset:offset + limit], len(rows)
    resp = await call(ctx.up.auth.ListTenants(auth_pb2.ListTenantsRequest(
        page=page(limit, offset), status=_STATUS.get(status or "", 0))), "auth")
    return list(resp.tenants), resp.page.total


async def create(ctx: AdminContext, body: dict[str, Any]) -> auth_pb2.Tenant:
    req = pbjson.parse_body(body, auth_pb2.CreateTenantRequest())
    tenant = await call(ctx.up.auth.CreateTenant(req), "auth")
    await audit_trail.record(ctx, "tenant.create", "tenant", tenant.id, tenant_id=tenant.id,
                             after=pbjson.render(tenant))
    return tenant


async def update(ctx: AdminContext, tenant_id: str, body: dict[str, Any], action: str = "tenant.update") -> \
        auth_pb2.Tenant:
    before = await get(ctx, tenant_id)
    body = dict(body)
    settings = body.pop("settings", None)
    req = pbjson.parse_body(body, auth_pb2.UpdateTenantRequest(), reserved=("id",),
                            require_some=settings is None)
    req.id = before.id
    if settings is not None:  # merged into the current settings: fields not sent keep their values
        if not isinstance(settings, dict):
            raise ValidationError("settings: must be a JSON object", details={"settings": ["must be an object"]})
        pbjson.parse({**pbjson.render(before.settings), **settings}, req.settings, "settings")
    if req.status == common_pb2.TENANT_STATUS_DELETED and action != "tenant.delete":
        raise UnprocessableError("Delete a tenant with DELETE /api/v2/admin/tenants/{id}")
    if req.status not in (0, common_pb2.TENANT_STATUS_ACTIVE) and before.id == ctx.principal.tenant_id:
        raise UnprocessableError("You cannot suspend or delete your own tenant")
    tenant = await call(ctx.up.auth.UpdateTenant(req), "auth")
    await audit_trail.record(ctx, action, "tenant", tenant.id, tenant_id=tenant.id, before=pbjson.render(before),
                             after=pbjson.render(tenant))
    return tenant


# --- routes --------------------------------------------------------------------------------------------------------
@router.get("")
async def list_route(status: Literal["active", "suspended", "deleted"] | None = Query(None),
                     limit: int = Limit, offset: int = Offset, ctx: AdminContext = Depends(admin("tenants.read"))):
    started = time.perf_counter()
    rows, total = await list_tenants(ctx, status, limit, offset)
    return envelope({"tenants": [pbjson.render(t) for t in rows],
                     "pagination": pagination(limit, offset, total, len(rows))}, started)


@router.post("", status_code=201)
async def create_route(body: dict[str, Any] = _BODY, ctx: AdminContext = Depends(admin("tenants.write"))):
    started = time.perf_counter()
    return envelope({"tenant": pbjson.render(await create(ctx, body))}, started, status=201)


@router.get("/{tenant_id}")
async def get_route(tenant_id: TenantId, ctx: AdminContext = Depends(admin("tenants.read"))):
    started = time.perf_counter()
    return envelope({"tenant": pbjson.render(await get(ctx, tenant_id))}, started)


@router.patch("/{tenant_id}")
async def update_route(tenant_id: TenantId, body: dict[str, Any] = _BODY,
                       ctx: AdminContext = Depends(admin("tenants.write"))):
    started = time.perf_counter()
    return envelope({"tenant": pbjson.render(await update(ctx, tenant_id, body))}, started)


@router.post("/{tenant_id}/suspend")
async def suspend_route(tenant_id: TenantId, ctx: AdminContext = Depends(admin("tenants.write"))):
    started = time.perf_counter()
    tenant = await update(ctx, tenant_id, {"status": "suspended"}, "tenant.suspend")
    return envelope({"tenant": pbjson.render(tenant)}, started)


@router.post("/{tenant_id}/reactivate")
async def reactivate_route(tenant_id: TenantId, ctx: AdminContext = Depends(admin("tenants.write"))):
    started = time.perf_counter()
    tenant = await update(ctx, tenant_id, {"status": "active"}, "tenant.reactivate")
    return envelope({"tenant": pbjson.render(tenant)}, started)


@router.delete("/{tenant_id}")
async def delete_route(tenant_id: TenantId, ctx: AdminContext = Depends(admin("tenants.write"))):
    """Marks the tenant deleted: every credential of it stops working; its records stay."""
    started = time.perf_counter()
    tenant = await update(ctx, tenant_id, {"status": "deleted"}, "tenant.delete")
    return envelope({"tenant": pbjson.render(tenant)}, started)
