"""Tenant PHI policies in the database, with a short in-process cache (the policy is read on every request)."""
from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.phi.models import PhiPolicyRow
from services.phi.policy import Policy, default_policy
from services.runtime.timeutil import as_utc, utcnow

_CACHE_MAX = 10_000


class PolicyStore:
    def __init__(self, sessions: async_sessionmaker, cache_seconds: float) -> None:
        self.sessions = sessions
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, Policy]] = {}

    async def get(self, tenant_id: str) -> Policy:
        hit = self._cache.get(tenant_id)
        now = time.monotonic()
        if hit and hit[0] > now:
            return hit[1]
        async with self.sessions() as s:
            row = await s.get(PhiPolicyRow, tenant_id)
        policy = _from_row(row) if row else default_policy(tenant_id)
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        self._cache[tenant_id] = (now + self.cache_seconds, policy)
        return policy

    async def put(self, policy: Policy) -> Policy:
        values = dict(mode=policy.mode, categories=policy.categories, reid_allowed=policy.reid_allowed,
                      reid_requires_approval=policy.reid_requires_approval,
                      mapping_ttl_hours=policy.mapping_ttl_hours, secrets_action=policy.secrets_action,
                      injection_action=policy.injection_action, pii_action=policy.pii_action, updated_at=utcnow())
        async with self.sessions.begin() as s:
            row = await s.get(PhiPolicyRow, policy.tenant_id, with_for_update=True)
            if row is None:
                row = PhiPolicyRow(tenant_id=policy.tenant_id, **values)
                s.add(row)
            else:
                for k, v in values.items():
                    setattr(row, k, v)
        self._cache.pop(policy.tenant_id, None)
        return _from_row(row)

    async def delete(self, tenant_id: str) -> Policy:
        async with self.sessions.begin() as s:
            await s.execute(sa.delete(PhiPolicyRow).where(PhiPolicyRow.tenant_id == tenant_id))
        self._cache.pop(tenant_id, None)
        return default_policy(tenant_id)


def _from_row(row: PhiPolicyRow) -> Policy:
    return Policy(tenant_id=row.tenant_id, mode=row.mode, categories=dict(row.categories or {}),
                  reid_allowed=row.reid_allowed, reid_requires_approval=row.reid_requires_approval,
                  mapping_ttl_hours=row.mapping_ttl_hours, secrets_action=row.secrets_action,
                  injection_action=row.injection_action, pii_action=row.pii_action, is_default=False,
                  updated_at=as_utc(row.updated_at))
