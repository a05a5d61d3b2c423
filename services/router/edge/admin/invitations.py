"""Invitations of admin identities (/api/v2/admin/invitations: create with a role and a 7-day expiry, list, get,
revoke with DELETE, resend), backed by auth, which delivers them through its driver: locally the acceptance link
comes back in this answer (for the inviting admin to pass on), on EKS it is e-mailed through SES. Accepting is
`POST /api/v2/invitations/accept` with the token (the one route here without credentials: the token is one)."""
from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2
from services.auth.permissions import ROLES
from services.router.edge.admin import audit_trail, pbjson
from services.router.edge.admin.context import AdminContext, Limit, Offset, TenantParam, admin, page, pagination
from services.router.edge.v2 import envelope
from services.runtime.context import current_request_id
from services.runtime.grpc_client import call

router = APIRouter(tags=["admin: invitations"])
InvitationId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
Role = Literal[ROLES]  # type: ignore[valid-type]


class InvitationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=254)
    role: Role


class AcceptBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=512)


def _answer(resp: auth_pb2.InvitationResponse) -> dict[str, Any]:
    out: dict[str, Any] = {"invitation": pbjson.render(resp.invitation)}
    if resp.link:
        out["link"] = resp.link  # local driver: hand it to the invitee; it is not shown again
    return out


async def get(ctx: AdminContext, tenant: str, invitation_id: str) -> auth_pb2.Invitation:
    return await call(ctx.up.auth.GetInvitation(auth_pb2.GetInvitationRequest(tenant_id=tenant, id=invitation_id)),
                      "auth")


async def create(ctx: AdminContext, tenant: str, body: InvitationBody) -> auth_pb2.InvitationResponse:
    resp = await call(ctx.up.auth.CreateInvitation(auth_pb2.CreateInvitationRequest(
        tenant_id=tenant, email=body.email, role=body.role, actor=ctx.principal)), "auth")
    await audit_trail.record(ctx, "invitation.create", "invitation", resp.invitation.id, tenant_id=tenant,
                             after=pbjson.render(resp.invitation))
    return resp


async def revoke(ctx: AdminContext, tenant: str, invitation_id: str) -> auth_pb2.Invitation:
    before = await get(ctx, tenant, invitation_id)
    invitation = await call(ctx.up.auth.RevokeInvitation(auth_pb2.GetInvitationRequest(
        tenant_id=tenant, id=invitation_id)), "auth")
    await audit_trail.record(ctx, "invitation.revoke", "invitation", invitation.id, tenant_id=tenant,
                             before=pbjson.render(before), after=pbjson.render(invitation))
    return invitation


async def resend(ctx: AdminContext, tenant: str, invitation_id: str) -> auth_pb2.InvitationResponse:
    before = await get(ctx, tenant, invitation_id)
    resp = await call(ctx.up.auth.ResendInvitation(auth_pb2.ResendInvitationRequest(
        tenant_id=tenant, id=invitation_id, actor=ctx.principal)), "auth")
    await audit_trail.record(ctx, "invitation.resend", "invitation", invitation_id, tenant_id=tenant,
                             before=pbjson.render(before), after=pbjson.render(resp.invitation))
    return resp


@router.get("/api/v2/admin/invitations")
async def list_route(tenant_id: str | None = TenantParam,
                     status: Literal["pending", "accepted", "revoked", "expired"] | None = Query(None),
                     limit: int = Limit, offset: int = Offset, ctx: AdminContext = Depends(admin("invitations.read"))):
    started = time.perf_counter()
    resp = await call(ctx.up.auth.ListInvitations(auth_pb2.ListInvitationsRequest(
        tenant_id=ctx.tenant(tenant_id), status=status or "", page=page(limit, offset))), "auth")
    return envelope({"invitations": [pbjson.render(i) for i in resp.invitations],
                     "pagination": pagination(limit, offset, resp.page.total, len(resp.invitations))}, started)


@router.post("/api/v2/admin/invitations", status_code=201)
async def create_route(body: InvitationBody, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("invitations.write"))):
    started = time.perf_counter()
    return envelope(_answer(await create(ctx, ctx.tenant(tenant_id), body)), started, status=201)


@router.get("/api/v2/admin/invitations/{invitation_id}")
async def get_route(invitation_id: InvitationId, tenant_id: str | None = TenantParam,
                    ctx: AdminContext = Depends(admin("invitations.read"))):
    started = time.perf_counter()
    return envelope({"invitation": pbjson.render(await get(ctx, ctx.tenant(tenant_id), invitation_id))}, started)


@router.delete("/api/v2/admin/invitations/{invitation_id}")
async def revoke_route(invitation_id: InvitationId, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("invitations.write"))):
    started = time.perf_counter()
    return envelope({"invitation": pbjson.render(await revoke(ctx, ctx.tenant(tenant_id), invitation_id))}, started)


@router.post("/api/v2/admin/invitations/{invitation_id}/resend")
async def resend_route(invitation_id: InvitationId, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("invitations.write"))):
    started = time.perf_counter()
    return envelope(_answer(await resend(ctx, ctx.tenant(tenant_id), invitation_id)), started)


@router.post("/api/v2/invitations/accept")
async def accept_route(body: AcceptBody, request: Request):
    """Accept an invitation with the token of its link. Locally the answer holds an API key for the new admin
    (shown once); with Cognito, sign in to the admin pool with the temporary password Cognito e-mails."""
    started = time.perf_counter()
    pipeline = request.app.state.pipeline
    resp = await call(pipeline.up.auth.AcceptInvitation(auth_pb2.AcceptInvitationRequest(token=body.token)), "auth")
    invitation, user = resp.invitation, resp.user
    ctx = AdminContext(common_pb2.Principal(tenant_id=invitation.tenant_id, user_id=user.id, key_id=resp.key.id),
                       pipeline, "invitations.write", ip=request.client.host if request.client else "",
                       user_agent=request.headers.get("user-agent", "")[:512], request_id=current_request_id() or "")
    await audit_trail.record(ctx, "invitation.accept", "invitation", invitation.id, tenant_id=invitation.tenant_id,
                             after=pbjson.render(invitation), role=invitation.role,
                             details={"user_id": user.id, "api_key_id": resp.key.id})
    data: dict[str, Any] = {"invitation": pbjson.render(invitation), "user": pbjson.render(user)}
    if resp.api_key:
        data["key"] = pbjson.render(resp.key)
        data["secret"] = resp.api_key
        data["notice"] = "Store the secret now: it is shown only once."
    return envelope(data, started)
