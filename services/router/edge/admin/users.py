"""Users of a tenant (/api/v2/admin/users), backed by auth: list (status, role, email filters), get, create, update,
disable / enable, delete (soft: the user's keys are revoked, the row stays for the audit trail). Admin roles are not
given here: they come with an invitation or an approved promotion (services.auth.permissions.check_role_change);
dropping them is allowed. Disabling or deleting a user stops its API keys and sign-ins at once."""
from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query

from radiant.auth.v1 import auth_pb2
from services.auth import permissions
from services.router.edge.admin import audit_trail, pbjson
from services.router.edge.admin.context import AdminContext, Limit, Offset, TenantParam, admin, page, pagination
from services.router.edge.v2 import envelope
from services.runtime.errors import UnprocessableError, ValidationError
from services.runtime.grpc_client import call

router = APIRouter(prefix="/api/v2/admin/users", tags=["admin: users"])
UserId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
_BODY = Body(..., description="Fields of radiant.auth.v1.CreateUserRequest / UpdateUserRequest (snake_case); "
                              "roles and groups replace the current lists")
_RESERVED = ("tenant_id", "id", "set_roles", "set_groups")


async def get(ctx: AdminContext, tenant: str, user_id: str) -> auth_pb2.User:
    return await call(ctx.up.auth.GetUser(auth_pb2.GetUserRequest(tenant_id=tenant, id=user_id)), "auth")


async def create(ctx: AdminContext, tenant: str, body: dict[str, Any]) -> auth_pb2.User:
    req = pbjson.parse_body(body, auth_pb2.CreateUserRequest(), reserved=_RESERVED)
    permissions.check_role_change([], [*req.roles, *req.groups])
    req.tenant_id = tenant
    user = await call(ctx.up.auth.CreateUser(req), "auth")
    await audit_trail.record(ctx, "user.create", "user", user.id, tenant_id=tenant, after=pbjson.render(user))
    return user


def _not_self(ctx: AdminContext, user_id: str, what: str) -> None:
    if user_id == ctx.principal.user_id:
        raise UnprocessableError(f"You cannot {what} yourself")


async def update(ctx: AdminContext, tenant: str, user_id: str, body: dict[str, Any],
                 action: str = "user.update") -> auth_pb2.User:
    if not isinstance(body, dict):
        raise ValidationError("body: must be a JSON object", details={"body": ["must be a JSON object"]})
    body = dict(body)
    # REST lists replace (proto3 cannot tell an empty repeated field from an absent one, hence set_roles/set_groups).
    lists = {name: body.pop(name) for name in ("roles", "groups") if name in body}
    req = pbjson.parse_body(body, auth_pb2.UpdateUserRequest(), reserved=_RESERVED,
                            require_some=not lists)
    for name, values in lists.items():
        pbjson.parse({"values": values}, getattr(req, f"set_{name}"), name)
    if req.HasField("status") and req.status != "active":
        _not_self(ctx, user_id, "disable")
    before = await get(ctx, tenant, user_id)
    after_roles = [*(req.set_roles.values if req.HasField("set_roles") else before.roles),
                   *(req.set_groups.values if req.HasField("set_groups") else before.groups)]
    permissions.check_role_change([*before.roles, *before.groups], after_roles)
    req.tenant_id, req.id = tenant, user_id
    user = await call(ctx.up.auth.UpdateUser(req), "auth")
    await audit_trail.record(ctx, action, "user", user.id, tenant_id=tenant, before=pbjson.render(before),
                             after=pbjson.render(user))
    return user


async def delete(ctx: AdminContext, tenant: str, user_id: str) -> auth_pb2.User:
    _not_self(ctx, user_id, "delete")
    before = await get(ctx, tenant, user_id)
    user = await call(ctx.up.auth.DeleteUser(auth_pb2.DeleteUserRequest(tenant_id=tenant, id=user_id)), "auth")
    await audit_trail.record(ctx, "user.delete", "user", user.id, tenant_id=tenant, before=pbjson.render(before),
                             after=pbjson.render(user))
    return user


@router.get("")
async def list_route(tenant_id: str | None = TenantParam,
                     status: Literal["active", "invited", "suspended", "deleted"] | None = Query(None),
                     role: str | None = Query(None, max_length=64), email: str | None = Query(None, max_length=254),
                     limit: int = Limit, offset: int = Offset, ctx: AdminContext = Depends(admin("users.read"))):
    started = time.perf_counter()
    resp = await call(ctx.up.auth.ListUsers(auth_pb2.ListUsersRequest(
        tenant_id=ctx.tenant(tenant_id), page=page(limit, offset), status=status or "", role=role or "",
        email=email or "")), "auth")
    return envelope({"users": [pbjson.render(u) for u in resp.users],
                     "pagination": pagination(limit, offset, resp.page.total, len(resp.users))}, started)


@router.post("", status_code=201)
async def create_route(body: dict[str, Any] = _BODY, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("users.write"))):
    started = time.perf_counter()
    return envelope({"user": pbjson.render(await create(ctx, ctx.tenant(tenant_id), body))}, started, status=201)


@router.get("/{user_id}")
async def get_route(user_id: UserId, tenant_id: str | None = TenantParam,
                    ctx: AdminContext = Depends(admin("users.read"))):
    started = time.perf_counter()
    return envelope({"user": pbjson.render(await get(ctx, ctx.tenant(tenant_id), user_id))}, started)


@router.patch("/{user_id}")
async def update_route(user_id: UserId, body: dict[str, Any] = _BODY, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("users.write"))):
    started = time.perf_counter()
    return envelope({"user": pbjson.render(await update(ctx, ctx.tenant(tenant_id), user_id, body))}, started)


@router.post("/{user_id}/disable")
async def disable_route(user_id: UserId, tenant_id: str | None = TenantParam,
                        ctx: AdminContext = Depends(admin("users.write"))):
    started = time.perf_counter()
    user = await update(ctx, ctx.tenant(tenant_id), user_id, {"status": "suspended"}, "user.disable")
    return envelope({"user": pbjson.render(user)}, started)


@router.post("/{user_id}/enable")
async def enable_route(user_id: UserId, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("users.write"))):
    started = time.perf_counter()
    user = await update(ctx, ctx.tenant(tenant_id), user_id, {"status": "active"}, "user.enable")
    return envelope({"user": pbjson.render(user)}, started)


@router.delete("/{user_id}")
async def delete_route(user_id: UserId, tenant_id: str | None = TenantParam,
                       ctx: AdminContext = Depends(admin("users.write"))):
    started = time.perf_counter()
    return envelope({"user": pbjson.render(await delete(ctx, ctx.tenant(tenant_id), user_id))}, started)
