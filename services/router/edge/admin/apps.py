"""Apps of a tenant (/api/v2/admin/apps), backed by auth. Bodies map generically onto CreateAppRequest /
UpdateAppRequest, so fields auth adds (e.g. per-app limits) flow through."""
from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path

from radiant.auth.v1 import auth_pb2
from services.router.edge.admin import audit_trail, pbjson
from services.router.edge.admin.context import AdminContext, Limit, Offset, TenantParam, admin, page, pagination
from services.router.edge.v2 import envelope
from services.runtime.grpc_client import call

router = APIRouter(prefix="/api/v2/admin/apps", tags=["admin: apps"])
AppId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
_BODY = Body(..., description="Fields of radiant.auth.v1.CreateAppRequest / UpdateAppRequest (snake_case)")
_RESERVED = ("tenant_id", "id")


async def get(ctx: AdminContext, tenant: str, app_id: str) -> auth_pb2.App:
    return await call(ctx.up.auth.GetApp(auth_pb2.GetAppRequest(tenant_id=tenant, id=app_id)), "auth")


async def create(ctx: AdminContext, tenant: str, body: dict[str, Any]) -> auth_pb2.App:
    req = pbjson.parse_body(body, auth_pb2.CreateAppRequest(), reserved=_RESERVED)
    req.tenant_id = tenant
    app = await call(ctx.up.auth.CreateApp(req), "auth")
    await audit_trail.record(ctx, "app.create", "app", app.id, tenant_id=tenant, after=pbjson.render(app))
    return app


async def update(ctx: AdminContext, tenant: str, app_id: str, body: dict[str, Any]) -> auth_pb2.App:
    before = await get(ctx, tenant, app_id)
    req = pbjson.parse_body(body, auth_pb2.UpdateAppRequest(), reserved=_RESERVED, require_some=True)
    req.tenant_id, req.id = tenant, app_id
    app = await call(ctx.up.auth.UpdateApp(req), "auth")
    await audit_trail.record(ctx, "app.update", "app", app.id, tenant_id=tenant, before=pbjson.render(before),
                             after=pbjson.render(app))
    return app


@router.get("")
async def list_route(tenant_id: str | None = TenantParam, limit: int = Limit, offset: int = Offset,
                     ctx: AdminContext = Depends(admin("apps.read"))):
    started = time.perf_counter()
    resp = await call(ctx.up.auth.ListApps(auth_pb2.ListAppsRequest(tenant_id=ctx.tenant(tenant_id),
                                                                    page=page(limit, offset))), "auth")
    return envelope({"apps": [pbjson.render(a) for a in resp.apps],
                     "pagination": pagination(limit, offset, resp.page.total, len(resp.apps))}, started)


@router.post("", status_code=201)
async def create_route(body: dict[str, Any] = _BODY, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("apps.write"))):
    started = time.perf_counter()
    return envelope({"app": pbjson.render(await create(ctx, ctx.tenant(tenant_id), body))}, started, status=201)


@router.get("/{app_id}")
async def get_route(app_id: AppId, tenant_id: str | None = TenantParam,
                    ctx: AdminContext = Depends(admin("apps.read"))):
    started = time.perf_counter()
    return envelope({"app": pbjson.render(await get(ctx, ctx.tenant(tenant_id), app_id))}, started)


@router.patch("/{app_id}")
async def update_route(app_id: AppId, body: dict[str, Any] = _BODY, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("apps.write"))):
    started = time.perf_counter()
    return envelope({"app": pbjson.render(await update(ctx, ctx.tenant(tenant_id), app_id, body))}, started)
