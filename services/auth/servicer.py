"""AuthService gRPC servicer: validation, then store/authenticator calls; errors are services.runtime.errors."""
from __future__ import annotations

import logging
import re
import uuid
from datetime import timedelta
from typing import Any

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2

from services.auth import keys, permissions, validation as v
from services.auth.authn import Authenticator
from services.auth.identities.drivers import IdentityDriver
from services.auth.identities.invitations import Invitations
from services.auth.identities.promotions import Promotions
from services.auth.invalidations import InvalidationPublisher
from services.auth.messages import (KEY_TIER_FROM_PB, KEY_TIER_TO_PB, STATUS_FROM_PB, app_pb, invitation_pb, key_pb,
                                    limits_to_dict, promotion_pb, settings_to_dict, tenant_pb, user_pb)
from services.auth.models import USER_STATUSES, ApiKey, Tenant, User
from services.auth.settings import Settings
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
    for field in ("requests_per_minute", "tokens_per_day"):  # the seed's names, checked under their own names
        v.non_negative(getattr(pb, field), f"settings.{field}")
    v.money(pb.monthly_budget, "settings.monthly_budget")
    data = settings_to_dict(pb)
    v.non_negative(data["max_tokens_per_request"], "settings.max_tokens_per_request")
    if not 0 <= data["request_log_retention_days"] <= MAX_RETENTION_DAYS:
        raise v.fail("settings.request_log_retention_days", f"must be between 0 (the default) and {MAX_RETENTION_DAYS}")
    limits = data["limits"] = v.limits(data["limits"], "settings.limits")
    data["requests_per_minute"] = limits.get("requests_per_minute", 0)
    data["tokens_per_day"] = limits.get("tokens_per_day", 0)
    data["monthly_budget"] = limits.get("monthly_budget", "")
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


def _limits(pb: common_pb2.Limits, field: str = "limits") -> dict[str, Any]:
    return v.limits(limits_to_dict(pb), field)


def _key_tier(value: int, field: str = "key_tier") -> str | None:
    if value == common_pb2.KEY_TIER_UNSPECIFIED:
        return None
    if value not in KEY_TIER_FROM_PB:
        raise v.fail(field, f"must be one of {', '.join(KEY_TIER_TO_PB)}")
    return KEY_TIER_FROM_PB[value]


MAX_GRACE_SECONDS = 7 * 24 * 3600


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].rstrip("-")


class AuthServicer(auth_pb2_grpc.AuthServiceServicer):
    def __init__(self, store: AuthStore, authenticator: Authenticator, invalidations: InvalidationPublisher | None,
                 settings: Settings, driver: IdentityDriver) -> None:
        self.store = store
        self.authn = authenticator
        self.invalidations = invalidations
        self.invitations = Invitations(store, driver, authenticator.pepper, settings)
        self.promotions = Promotions(store, driver, settings)

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
        return app_pb(await self.store.create_app(tenant_id, app_id, name, _limits(request.limits)))

    async def UpdateApp(self, request, context):
        tenant_id, app_id = v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)
        changes: dict[str, Any] = {}
        if request.HasField("name"):
            changes["name"] = v.name(request.name)
        if request.HasField("limits"):
            changes["limits"] = _limits(request.limits)
        app = await self.store.update_app(tenant_id, app_id, changes)
        if "limits" in changes:
            await self._invalidate(tenant_id)
        if changes:
            log.info("app updated", extra={"tenant": tenant_id, "app_id": app_id, "fields": sorted(changes)})
        return app_pb(app)

    async def ListApps(self, request, context):
        tenant_id = v.ident(request.tenant_id, "tenant_id")
        limit, offset = _page(request.page)
        rows, total = await self.store.list_apps(tenant_id, limit, offset)
        return auth_pb2.ListAppsResponse(apps=[app_pb(a) for a in rows], page=_page_pb(offset, limit, total))

    async def GetApp(self, request, context):
        return app_pb(await self.store.get_app(v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)))

    # --- users ---------------------------------------------------------------------------------------------------
    async def CreateUser(self, request, context):
        user = User(id=f"u-{uuid.uuid4().hex[:16]}", tenant_id=v.ident(request.tenant_id, "tenant_id"),
                    app_id=v.ident(request.app_id, "app_id") if request.app_id else "",
                    email=v.email(request.email), subject=_subject(request.subject),
                    roles=v.labels(request.roles, "roles"), groups=v.labels(request.groups, "groups"),
                    status="active", limits=_limits(request.limits))
        user = await self.store.create_user(user)
        log.info("user created", extra={"tenant": user.tenant_id, "user_id": user.id})
        return user_pb(user)

    async def GetUser(self, request, context):
        return user_pb(await self.store.get_user(v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)))

    async def ListUsers(self, request, context):
        tenant_id = v.ident(request.tenant_id, "tenant_id")
        limit, offset = _page(request.page)
        status = request.status.strip()
        if status and status not in USER_STATUSES:
            raise v.fail("status", f"must be one of {', '.join(USER_STATUSES)}")
        email = v.email(request.email) if request.email.strip() else ""
        rows, total = await self.store.list_users(tenant_id, limit, offset, status=status,
                                                  role=request.role.strip()[:64], email=email)
        return auth_pb2.ListUsersResponse(users=[user_pb(u) for u in rows], page=_page_pb(offset, limit, total))

    async def UpdateUser(self, request, context):
        tenant_id, user_id = v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)
        changes: dict[str, Any] = {}
        # Repeated fields have no presence in proto3: an empty list leaves roles/groups unchanged.
        if request.roles:
            changes["roles"] = v.labels(request.roles, "roles")
        if request.groups:
            changes["groups"] = v.labels(request.groups, "groups")
        if request.HasField("set_roles"):
            changes["roles"] = v.labels(request.set_roles.values, "set_roles")
        if request.HasField("set_groups"):
            changes["groups"] = v.labels(request.set_groups.values, "set_groups")
        if request.HasField("status"):
            if request.status not in USER_STATUSES:
                raise v.fail("status", f"must be one of {', '.join(USER_STATUSES)}")
            if request.status == "deleted":
                raise v.fail("status", "use DeleteUser to delete a user (it also revokes the user's keys)")
            changes["status"] = request.status
        if request.HasField("limits"):
            changes["limits"] = _limits(request.limits)
        user = await self.store.update_user(tenant_id, user_id, changes)
        if changes:
            await self._invalidate(tenant_id)  # roles, status and limits apply to the user's credentials at once
        return user_pb(user)

    async def DeleteUser(self, request, context):
        user = await self.store.delete_user(v.ident(request.tenant_id, "tenant_id"), v.ident(request.id))
        await self._invalidate(user.tenant_id)
        log.info("user deleted", extra={"tenant": user.tenant_id, "user_id": user.id})
        return user_pb(user)

    # --- API keys ------------------------------------------------------------------------------------------------
    async def CreateApiKey(self, request, context):
        tenant_id = v.ident(request.tenant_id, "tenant_id")
        expires_at = from_ts(request.expires_at) if request.HasField("expires_at") else None
        if expires_at is not None and expires_at <= utcnow():
            raise v.fail("expires_at", "must be in the future")
        key_id, secret = keys.generate()
        roles = v.labels(request.roles, "roles")
        row = ApiKey(id=key_id, tenant_id=tenant_id,
                     app_id=v.ident(request.app_id, "app_id") if request.app_id else "",
                     user_id=v.ident(request.user_id, "user_id") if request.user_id else "",
                     name=v.name(request.name), roles=roles,
                     tier=v.tier(request.tier) if request.tier else None,
                     key_hash=keys.key_hash(self.authn.pepper, secret), expires_at=expires_at,
                     permissions=permissions.key_permissions(request.permissions, roles),
                     limits=_limits(request.limits), key_tier=_key_tier(request.key_tier))
        row = await self.store.create_key(row)
        log.info("api key created", extra={"tenant": row.tenant_id, "key_id": row.id})
        return auth_pb2.CreateApiKeyResponse(key=key_pb(row), secret=secret)

    async def ListApiKeys(self, request, context):
        tenant_id = v.ident(request.tenant_id, "tenant_id")
        limit, offset = _page(request.page)
        rows, total = await self.store.list_keys(
            tenant_id, request.include_revoked, limit, offset,
            user_id=v.ident(request.user_id, "user_id") if request.user_id else "",
            app_id=v.ident(request.app_id, "app_id") if request.app_id else "")
        return auth_pb2.ListApiKeysResponse(keys=[key_pb(k) for k in rows], page=_page_pb(offset, limit, total))

    async def GetApiKey(self, request, context):
        return key_pb(await self.store.get_key(v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)))

    async def RevokeApiKey(self, request, context):
        row = await self.store.revoke_key(v.ident(request.tenant_id, "tenant_id"), v.ident(request.id))
        await self._invalidate(row.tenant_id, row.id)
        log.info("api key revoked", extra={"tenant": row.tenant_id, "key_id": row.id})
        return key_pb(row)

    async def UpdateApiKey(self, request, context):
        tenant_id, key_id = v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)
        changes: dict[str, Any] = {}
        if request.HasField("limits"):
            changes["limits"] = _limits(request.limits)
        if request.HasField("key_tier"):
            changes["key_tier"] = _key_tier(request.key_tier)
        row = await self.store.update_key(tenant_id, key_id, changes)
        if changes:
            await self._invalidate(tenant_id, row.id)
            log.info("api key updated", extra={"tenant": tenant_id, "key_id": row.id, "fields": sorted(changes)})
        return key_pb(row)

    async def RotateApiKey(self, request, context):
        tenant_id, old_id = v.ident(request.tenant_id, "tenant_id"), v.ident(request.id)
        grace = request.grace_period_seconds
        if not 0 <= grace <= MAX_GRACE_SECONDS:
            raise v.fail("grace_period_seconds", f"must be between 0 and {MAX_GRACE_SECONDS} (7 days)")
        new_id, secret = keys.generate()
        old, new = await self.store.rotate_key(tenant_id, old_id, new_id, keys.key_hash(self.authn.pepper, secret),
                                               timedelta(seconds=grace))
        await self._invalidate(tenant_id, old.id)  # cached decisions of the old key now expire with its grace
        log.info("api key rotated", extra={"tenant": tenant_id, "key_id": old.id, "new_key_id": new.id,
                                           "grace_seconds": grace})
        return auth_pb2.CreateApiKeyResponse(key=key_pb(new), secret=secret)

    # --- invitations ---------------------------------------------------------------------------------------------
    async def CreateInvitation(self, request, context):
        invitation, link = await self.invitations.create(request.tenant_id, request.email, request.role,
                                                         request.actor)
        log.info("invitation created", extra={"tenant": invitation.tenant_id, "invitation_id": invitation.id})
        return auth_pb2.InvitationResponse(invitation=invitation_pb(invitation), link=link)

    async def ListInvitations(self, request, context):
        limit, offset = _page(request.page)
        rows, total = await self.invitations.list(request.tenant_id, request.status.strip(), limit, offset)
        return auth_pb2.ListInvitationsResponse(invitations=[invitation_pb(i) for i in rows],
                                                page=_page_pb(offset, limit, total))

    async def GetInvitation(self, request, context):
        return invitation_pb(await self.invitations.get(request.tenant_id, request.id))

    async def RevokeInvitation(self, request, context):
        return invitation_pb(await self.invitations.revoke(request.tenant_id, request.id))

    async def ResendInvitation(self, request, context):
        invitation, link = await self.invitations.resend(request.tenant_id, request.id, request.actor)
        return auth_pb2.InvitationResponse(invitation=invitation_pb(invitation), link=link)

    async def AcceptInvitation(self, request, context):
        invitation, user, secret, key = await self.invitations.accept(request.token)
        log.info("invitation accepted", extra={"tenant": invitation.tenant_id, "invitation_id": invitation.id,
                                               "user_id": user.id})
        return auth_pb2.AcceptInvitationResponse(invitation=invitation_pb(invitation), user=user_pb(user),
                                                 api_key=secret, key=key_pb(key) if key is not None else None)

    # --- promotions ----------------------------------------------------------------------------------------------
    async def RequestPromotion(self, request, context):
        promotion = await self.promotions.request(request.tenant_id, request.user_id, request.role, request.reason,
                                                  request.actor)
        log.info("promotion requested", extra={"tenant": promotion.tenant_id, "promotion_id": promotion.id})
        return promotion_pb(promotion)

    async def ListPromotions(self, request, context):
        limit, offset = _page(request.page)
        rows, total = await self.promotions.list(request.tenant_id, request.status.strip(), limit, offset)
        return auth_pb2.ListPromotionsResponse(promotions=[promotion_pb(p) for p in rows],
                                               page=_page_pb(offset, limit, total))

    async def GetPromotion(self, request, context):
        return promotion_pb(await self.promotions.get(request.tenant_id, request.id))

    async def ApprovePromotion(self, request, context):
        promotion, user = await self.promotions.approve(request.tenant_id, request.id, request.reason,
                                                        request.actor)
        await self._invalidate(promotion.tenant_id)  # the new role applies to the user's credentials at once
        log.info("promotion approved", extra={"tenant": promotion.tenant_id, "promotion_id": promotion.id,
                                              "user_id": user.id})
        return promotion_pb(promotion)

    async def RejectPromotion(self, request, context):
        promotion = await self.promotions.reject(request.tenant_id, request.id, request.reason, request.actor)
        log.info("promotion rejected", extra={"tenant": promotion.tenant_id, "promotion_id": promotion.id})
        return promotion_pb(promotion)


def _subject(value: str) -> str:
    value = value.strip()
    if len(value) > 128:
        raise v.fail("subject", "must be at most 128 characters")
    return value
