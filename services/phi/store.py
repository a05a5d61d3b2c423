"""Tenant PHI policies in the database, with a short in-process cache (the policy is read on every request; the
cache's rules are services.phi.policy_cache). Every change is announced on a Redis channel after its commit."""
from __future__ import annotations

import asyncio
import logging

import redis.asyncio as aioredis
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.phi import protection
from services.phi.models import PhiPolicyRow
from services.phi.policy import Policy, default_policy
from services.phi.policy_cache import PolicyCache
from services.runtime.db import dialect_insert, sessionmaker
from services.runtime.errors import ServiceUnavailableError
from services.runtime.timeutil import as_utc, utcnow

log = logging.getLogger("radiant.phi")


class PolicyStore:
    def __init__(self, engine: AsyncEngine, cache_seconds: float, redis: aioredis.Redis) -> None:
        self.sessions = sessionmaker(engine)
        self.redis = redis
        self._insert = dialect_insert(engine)
        self.cache = PolicyCache(self._load, cache_seconds, redis)
        self.follower = self.cache.follower
        self._write_lock = asyncio.Lock()  # serializes this replica's writers (SQLite has no row locks)

    async def get(self, tenant_id: str) -> Policy:
        return await self.cache.get(tenant_id)

    async def _load(self, tenant_id: str) -> Policy:
        async with self.sessions() as s:
            row = await s.get(PhiPolicyRow, tenant_id)
        return _from_row(row) if row else default_policy(tenant_id)

    async def put(self, policy: Policy) -> Policy:
        values = dict(mode=policy.mode, categories=policy.categories, reid_allowed=policy.reid_allowed,
                      reid_requires_approval=policy.reid_requires_approval,
                      mapping_ttl_hours=policy.mapping_ttl_hours, secrets_action=policy.secrets_action,
                      injection_action=policy.injection_action, pii_action=policy.pii_action, updated_at=utcnow())

        async def write(s) -> Policy:
            # Create-if-absent first, so concurrent first writes of a tenant both find a row to lock.
            await s.execute(self._insert(PhiPolicyRow).values(tenant_id=policy.tenant_id, **values)
                            .on_conflict_do_nothing(index_elements=["tenant_id"]))
            row = await s.get(PhiPolicyRow, policy.tenant_id, with_for_update=True, populate_existing=True)
            for k, v in values.items():
                setattr(row, k, v)
            return _from_row(row)
        return await self._change(policy.tenant_id, write)

    async def delete(self, tenant_id: str) -> Policy:
        async def remove(s) -> Policy:
            await s.execute(sa.select(PhiPolicyRow).where(PhiPolicyRow.tenant_id == tenant_id).with_for_update())
            await s.execute(sa.delete(PhiPolicyRow).where(PhiPolicyRow.tenant_id == tenant_id))
            return default_policy(tenant_id)
        return await self._change(tenant_id, remove)

    async def _change(self, tenant_id: str, apply) -> Policy:
        """One policy change: row lock, new revision (marker dropped) before the commit, marker after a reduced
        policy is committed, then every replica's cache entry dropped. Refused (503) when Redis cannot record it."""
        async with self._write_lock, self.sessions.begin() as s:
            result = await apply(s)  # takes the row lock first: revisions follow commit order
            try:
                rev = await protection.begin_change(self.redis, tenant_id)
            except aioredis.RedisError:
                raise ServiceUnavailableError("The PHI policy cannot be changed right now (its store is unreachable); "
                                              "nothing was changed, retry shortly") from None
        self.cache.drop(tenant_id)
        try:
            if result.mode in protection.REDUCED_MODES:
                await protection.mark_reduced(self.redis, tenant_id, rev, result.mode)
            await self.redis.publish(protection.CHANGES_CHANNEL, tenant_id.encode())
        except aioredis.RedisError as exc:
            # Safe side: without the marker the tenant counts as fully protected while phi is unreachable, and
            # replicas that missed the message stop caching until they are subscribed again.
            log.warning("policy change committed but not announced", extra={"error_type": type(exc).__name__})
        return result


def _from_row(row: PhiPolicyRow) -> Policy:
    return Policy(tenant_id=row.tenant_id, mode=row.mode, categories=dict(row.categories or {}),
                  reid_allowed=row.reid_allowed, reid_requires_approval=row.reid_requires_approval,
                  mapping_ttl_hours=row.mapping_ttl_hours, secrets_action=row.secrets_action,
                  injection_action=row.injection_action, pii_action=row.pii_action, is_default=False,
                  updated_at=as_utc(row.updated_at))
