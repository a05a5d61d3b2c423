"""API keys of a tenant (/api/v2/admin/keys), backed by auth: create (the secret is in this answer only), list
(prefix, name, permissions, tier, created, last used, expiry; never a secret or a hash), revoke (every router
replica refuses the key at once), rotate with a grace period during which the old secret still works.

Giving a key an admin role is granting that role: the caller must be allowed to grant it (as for an invitation). A
key bound to a user acts with the user's roles, so it takes none of its own."""
from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from radiant.auth.v1 import auth_pb2
from services.auth import permissions
from services.router.edge.admin import audit_trail, pbjson
from services.router.edge.admin.context import AdminContext, Limit, Offset, TenantParam, admin, page, pagination
from services.router.edge.v2 import envelope
from services.runtime.errors import ValidationError
from services.runtime.grpc_client import call

router = APIRouter(prefix="/api/v2/admin/keys", tags=["admin: API keys"])
KeyId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
_BODY = Body(..., description="Fields of radiant.auth.v1.CreateApiKeyRequest (snake_case): name, app_id, user_id, "
                              "roles, permissions (completions, embeddings, admin, health), tier, expires_at")
DEFAULT_GRACE_SECONDS = 3600


class RotateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grace_period_seconds: int = Field(DEFAULT_GRACE_SECONDS, ge=0, le=7 * 24 * 3600,
                                      description="How long the old secret keeps working (0: stops at once)")


async def create(ctx: AdminContext, tenant: str, body: dict[str, Any]) -> auth_pb2.CreateApiKeyResponse:
    req = pbjson.parse_body(body, auth_pb2.CreateApiKeyRequest(), reserved=("tenant_id",))
    if req.user_id and req.roles:
        raise ValidationError("roles: a key bound to a user acts with the user's roles",
                              details={"roles": ["not allowed with user_id"]})
    for role in permissions.ROLES:
        if role in req.roles:
            permissions.check_grant(ctx.principal, role, "roles")
    req.tenant_id = tenant
    created = await call(ctx.up.auth.CreateApiKey(req), "auth")
    await audit_trail.record(ctx, "api_key.create", "api_key", created.key.id, tenant_id=tenant,
                             after=pbjson.render(created.key))
    return created


async def get(ctx: AdminContext, tenant: str, key_id: str) -> auth_pb2.ApiKey:
    return await call(ctx.up.auth.GetApiKey(auth_pb2.GetApiKeyRequest(tenant_id=tenant, id=key_id)), "auth")


async def revoke(ctx: AdminContext, tenant: str, key_id: str) -> auth_pb2.ApiKey:
    before = await get(ctx, tenant, key_id)
    key = await call(ctx.up.auth.RevokeApiKey(auth_pb2.RevokeApiKeyRequest(tenant_id=tenant, id=key_id)), "auth")
    await audit_trail.record(ctx, "api_key.revoke", "api_key", key.id, tenant_id=tenant,
                             before=pbjson.render(before), after=pbjson.render(key))
    return key


async def rotate(ctx: AdminContext, tenant: str, key_id: str, grace_seconds: int) -> auth_pb2.CreateApiKeyResponse:
    before = await get(ctx, tenant, key_id)
    created = await call(ctx.up.auth.RotateApiKey(auth_pb2.RotateApiKeyRequest(
        tenant_id=tenant, id=key_id, grace_period_seconds=grace_seconds)), "auth")
    await audit_trail.record(ctx, "api_key.rotate", "api_key", key_id, tenant_id=tenant,
                             before=pbjson.render(before), after=pbjson.render(await get(ctx, tenant, key_id)),
                             details={"replacement_key_id": created.key.id, "grace_period_seconds": grace_seconds})
    return created


def _created(created: auth_pb2.CreateApiKeyResponse) -> dict[str, Any]:
    return {"key": pbjson.render(created.key), "secret": created.secret,
            "notice": "Store the secret now: it is shown only once."}


@router.get("")
async def list_route(tenant_id: str | None = TenantParam, include_revoked: bool = Query(False),
                     user_id: str | None = Query(None, pattern=r"^[a-z0-9][a-z0-9-]{0,63}$"),
                     app_id: str | None = Query(None, pattern=r"^[a-z0-9][a-z0-9-]{0,63}$"),
                     limit: int = Limit, offset: int = Offset, ctx: AdminContext = Depends(admin("keys.read"))):
    started = time.perf_counter()
    resp = await call(ctx.up.auth.ListApiKeys(auth_pb2.ListApiKeysRequest(
        tenant_id=ctx.tenant(tenant_id), include_revoked=include_revoked, user_id=user_id or "", app_id=app_id or "",
        page=page(limit, offset))), "auth")
    return envelope({"keys": [pbjson.render(k) for k in resp.keys],
                     "pagination": pagination(limit, offset, resp.page.total, len(resp.keys))}, started)


@router.post("", status_code=201)
async def create_route(body: dict[str, Any] = _BODY, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("keys.write"))):
    started = time.perf_counter()
    return envelope(_created(await create(ctx, ctx.tenant(tenant_id), body)), started, status=201)


@router.get("/{key_id}")
async def get_route(key_id: KeyId, tenant_id: str | None = TenantParam,
                    ctx: AdminContext = Depends(admin("keys.read"))):
    started = time.perf_counter()
    return envelope({"key": pbjson.render(await get(ctx, ctx.tenant(tenant_id), key_id))}, started)


@router.post("/{key_id}/revoke")
async def revoke_route(key_id: KeyId, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("keys.write"))):
    started = time.perf_counter()
    return envelope({"key": pbjson.render(await revoke(ctx, ctx.tenant(tenant_id), key_id))}, started)


@router.post("/{key_id}/rotate", status_code=201)
async def rotate_route(key_id: KeyId, body: RotateBody | None = None, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("keys.write"))):
    started = time.perf_counter()
    grace = (body or RotateBody()).grace_period_seconds
    return envelope(_created(await rotate(ctx, ctx.tenant(tenant_id), key_id, grace)), started, status=201)
