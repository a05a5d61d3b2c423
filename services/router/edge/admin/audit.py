"""The audit log (/api/v2/admin/audit-logs), read from metering: every administrative write with its actor, role,
tenant, action, resource, before / after, IP, user agent and request id. Queries by actor, action, resource, tenant
and time range; newest first. There is no route, and no RPC, that changes or removes an entry."""
from __future__ import annotations

import time
from datetime import datetime

from fastapi import APIRouter, Depends, Query

from radiant.metering.v1 import metering_pb2
from services.auth import permissions
from services.router.edge.admin import pbjson
from services.router.edge.admin.context import AdminContext, Limit, Offset, TenantParam, admin, page, pagination
from services.router.edge.v2 import envelope, parse_time
from services.runtime.errors import ForbiddenError, ValidationError
from services.runtime.grpc_client import call
from services.runtime.timeutil import to_ts

router = APIRouter(prefix="/api/v2/admin/audit-logs", tags=["admin: audit log"])


def _window(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    start_dt = parse_time("start", start) if start else None
    end_dt = parse_time("end", end) if end else None
    if start_dt and end_dt and start_dt >= end_dt:
        raise ValidationError("'start' must be before 'end'", details={"start": ["must be before end"]})
    return start_dt, end_dt


async def query(ctx: AdminContext, *, tenant_id: str | None, all_tenants: bool, actor: str | None,
                action: str | None, resource_type: str | None, resource_id: str | None, start: str | None,
                end: str | None, limit: int, offset: int) -> metering_pb2.ListAuditLogsResponse:
    if all_tenants and not permissions.is_super_admin(ctx.principal):
        raise ForbiddenError("Only a super admin may read every tenant's audit log")
    start_dt, end_dt = _window(start, end)
    req = metering_pb2.ListAuditLogsRequest(
        tenant_id="" if all_tenants else ctx.tenant(tenant_id), all_tenants=all_tenants, page=page(limit, offset),
        admin_id=actor or "", action=action or "", resource_type=resource_type or "", resource_id=resource_id or "")
    if start_dt:
        req.start.CopyFrom(to_ts(start_dt))
    if end_dt:
        req.end.CopyFrom(to_ts(end_dt))
    return await call(ctx.up.metering.ListAuditLogs(req), "metering")


@router.get("")
async def list_route(tenant_id: str | None = TenantParam,
                     all_tenants: bool = Query(False, description="Every tenant (super_admin only)"),
                     actor: str | None = Query(None, max_length=128, description="The acting user's id"),
                     action: str | None = Query(None, max_length=128, description="e.g. model.update"),
                     resource_type: str | None = Query(None, max_length=128),
                     resource_id: str | None = Query(None, max_length=256),
                     start: str | None = Query(None, max_length=64, description="ISO 8601, inclusive"),
                     end: str | None = Query(None, max_length=64, description="ISO 8601, exclusive"),
                     limit: int = Limit, offset: int = Offset, ctx: AdminContext = Depends(admin("audit.read"))):
    started = time.perf_counter()
    resp = await query(ctx, tenant_id=tenant_id, all_tenants=all_tenants, actor=actor, action=action,
                       resource_type=resource_type, resource_id=resource_id, start=start, end=end, limit=limit,
                       offset=offset)
    return envelope({"entries": [pbjson.render(e) for e in resp.entries],
                     "pagination": pagination(limit, offset, resp.page.total, len(resp.entries))}, started)
