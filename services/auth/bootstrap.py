"""Bootstrap: make sure a tenant and an API key with a known plaintext exist (called by `radiant up`). The key is the
installation owner's: super_admin (the whole platform, the model catalogue included) with every permission."""
from __future__ import annotations

import asyncio
import logging
import uuid

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from services.auth import keys
from services.auth.models import ApiKey, App, Tenant
from services.auth.permissions import PERMISSIONS, SUPER_ADMIN
from services.auth.server import MIGRATIONS, VERSION_TABLE
from services.auth.validation import ID_RE
from services.runtime.db import create_engine, migrate, sessionmaker
from services.runtime.timeutil import as_utc, utcnow

log = logging.getLogger("radiant.auth")


class BootstrapError(RuntimeError):
    """The bootstrap key cannot be made valid without weakening revocation (e.g. it was revoked)."""


async def ensure_bootstrap_key(database_url: str, pepper: str, api_key: str, tenant_id: str = "default") -> None:
    """Run auth migrations; ensure tenant `tenant_id` (active, tier 1) and a super-admin API key with exactly this plaintext.
    Idempotent. A revoked or expired key with this value is never revived: BootstrapError says so instead."""
    if not pepper:
        raise BootstrapError("the API-key pepper is empty (set RADIANT_API_KEY_PEPPER)")
    if not keys.well_formed(api_key):
        raise BootstrapError("the bootstrap API key must be 1-512 printable ASCII characters without spaces")
    if not ID_RE.fullmatch(tenant_id):
        raise BootstrapError(f"bootstrap tenant id {tenant_id!r} must match [a-z0-9][a-z0-9-]{{0,63}}")
    await asyncio.to_thread(migrate, database_url, MIGRATIONS, VERSION_TABLE)
    engine = create_engine(database_url)
    try:
        digest = keys.key_hash(pepper.encode(), api_key)
        for attempt in range(3):  # another process may bootstrap concurrently: re-check after a conflict
            try:
                await _ensure(sessionmaker(engine), digest, api_key, tenant_id)
                return
            except IntegrityError:
                if attempt == 2:
                    raise
    finally:
        await engine.dispose()


async def _ensure(make_session, digest: str, api_key: str, tenant_id: str) -> None:
    async with make_session() as s:
        tenant = await s.get(Tenant, tenant_id)
        if tenant is None:
            now = utcnow()
            s.add(Tenant(id=tenant_id, app_id="default", name=tenant_id, domain="", status="active", tier=1,
                         settings={}, created_at=now, updated_at=now))
            await s.flush()
            s.add(App(tenant_id=tenant_id, id="default", name="default", created_at=now))
            await s.commit()
            log.info("bootstrap tenant created", extra={"tenant": tenant_id})
        elif tenant.status == "deleted":
            raise BootstrapError(f"bootstrap tenant {tenant_id} has been deleted")

        key = (await s.execute(sa.select(ApiKey).where(ApiKey.key_hash == digest))).scalar()
        if key is not None:
            if key.tenant_id != tenant_id:
                raise BootstrapError(f"the bootstrap API key is registered to another tenant ({key.tenant_id})")
            if key.revoked_at is not None:
                raise BootstrapError(f"the bootstrap API key (id {key.id}) has been revoked and will not be "
                                     f"re-enabled; configure a new bootstrap key")
            if key.expires_at is not None and as_utc(key.expires_at) <= utcnow():
                raise BootstrapError(f"the bootstrap API key (id {key.id}) has expired; configure a new bootstrap key")
            return
        key_id = keys.embedded_id(api_key)
        if key_id is None or await s.get(ApiKey, key_id) is not None:
            key_id = f"boot-{uuid.uuid4().hex[:12]}"
        s.add(ApiKey(id=key_id, tenant_id=tenant_id, app_id=(tenant.app_id if tenant else "default"),
                     user_id="", name="bootstrap", roles=[SUPER_ADMIN], tier=None, key_hash=digest, created_at=utcnow(),
                     permissions=list(PERMISSIONS)))
        await s.commit()
        log.info("bootstrap API key registered", extra={"tenant": tenant_id, "key_id": key_id})
