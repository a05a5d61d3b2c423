"""Invitations of admin identities: created with a role the inviter may grant, valid for a limited time (7 days by
default), revocable, resendable (a new token and a new expiry; the old token stops working), accepted once.

The token is shown once (in the link) and stored as a keyed hash, like API keys; it is never logged."""
from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import urlencode

import sqlalchemy as sa
from radiant.common.v1 import common_pb2

from services.auth import keys, permissions, validation as v
from services.auth.identities.drivers import IdentityDriver
from services.auth.models import ApiKey, Invitation, User
from services.auth.settings import Settings
from services.auth.store import AuthStore
from services.runtime.db import page
from services.runtime.errors import ConflictError, NotFoundError, UnprocessableError
from services.runtime.timeutil import as_utc, utcnow

STATUSES = ("pending", "accepted", "revoked", "expired")


class Invitations:
    def __init__(self, store: AuthStore, driver: IdentityDriver, pepper: bytes, settings: Settings) -> None:
        self.store = store
        self.driver = driver
        self.pepper = pepper
        self.ttl = timedelta(hours=settings.invitation_ttl_hours)
        self.url = settings.invitation_url

    def _link(self, token: str) -> str:
        return f"{self.url}{'&' if '?' in self.url else '?'}{urlencode({'token': token})}"

    async def _deliver(self, invitation: Invitation, token: str) -> str:
        link = self._link(token)
        await self.driver.send_invitation(invitation, link)
        return link if self.driver.returns_link else ""

    async def create(self, tenant_id: str, email: str, role: str,
                     actor: common_pb2.Principal) -> tuple[Invitation, str]:
        tenant_id, email = v.ident(tenant_id, "tenant_id"), v.email(email)
        permissions.check_grant(actor, role)
        token, now = keys.new_token(), utcnow()
        async with self.store.session() as s:
            await self.store._tenant(s, tenant_id, writable=True)
            user = (await s.execute(sa.select(User.status).where(User.tenant_id == tenant_id,
                                                                 User.email == email))).first()
            if user is not None:
                # Deleted users keep their row (audit trail), and with it their email.
                raise ConflictError(f"a user with this email already exists in the tenant (status {user[0]}); "
                                    "request a promotion for an existing user",
                                    details={"email": ["already a user of this tenant"]})
            pending = (await s.execute(sa.select(Invitation.id).where(
                Invitation.tenant_id == tenant_id, Invitation.email == email, Invitation.status == "pending",
                Invitation.expires_at > now))).first()
            if pending is not None:
                raise ConflictError(f"invitation {pending[0]} for this email is still pending; resend it instead",
                                    details={"email": ["has a pending invitation"]})
            invitation = Invitation(id=f"inv-{uuid.uuid4().hex[:16]}", tenant_id=tenant_id, email=email, role=role,
                                    status="pending", token_hash=keys.key_hash(self.pepper, token),
                                    invited_by=actor.user_id or "unknown", driver=self.driver.name, send_count=1,
                                    user_id="", created_at=now, last_sent_at=now, expires_at=now + self.ttl)
            s.add(invitation)
            await s.commit()
        return invitation, await self._deliver(invitation, token)

    async def list(self, tenant_id: str, status: str, limit: int, offset: int) -> tuple[list[Invitation], int]:
        tenant_id = v.ident(tenant_id, "tenant_id")
        if status and status not in STATUSES:
            raise v.fail("status", f"must be one of {', '.join(STATUSES)}")
        now = utcnow()
        async with self.store.session() as s:
            await self.store._tenant(s, tenant_id)
            stmt = sa.select(Invitation).where(Invitation.tenant_id == tenant_id)
            if status == "expired":
                stmt = stmt.where(Invitation.status == "pending", Invitation.expires_at <= now)
            elif status == "pending":
                stmt = stmt.where(Invitation.status == "pending", Invitation.expires_at > now)
            elif status:
                stmt = stmt.where(Invitation.status == status)
            return await page(s, stmt, (Invitation.created_at.desc(), Invitation.id), limit, offset)

    async def get(self, tenant_id: str, invitation_id: str) -> Invitation:
        async with self.store.session() as s:
            return await self.store._scoped(s, Invitation, v.ident(tenant_id, "tenant_id"), v.ident(invitation_id),
                                            "invitation")

    async def revoke(self, tenant_id: str, invitation_id: str) -> Invitation:
        async with self.store.session() as s:
            invitation = await self.store._scoped(s, Invitation, v.ident(tenant_id, "tenant_id"),
                                                  v.ident(invitation_id), "invitation")
            if invitation.status == "accepted":
                raise UnprocessableError("the invitation was accepted already; disable or delete the user instead")
            if invitation.status == "pending":
                invitation.status, invitation.revoked_at = "revoked", utcnow()
                await s.commit()
            return invitation

    async def resend(self, tenant_id: str, invitation_id: str,
                     actor: common_pb2.Principal) -> tuple[Invitation, str]:
        token, now = keys.new_token(), utcnow()
        async with self.store.session() as s:
            invitation = await self.store._scoped(s, Invitation, v.ident(tenant_id, "tenant_id"),
                                                  v.ident(invitation_id), "invitation")
            if invitation.status != "pending":
                raise UnprocessableError(f"the invitation has been {invitation.status}; only a pending or expired "
                                         "invitation can be resent")
            permissions.check_grant(actor, invitation.role)
            invitation.token_hash = keys.key_hash(self.pepper, token)
            invitation.expires_at, invitation.last_sent_at = now + self.ttl, now
            invitation.send_count += 1
            await s.commit()
        return invitation, await self._deliver(invitation, token)

    async def accept(self, token: str) -> tuple[Invitation, User, str, ApiKey | None]:
        """Returns the invitation, the new user and (local driver) an API key's secret and row."""
        token = token.strip()
        if not token or len(token) > keys.MAX_KEY_LENGTH:
            raise v.fail("token", "is required")
        digest = keys.key_hash(self.pepper, token)
        async with self.store.session() as s:
            invitation = (await s.execute(sa.select(Invitation).where(Invitation.token_hash == digest))).scalar()
        if invitation is None:
            raise NotFoundError("invitation not found (the link may have been replaced by a newer one)",
                                details={"token": ["unknown token"]})
        _acceptable(invitation)
        subject = await self.driver.provision(invitation)  # idempotent: a retried accept finds the identity
        async with self.store.session() as s:
            invitation = (await s.execute(sa.select(Invitation).where(Invitation.id == invitation.id)
                                          .with_for_update())).scalar_one()
            _acceptable(invitation)
            tenant = await self.store._tenant(s, invitation.tenant_id, writable=True)
            taken = (await s.execute(sa.select(User.id).where(User.tenant_id == tenant.id,
                                                              User.email == invitation.email))).first()
            if taken is not None:
                raise ConflictError("a user with this email already exists in the tenant")
            now = utcnow()
            user = User(id=f"u-{uuid.uuid4().hex[:16]}", tenant_id=tenant.id, app_id=tenant.app_id,
                        email=invitation.email, subject=subject, roles=[invitation.role], groups=[],
                        status="active", created_at=now, updated_at=now)
            s.add(user)
            await s.flush()
            invitation.status, invitation.accepted_at, invitation.user_id = "accepted", now, user.id
            secret, key = "", None
            if self.driver.issues_api_key:
                key_id, secret = keys.generate()
                key = ApiKey(id=key_id, tenant_id=tenant.id, app_id=tenant.app_id, user_id=user.id,
                             name=f"invitation {invitation.id}", roles=[], tier=None,
                             key_hash=keys.key_hash(self.pepper, secret), created_at=now,
                             permissions=[permissions.ADMIN_API, permissions.HEALTH])
                s.add(key)
            await s.commit()
        return invitation, user, secret, key


def _acceptable(invitation: Invitation) -> None:
    if invitation.status == "accepted":
        raise ConflictError("the invitation was accepted already")
    if invitation.status == "revoked":
        raise UnprocessableError("the invitation has been revoked")
    if as_utc(invitation.expires_at) <= utcnow():
        raise UnprocessableError("the invitation has expired; ask an administrator to resend it")
