"""Two-person promotions (/api/v2/admin/promotions: request, list, get, approve, reject), backed by auth, which
enforces the rules server-side: a second, different person approves (never the requester, never the promoted
user), before the request expires; only roles the deciders may grant."""
from __future__ import annotations

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from radiant.auth.v1 import auth_pb2
from services.auth.permissions import ROLES
from services.router.edge.admin import audit_trail, pbjson
from services.router.edge.admin.context import AdminContext, Limit, Offset, TenantParam, admin, page, pagination
from services.router.edge.v2 import envelope
from services.runtime.grpc_client import call

router = APIRouter(prefix="/api/v2/admin/promotions", tags=["admin: promotions"])
PromotionId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class PromotionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    role: Literal[ROLES]  # type: ignore[valid-type]
    reason: str = Field("", max_length=1000)


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field("", max_length=1000)


async def get(ctx: AdminContext, tenant: str, promotion_id: str) -> auth_pb2.Promotion:
    return await call(ctx.up.auth.GetPromotion(auth_pb2.GetPromotionRequest(tenant_id=tenant, id=promotion_id)),
                      "auth")


async def request(ctx: AdminContext, tenant: str, body: PromotionBody) -> auth_pb2.Promotion:
    promotion = await call(ctx.up.auth.RequestPromotion(auth_pb2.RequestPromotionRequest(
        tenant_id=tenant, user_id=body.user_id, role=body.role, reason=body.reason, actor=ctx.principal)), "auth")
    await audit_trail.record(ctx, "promotion.request", "promotion", promotion.id, tenant_id=tenant,
                             after=pbjson.render(promotion))
    return promotion


async def decide(ctx: AdminContext, tenant: str, promotion_id: str, approve: bool, reason: str) -> \
        auth_pb2.Promotion:
    before = await get(ctx, tenant, promotion_id)
    user_before = await call(ctx.up.auth.GetUser(auth_pb2.GetUserRequest(tenant_id=tenant, id=before.user_id)),
                             "auth")
    rpc = ctx.up.auth.ApprovePromotion if approve else ctx.up.auth.RejectPromotion
    promotion = await call(rpc(auth_pb2.DecidePromotionRequest(tenant_id=tenant, id=promotion_id, reason=reason,
                                                               actor=ctx.principal)), "auth")
    details = {"promotion": pbjson.render(promotion)}
    if approve:  # the change that matters is the user's: its roles before and after
        user = await call(ctx.up.auth.GetUser(auth_pb2.GetUserRequest(tenant_id=tenant, id=promotion.user_id)),
                          "auth")
        await audit_trail.record(ctx, "promotion.approve", "user", user.id, tenant_id=tenant,
                                 before=pbjson.render(user_before), after=pbjson.render(user), details=details)
    else:
        await audit_trail.record(ctx, "promotion.reject", "promotion", promotion.id, tenant_id=tenant,
                                 before=pbjson.render(before), after=pbjson.render(promotion))
    return promotion


@router.get("")
async def list_route(tenant_id: str | None = TenantParam,
                     status: Literal["pending", "approved", "rejected", "expired"] | None = Query(None),
                     limit: int = Limit, offset: int = Offset, ctx: AdminContext = Depends(admin("promotions.read"))):
    started = time.perf_counter()
    resp = await call(ctx.up.auth.ListPromotions(auth_pb2.ListPromotionsRequest(
        tenant_id=ctx.tenant(tenant_id), status=status or "", page=page(limit, offset))), "auth")
    return envelope({"promotions": [pbjson.render(p) for p in resp.promotions],
                     "pagination": pagination(limit, offset, resp.page.total, len(resp.promotions))}, started)


@router.post("", status_code=201)
async def request_route(body: PromotionBody, tenant_id: str | None = TenantParam,
                        ctx: AdminContext = Depends(admin("promotions.write"))):
    started = time.perf_counter()
    return envelope({"promotion": pbjson.render(await request(ctx, ctx.tenant(tenant_id), body))}, started,
                    status=201)


@router.get("/{promotion_id}")
async def get_route(promotion_id: PromotionId, tenant_id: str | None = TenantParam,
                    ctx: AdminContext = Depends(admin("promotions.read"))):
    started = time.perf_counter()
    return envelope({"promotion": pbjson.render(await get(ctx, ctx.tenant(tenant_id), promotion_id))}, started)


@router.post("/{promotion_id}/approve")
async def approve_route(promotion_id: PromotionId, body: DecisionBody | None = None,
                        tenant_id: str | None = TenantParam, ctx: AdminContext = Depends(admin("promotions.write"))):
    started = time.perf_counter()
    promotion = await decide(ctx, ctx.tenant(tenant_id), promotion_id, True, (body or DecisionBody()).reason)
    return envelope({"promotion": pbjson.render(promotion)}, started)


@router.post("/{promotion_id}/reject")
async def reject_route(promotion_id: PromotionId, body: DecisionBody | None = None,
                       tenant_id: str | None = TenantParam, ctx: AdminContext = Depends(admin("promotions.write"))):
    started = time.perf_counter()
    promotion = await decide(ctx, ctx.tenant(tenant_id), promotion_id, False, (body or DecisionBody()).reason)
    return envelope({"promotion": pbjson.render(promotion)}, started)
