"""Two-person promotions: an admin requests an admin role for a user; it takes effect only when a second, different
person approves it before the request expires. Enforced here, server-side, whatever the caller checked:

- requester and approver may grant the role (services.auth.permissions.check_grant);
- the approver is a person (a JWT, or an API key bound to a user), is not the requester and is not the promoted user;
- only a pending, unexpired request can be approved or rejected; one pending request per user at a time."""
from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from radiant.common.v1 import common_pb2

from services.auth import permissions, validation as v
from services.auth.identities.drivers import IdentityDriver
from services.auth.models import Promotion, User
from services.auth.settings import Settings
from services.auth.store import AuthStore
from services.runtime.db import page
from services.runtime.errors import ConflictError, ForbiddenError, UnprocessableError
from services.runtime.timeutil import as_utc, utcnow

STATUSES = ("pending", "approved", "rejected", "expired")
MAX_REASON = 1000


def _person(actor: common_pb2.Principal) -> bool:
    return actor.auth_method == common_pb2.AUTH_METHOD_JWT or (
        bool(actor.user_id) and not actor.user_id.startswith("apikey:"))


def _reason(value: str, field: str = "reason") -> str:
    value = value.strip()
    if len(value) > MAX_REASON:
        raise v.fail(field, f"must be at most {MAX_REASON} characters")
    return value


class Promotions:
    def __init__(self, store: AuthStore, driver: IdentityDriver, settings: Settings) -> None:
        self.store = store
        self.driver = driver
        self.ttl = timedelta(hours=settings.promotion_ttl_hours)

    async def request(self, tenant_id: str, user_id: str, role: str, reason: str,
                      actor: common_pb2.Principal) -> Promotion:
        tenant_id, user_id, reason = v.ident(tenant_id, "tenant_id"), v.ident(user_id, "user_id"), _reason(reason)
        permissions.check_grant(actor, role)
        if actor.user_id == user_id:
            raise ForbiddenError("You cannot request a promotion for yourself")
        now = utcnow()
        async with self.store.session() as s:
            await self.store._tenant(s, tenant_id, writable=True)
            user = await self.store._user(s, tenant_id, user_id)
            if user.status != "active":
                raise UnprocessableError(f"user {user_id} is {user.status}; only an active user can be promoted")
            if role in (user.roles or []):
                raise UnprocessableError(f"user {user_id} already has the role {role}")
            pending = (await s.execute(sa.select(Promotion.id).where(
                Promotion.tenant_id == tenant_id, Promotion.user_id == user_id, Promotion.status == "pending",
                Promotion.expires_at > now))).first()
            if pending is not None:
                raise ConflictError(f"promotion {pending[0]} for this user is still pending")
            promotion = Promotion(id=f"prm-{uuid.uuid4().hex[:16]}", tenant_id=tenant_id, user_id=user_id,
                                  role=role, previous_roles=list(user.roles or []), reason=reason, status="pending",
                                  requested_by=actor.user_id or "unknown", decided_by="", decision_reason="",
                                  created_at=now, expires_at=now + self.ttl)
            s.add(promotion)
            await s.commit()
            return promotion

    async def list(self, tenant_id: str, status: str, limit: int, offset: int) -> tuple[list[Promotion], int]:
        tenant_id = v.ident(tenant_id, "tenant_id")
        if status and status not in STATUSES:
            raise v.fail("status", f"must be one of {', '.join(STATUSES)}")
        now = utcnow()
        async with self.store.session() as s:
            await self.store._tenant(s, tenant_id)
            stmt = sa.select(Promotion).where(Promotion.tenant_id == tenant_id)
            if status == "expired":
                stmt = stmt.where(Promotion.status == "pending", Promotion.expires_at <= now)
            elif status == "pending":
                stmt = stmt.where(Promotion.status == "pending", Promotion.expires_at > now)
            elif status:
                stmt = stmt.where(Promotion.status == status)
            return await page(s, stmt, (Promotion.created_at.desc(), Promotion.id), limit, offset)

    async def get(self, tenant_id: str, promotion_id: str) -> Promotion:
        async with self.store.session() as s:
            return await self.store._scoped(s, Promotion, v.ident(tenant_id, "tenant_id"), v.ident(promotion_id),
                                            "promotion")

    async def _pending(self, s, tenant_id: str, promotion_id: str) -> Promotion:
        promotion = (await s.execute(sa.select(Promotion).where(
            Promotion.tenant_id == v.ident(tenant_id, "tenant_id"), Promotion.id == v.ident(promotion_id))
            .with_for_update())).scalar()
        if promotion is None:
            await self.store._scoped(s, Promotion, tenant_id, promotion_id, "promotion")  # raises NOT_FOUND
        if promotion.status != "pending":
            raise UnprocessableError(f"the promotion has been {promotion.status} already")
        if as_utc(promotion.expires_at) <= utcnow():
            raise UnprocessableError("the promotion request has expired; request it again")
        return promotion

    async def approve(self, tenant_id: str, promotion_id: str, reason: str,
                      actor: common_pb2.Principal) -> tuple[Promotion, User]:
        reason = _reason(reason)
        async with self.store.session() as s:
            promotion = await self._pending(s, tenant_id, promotion_id)
            if not _person(actor):
                raise ForbiddenError("A promotion must be approved by a person: sign in, or use an API key bound "
                                     "to your user")
            if actor.user_id == promotion.requested_by:
                raise ForbiddenError("A promotion must be approved by a second admin, not by its requester")
            if actor.user_id == promotion.user_id:
                raise ForbiddenError("You cannot approve your own promotion")
            permissions.check_grant(actor, promotion.role)
            user = await self.store._user(s, promotion.tenant_id, promotion.user_id)
            if user.status != "active":
                raise UnprocessableError(f"user {user.id} is {user.status}; only an active user can be promoted")
            previous = list(user.roles or [])
            await self.driver.set_role(user, promotion.role, previous)
            now = utcnow()
            user.roles = [r for r in previous if r not in permissions.ROLES] + [promotion.role]
            user.updated_at = now
            promotion.status, promotion.decided_by, promotion.decided_at = "approved", actor.user_id, now
            promotion.decision_reason, promotion.previous_roles = reason, previous
            await s.commit()
            return promotion, user

    async def reject(self, tenant_id: str, promotion_id: str, reason: str,
                     actor: common_pb2.Principal) -> Promotion:
        """Anyone who may decide can reject (the requester too: it withdraws the request)."""
        reason = _reason(reason)
        async with self.store.session() as s:
            promotion = await self._pending(s, tenant_id, promotion_id)
            permissions.check_grant(actor, promotion.role)
            promotion.status, promotion.decided_by, promotion.decided_at = "rejected", actor.user_id, utcnow()
            promotion.decision_reason = reason
            await s.commit()
            return promotion
