"""AuthService gRPC servicer: validation, then store/authenticator calls; errors are services.runtime.errors."""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2

from services.auth import keys, validation as v
from services.auth.authn import Authenticator
from services.auth.invalidations import InvalidationPublisher
from services.auth.messages import STATUS_FROM_PB, app_pb, key_pb, settings_to_dict, tenant_pb, user_pb
from services.auth.models import USER_STATUSES, ApiKey, Tenant, User
from services.auth.store import AuthStore
from services.runtime.paging import next_token, page_bounds
from services.runtime.timeutil import from_ts, utcnow

log = logging.getLogger("radiant.auth")


def _page(req_page: common_pb2.PageRequest) -> tuple[int, int]:
    return page_bounds(req_page.page_size, req_page.page_token)


def _page_pb(offset: int, limit: int, total: int) -> common_pb2.PageResponse:
    return common_pb2.PageResponse(next_page_token=next_token(offset, limit, total), total=total)


# Ten years: the request log keeps one partition per expiry day, so this bounds how many can exist.
MAX_RETENTION_DAYS = 3650


def _settings(pb: auth_pb2.TenantSettings) -> dict[str, Any]:
    """Names of providers, models and context providers are checked for shape only: they refer to registry and
    router entries that may be added later, and a name that matches nothing simply allows nothing."""
    data = settings_to_dict(pb)
    for field in ("max_tokens_per_request", "requests_per_minute", "tokens_per_day"):
        v.non_negative(data[field], f"settings.{field}")
    if not 0 <= data["request_log_retention_days"] <= MAX_RETENTION_DAYS:
        raise v.fail("settings.request_log_retention_days", f"must be between 0 (the default) and {MAX_RETENTION_DAYS}")
    data["monthly_budget"] = v.money(data["monthly_budget"], "settings.monthly_budget")
    data["allowed_providers"] = v.labels(data["allowed_providers"], "settings.allowed_providers")
    data["context_providers"] = v.labels(data["context_providers"], "settings.context_providers")
    data["default_model"] = v.model_name(data["default_model"], "settings.default_model")
    allowed = data["allowed_models"] = v.model_names(data["allowed_models"], "settings.allowed_models")
    blocked = data["blocked_models"] = v.model_names(data["blocked_models"], "settings.blocked_models")
    both = sorted(set(allowed) & set(blocked))
    if both:
        raise v.fail("settings.blocked_models", f"{', '.join(both)} also listed in allowed_models")
    default = data["default_model"]
    if default and (default in blocked or (allowed and default not in allowed)):
        raise v.fail("settings.default_model", "must be a model the tenant may use (allowed and not blocked)")
    return data


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].rstrip("-")


class AuthServicer(auth_pb2_grpc.AuthServiceServicer):
    def __init__(self, store: AuthStore, authenticator: Authenticator,
                 invalidations: InvalidationPublisher | None = None) -> None:
        self.store = store
        self.authn = authenticator
        self.invalidations = invalidations

    async def _invalidate(self, tenant_id: str, key_id: str = "") -> None:
        self.authn.forget_decisions()
        if self.invalidations is not None:
            await self.invalidations.publish(tenant_id, key_id)

    async def Authenticate(self, request, context):
        return await self.authn.authenticate(request)

    # --- tenants -------------------------------------------------------------------------------------------------
    async def CreateTenant(self, request, context):
        tenant_id = v.ident(request.id) if request.id else f"t-{uuid.uuid4().hex[:12]}"
        tenant = Tenant(id=tenant_id, name=v.name(request.name), domain=v.domain(request.domain),
                        app_id=v.ident(request.app_id, "app_id") if request.app_id else "default",
                        tier=v.tier(request.tier) if request.tier else 1, status="active",
                        settings=_settings(request.settings))
        tenant = await self.store.create_tenant(tenant)
        log.info("tenant created", extra={"tenant": tenant.id})
        return tenant_pb(tenant)

    async def GetTenant(self, request, context):
        return tenant_pb(await self.store.get_tenant(v.ident(request.id)))

    async def ListTenants(self, request, context):
        limit, offset = _page(request.page)
        status = None
        if request.status:
            if request.status not in STATUS_FROM_PB:
                raise v.fail("status", "is not a known tenant status")
            status = STATUS_FROM_PB[request.status]
        rows, total = await self.store.list_tenants(status, limit, offset)
        return auth_pb2.ListTenantsResponse(tenants=[tenant_pb(t) for t in rows], page=_page_pb(offset, limit, total))

    async def UpdateTenant(self, request, context):
        tenant_id = v.ident(request.id)
        changes: dict[str, Any] = {}
        if request.HasField("name"):
            changes["name"] = v.name(request.name)
        if request.HasField("domain"):
            changes["domain"] = v.domain(request.domain)
        if request.HasField("tier"):
            changes["tier"] = v.tier(request.tier)
        if request.status:
            if request.status not in STATUS_FROM_PB:
                raise v.fail("status", "is not a known tenant status")
            changes["status"] = STATUS_FROM_PB[request.status]
        if request.HasField("settings"):
            changes["settings"] = _settings(request.settings)
        tenant = await self.store.update_tenant(tenant_id, changes)
        if changes:
            await self._invalidate(tenant.id)
            log.info("tenant updated", extra={"tenant": tenant.id, "fields": sorted(changes)})
        return tenant_pb(tenant)

    # --- apps ----------------------------------------------------------------------------------------------------
    async def CreateApp(self, request, context):
        tenant_id = v.ident(request.tenant_id, "tenant_id")
        name = v.name(request.name)
        app_id = _slug(name)
        if not v.ID_RE.fullmatch(app_id):
            raise v.fail("name", "must contain at least one letter or digit")
        return app_pb(await self.store.create_app(tenant_id, app_id, name))

    async def ListApps(self, request, context):
        tenant_id = v.ident(request.tenant_id, "tenant_id")
        limit, offset = _page(request.page)
        rows, total = await self.store.list_apps(tenant_id, limit, offset)
        return auth_pb2.ListAppsResponse(apps=[app_pb(a) for a in rows], page=_page_pb(offset, limit, total))

    # --- users ---------------------------------------------------------------------------------------------------
    async def CreateUser(self, request, context):
        user = User(id=f"u-{uuid.uuid4().hex[:16]}", tenant_id=v.ident(request.tenant_id, "tenant_id"),
                    app_id=v.ident(request.app_id, "app_id") if request.app_id else "",
                    email=v.email(request.email), subject=_subject(request.subject),
                    roles=v.labels(request.roles, "roles"), groups=v.labels(request.groups, "groups"),
                    status="active")
        user = await self.store.create_user(user)
        log.info("user created", extra={"tenant": user.tenant_id, "user_id": user.id})
        return user_pb(user)

    async def GetUser(self, request, context):
        return user_pb(await self.store.get_user(v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)))

    async def ListUsers(self, request, context):
        tenant_id = v.ident(request.tenant_id, "tenant_id")
        limit, offset = _page(request.page)
        rows, total = await self.store.list_users(tenant_id, limit, offset)
        return auth_pb2.ListUsersResponse(users=[user_pb(u) for u in rows], page=_page_pb(offset, limit, total))

    async def UpdateUser(self, request, context):
        tenant_id, user_id = v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)
        changes: dict[str, Any] = {}
        # Repeated fields have no presence in proto3: an empty list leaves roles/groups unchanged.
        if request.roles:
            changes["roles"] = v.labels(request.roles, "roles")
        if request.groups:
            changes["groups"] = v.labels(request.groups, "groups")
        if request.HasField("status"):
            if request.status not in USER_STATUSES:
                raise v.fail("status", f"must be one of {', '.join(USER_STATUSES)}")
            changes["status"] = request.status
        return user_pb(await self.store.update_user(tenant_id, user_id, changes))

    # --- API keys ------------------------------------------------------------------------------------------------
    async def CreateApiKey(self, request, context):
        tenant_id = v.ident(request.tenant_id, "tenant_id")
        expires_at = from_ts(request.expires_at) if request.HasField("expires_at") else None
        if expires_at is not None and expires_at <= utcnow():
            raise v.fail("expires_at", "must be in the future")
        key_id, secret = keys.generate()
        row = ApiKey(id=key_id, tenant_id=tenant_id,
                     app_id=v.ident(request.app_id, "app_id") if request.app_id else "",
                     user_id=v.ident(request.user_id, "user_id") if request.user_id else "",
                     name=v.name(request.name), roles=v.labels(request.roles, "roles"),
                     tier=v.tier(request.tier) if request.tier else None,
                     key_hash=keys.key_hash(self.authn.pepper, secret), expires_at=expires_at)
        row = await self.store.create_key(row)
        log.info("api key created", extra={"tenant": row.tenant_id, "key_id": row.id})
        return auth_pb2.CreateApiKeyResponse(key=key_pb(row), secret=secret)

    async def ListApiKeys(self, request, context):
        tenant_id = v.ident(request.tenant_id, "tenant_id")
        limit, offset = _page(request.page)
        rows, total = await self.store.list_keys(tenant_id, request.include_revoked, limit, offset)
        return auth_pb2.ListApiKeysResponse(keys=[key_pb(k) for k in rows], page=_page_pb(offset, limit, total))

    async def RevokeApiKey(self, request, context):
        row = await self.store.revoke_key(v.ident(request.tenant_id, "tenant_id"), v.ident(request.id))
        await self._invalidate(row.tenant_id, row.id)
        log.info("api key revoked", extra={"tenant": row.tenant_id, "key_id": row.id})
        return key_pb(row)

    async def RotateApiKey(self, request, context):
        tenant_id, old_id = v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)
        new_id, secret = keys.generate()
        old, new = await self.store.rotate_key(tenant_id, old_id, new_id, keys.key_hash(self.authn.pepper, secret))
        await self._invalidate(tenant_id, old.id)
        log.info("api key rotated", extra={"tenant": tenant_id, "key_id": old.id, "new_key_id": new.id})
        return auth_pb2.CreateApiKeyResponse(key=key_pb(new), secret=secret)


def _subject(value: str) -> str:
    value = value.strip()
    if len(value) > 128:
        raise v.fail("subject", "must be at most 128 characters")
    return value
