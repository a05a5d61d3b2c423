"""Data access for auth. Every read of tenant data (apps, users, keys) filters by tenant_id, so another tenant's id
is indistinguishable from an unknown one (NOT_FOUND)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.auth.models import ApiKey, App, AuthBase, Invitation, Promotion, Tenant, User
from services.runtime.db import page, sessionmaker
from services.runtime.errors import ConflictError, NotFoundError, UnprocessableError
from services.runtime.timeutil import as_utc, utcnow

M = TypeVar("M", bound=AuthBase)


class AuthStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.session = sessionmaker(engine)

    # --- helpers -----------------------------------------------------------------------------------------------
    @staticmethod
    async def _insert(s: AsyncSession, row: M, conflict: str) -> M:
        s.add(row)
        try:
            await s.commit()
        except IntegrityError:
            await s.rollback()
            raise ConflictError(conflict) from None
        return row

    @staticmethod
    async def _tenant(s: AsyncSession, tenant_id: str, *, writable: bool = False) -> Tenant:
        tenant = await s.get(Tenant, tenant_id)
        if tenant is None:
            raise NotFoundError(f"tenant {tenant_id} not found")
        if writable and tenant.status == "deleted":
            raise UnprocessableError(f"tenant {tenant_id} has been deleted")
        return tenant

    # --- tenants -------------------------------------------------------------------------------------------------
    async def create_tenant(self, tenant: Tenant) -> Tenant:
        async with self.session() as s:
            if await s.get(Tenant, tenant.id) is not None:
                raise ConflictError(f"tenant {tenant.id} already exists")
            now = utcnow()
            tenant.created_at = tenant.updated_at = now
            # Every tenant starts with its default app, so app ids in tokens and keys resolve. (No ORM
            # relationships, so flush the tenant first to keep the foreign key satisfied.)
            try:
                s.add(tenant)
                await s.flush()
                s.add(App(tenant_id=tenant.id, id=tenant.app_id, name=tenant.app_id, created_at=now))
                await s.commit()
            except IntegrityError:
                await s.rollback()
                raise ConflictError(f"tenant {tenant.id} already exists") from None
            return tenant

    async def get_tenant(self, tenant_id: str) -> Tenant:
        async with self.session() as s:
            return await self._tenant(s, tenant_id)

    async def find_tenant(self, tenant_id: str) -> Tenant | None:
        async with self.session() as s:
            return await s.get(Tenant, tenant_id)

    async def list_tenants(self, status: str | None, limit: int, offset: int) -> tuple[list[Tenant], int]:
        stmt = sa.select(Tenant)
        stmt = stmt.where(Tenant.status == status) if status else stmt.where(Tenant.status != "deleted")
        async with self.session() as s:
            return await page(s, stmt, (Tenant.created_at, Tenant.id), limit, offset)

    async def update_tenant(self, tenant_id: str, changes: dict[str, Any]) -> Tenant:
        async with self.session() as s:
            tenant = await self._tenant(s, tenant_id)
            if tenant.status == "deleted" and changes:
                raise UnprocessableError(f"tenant {tenant_id} has been deleted and cannot be changed")
            for field, value in changes.items():
                setattr(tenant, field, value)
            if changes:
                tenant.updated_at = utcnow()
            await s.commit()
            return tenant

    # --- apps ----------------------------------------------------------------------------------------------------
    async def create_app(self, tenant_id: str, app_id: str, name: str, limits: dict[str, Any] | None = None) -> App:
        async with self.session() as s:
            await self._tenant(s, tenant_id, writable=True)
            dup = await s.execute(sa.select(App.id).where(App.tenant_id == tenant_id,
                                                          sa.or_(App.id == app_id, App.name == name)))
            if dup.first() is not None:
                raise ConflictError(f"app {name!r} already exists in tenant {tenant_id}")
            return await self._insert(s, App(tenant_id=tenant_id, id=app_id, name=name, created_at=utcnow(),
                                             limits=limits or None),
                                      f"app {name!r} already exists in tenant {tenant_id}")

    async def list_apps(self, tenant_id: str, limit: int, offset: int) -> tuple[list[App], int]:
        async with self.session() as s:
            await self._tenant(s, tenant_id)
            stmt = sa.select(App).where(App.tenant_id == tenant_id)
            return await page(s, stmt, (App.created_at, App.id), limit, offset)

    async def get_app(self, tenant_id: str, app_id: str) -> App:
        async with self.session() as s:
            return await self._app(s, tenant_id, app_id)

    @staticmethod
    async def _app(s: AsyncSession, tenant_id: str, app_id: str) -> App:
        app = await s.get(App, (tenant_id, app_id))
        if app is None:
            raise NotFoundError(f"app {app_id} not found")
        return app

    async def update_app(self, tenant_id: str, app_id: str, changes: dict[str, Any]) -> App:
        async with self.session() as s:
            await self._tenant(s, tenant_id, writable=bool(changes))
            app = await self._app(s, tenant_id, app_id)
            if "name" in changes and changes["name"] != app.name:
                dup = await s.execute(sa.select(App.id).where(App.tenant_id == tenant_id, App.name == changes["name"]))
                if dup.first() is not None:
                    raise ConflictError(f"app {changes['name']!r} already exists in tenant {tenant_id}")
            for field, value in changes.items():
                setattr(app, field, value)
            await s.commit()
            return app

    @staticmethod
    async def _require_app(s: AsyncSession, tenant_id: str, app_id: str) -> None:
        if await s.get(App, (tenant_id, app_id)) is None:
            raise NotFoundError(f"app {app_id} not found in tenant {tenant_id}")

    # --- users ---------------------------------------------------------------------------------------------------
    async def create_user(self, user: User) -> User:
        async with self.session() as s:
            tenant = await self._tenant(s, user.tenant_id, writable=True)
            user.app_id = user.app_id or tenant.app_id
            await self._require_app(s, user.tenant_id, user.app_id)
            dup = await s.execute(sa.select(User.id).where(User.tenant_id == user.tenant_id, User.email == user.email))
            if dup.first() is not None:
                raise ConflictError("a user with this email already exists in the tenant")
            user.created_at = user.updated_at = utcnow()
            return await self._insert(s, user, "a user with this email already exists in the tenant")

    @staticmethod
    async def _scoped(s: AsyncSession, model, tenant_id: str, row_id: str, label: str):
        """A row of this tenant by id; another tenant's row reads as NOT_FOUND, like a missing one."""
        row = (await s.execute(sa.select(model).where(model.tenant_id == tenant_id, model.id == row_id))).scalar()
        if row is None:
            raise NotFoundError(f"{label} {row_id} not found")
        return row

    @classmethod
    async def _user(cls, s: AsyncSession, tenant_id: str, user_id: str) -> User:
        return await cls._scoped(s, User, tenant_id, user_id, "user")

    async def get_user(self, tenant_id: str, user_id: str) -> User:
        async with self.session() as s:
            return await self._user(s, tenant_id, user_id)

    async def list_users(self, tenant_id: str, limit: int, offset: int, *, status: str = "", role: str = "",
                         email: str = "") -> tuple[list[User], int]:
        async with self.session() as s:
            await self._tenant(s, tenant_id)
            stmt = sa.select(User).where(User.tenant_id == tenant_id)
            stmt = stmt.where(User.status == status) if status else stmt.where(User.status != "deleted")
            if email:
                stmt = stmt.where(User.email == email)
            rows, total = await page(s, stmt, (User.created_at, User.id), 100_000 if role else limit,
                                     0 if role else offset)
            if role:  # roles are a JSON list: filtered here, portably across Postgres and SQLite
                matching = [u for u in rows if role in (u.roles or []) or role in (u.groups or [])]
                return matching[offset:offset + limit], len(matching)
            return rows, total

    async def find_user_by_subject(self, tenant_id: str, subject: str) -> User | None:
        async with self.session() as s:
            return (await s.execute(sa.select(User).where(User.tenant_id == tenant_id, User.subject == subject)
                                    .order_by(User.created_at))).scalars().first()

    async def delete_user(self, tenant_id: str, user_id: str) -> User:
        """Soft delete (the row stays for the audit trail and to keep its email taken) and revoke its keys."""
        async with self.session() as s:
            user = await self._user(s, tenant_id, user_id)
            now = utcnow()
            if user.status != "deleted":
                user.status, user.updated_at = "deleted", now
            await s.execute(sa.update(ApiKey).where(ApiKey.tenant_id == tenant_id, ApiKey.user_id == user_id,
                                                    ApiKey.revoked_at.is_(None)).values(revoked_at=now))
            await s.commit()
            return user

    async def update_user(self, tenant_id: str, user_id: str, changes: dict[str, Any]) -> User:
        async with self.session() as s:
            user = await self._user(s, tenant_id, user_id)
            for field, value in changes.items():
                setattr(user, field, value)
            if changes:
                user.updated_at = utcnow()
            await s.commit()
            return user

    # --- API keys ------------------------------------------------------------------------------------------------
    async def create_key(self, key: ApiKey) -> ApiKey:
        async with self.session() as s:
            tenant = await self._tenant(s, key.tenant_id, writable=True)
            key.app_id = key.app_id or tenant.app_id
            await self._require_app(s, key.tenant_id, key.app_id)
            if key.user_id:
                await self._user(s, key.tenant_id, key.user_id)
            key.created_at = utcnow()
            return await self._insert(s, key, "API key already exists")

    async def list_keys(self, tenant_id: str, include_revoked: bool, limit: int, offset: int, *, user_id: str = "",
                        app_id: str = "") -> tuple[list[ApiKey], int]:
        async with self.session() as s:
            await self._tenant(s, tenant_id)
            stmt = sa.select(ApiKey).where(ApiKey.tenant_id == tenant_id)
            if not include_revoked:
                stmt = stmt.where(ApiKey.revoked_at.is_(None))
            if user_id:
                stmt = stmt.where(ApiKey.user_id == user_id)
            if app_id:
                stmt = stmt.where(ApiKey.app_id == app_id)
            return await page(s, stmt, (ApiKey.created_at, ApiKey.id), limit, offset)

    @classmethod
    async def _key(cls, s: AsyncSession, tenant_id: str, key_id: str) -> ApiKey:
        return await cls._scoped(s, ApiKey, tenant_id, key_id, "API key")

    async def get_key(self, tenant_id: str, key_id: str) -> ApiKey:
        async with self.session() as s:
            return await self._key(s, tenant_id, key_id)

    async def revoke_key(self, tenant_id: str, key_id: str) -> ApiKey:
        """Idempotent: revoking a revoked key keeps its first revocation time."""
        async with self.session() as s:
            key = await self._key(s, tenant_id, key_id)
            if key.revoked_at is None:
                key.revoked_at = utcnow()
                await s.commit()
            return key

    async def update_key(self, tenant_id: str, key_id: str, changes: dict[str, Any]) -> ApiKey:
        async with self.session() as s:
            key = await self._key(s, tenant_id, key_id)
            if changes and key.revoked_at is not None:
                raise UnprocessableError("API key has been revoked and cannot be changed")
            for field, value in changes.items():
                setattr(key, field, value)
            await s.commit()
            return key

    async def rotate_key(self, tenant_id: str, key_id: str, new_id: str, new_hash: str,
                         grace: timedelta = timedelta(0)) -> tuple[ApiKey, ApiKey]:
        """Insert the replacement (same scope) and retire the old key in one transaction: revoked now, or expiring at
        the end of the grace period (never later than it would have anyway)."""
        async with self.session() as s:
            old = (await s.execute(sa.select(ApiKey).where(ApiKey.tenant_id == tenant_id, ApiKey.id == key_id)
                                   .with_for_update())).scalar()
            if old is None:
                raise NotFoundError(f"API key {key_id} not found")
            if old.revoked_at is not None:
                raise UnprocessableError("API key has been revoked; create a new key instead")
            if old.expires_at is not None and as_utc(old.expires_at) <= utcnow():
                raise UnprocessableError("API key has expired; create a new key instead")
            if old.replaced_by:
                raise UnprocessableError(f"API key was already rotated; rotate its replacement {old.replaced_by}")
            await self._tenant(s, tenant_id, writable=True)
            now, original_expiry = utcnow(), old.expires_at
            old.replaced_by, old.rotated_at = new_id, now
            if grace > timedelta(0):
                end = now + grace
                old.expires_at = min(end, as_utc(old.expires_at)) if old.expires_at is not None else end
            else:
                old.revoked_at = now
            new = ApiKey(id=new_id, tenant_id=old.tenant_id, app_id=old.app_id, user_id=old.user_id, name=old.name,
                         roles=list(old.roles), tier=old.tier, key_hash=new_hash, created_at=now,
                         expires_at=original_expiry, permissions=list(old.permissions or []),
                         limits=old.limits, key_tier=old.key_tier)
            return old, await self._insert(s, new, "API key already exists")

    async def key_by_hash(self, key_hash: str) -> tuple[ApiKey, Tenant, User | None, dict | None] | None:
        """The key, its tenant, the user it is bound to (None for a key of no user) and its app's limits (one
        query)."""
        stmt = (sa.select(ApiKey, Tenant, User, App.limits)
                .join(Tenant, Tenant.id == ApiKey.tenant_id)
                .outerjoin(App, sa.and_(App.tenant_id == ApiKey.tenant_id, App.id == ApiKey.app_id))
                .outerjoin(User, sa.and_(User.tenant_id == ApiKey.tenant_id, User.id == ApiKey.user_id))
                .where(ApiKey.key_hash == key_hash))
        async with self.session() as s:
            row = (await s.execute(stmt)).first()
            return (row[0], row[1], row[2], row[3]) if row else None

    async def app_limits(self, tenant_id: str, app_id: str) -> dict | None:
        async with self.session() as s:
            return await s.scalar(sa.select(App.limits).where(App.tenant_id == tenant_id, App.id == app_id))

    async def touch_key(self, key_id: str, when: datetime) -> None:
        async with self.session() as s:
            await s.execute(sa.update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=when))
            await s.commit()
