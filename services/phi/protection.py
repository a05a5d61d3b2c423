"""Whether a tenant's PHI protection is switched off or reduced, as phi records it in Redis for every phi replica and
for the moments phi cannot answer.

When the phi service is unreachable the router must fail closed, except for a tenant whose policy really is
`disabled` (it asked for no protection, so it is still served). The router may not remember that from earlier answers:
a remembered "off" would outlive an admin switching protection on. Instead phi keeps, per tenant, a revision counter
and a "reduced to <mode> at revision r" marker in Redis (phi's keys; the router reads them only through this module).
A policy is *reduced* when its mode is `disabled` (no protection) or `manual` (protection only on request):

- every policy change bumps the revision and drops the marker in one atomic step BEFORE the database commit; if Redis
  refuses, the change is refused, so no marker can survive a change that switched protection on;
- after committing a reduced policy, the marker is set only if the revision is still the one this write took (a
  concurrent change in between wins);
- writers of one tenant are serialized by the policy row lock, so revision order equals commit order.

A tenant counts as reduced only when the marker was set at the current revision. Anything else (no marker, an older
marker, Redis unreachable) means fully protected, i.e. fail closed. phi's own policy cache trusts a cached reduced
policy only while this marker confirms it."""
from __future__ import annotations

import redis.asyncio as aioredis

CHANGES_CHANNEL = "radiant:phi:policy-changes"
_KEY = "radiant:phi:protection:{tenant}"

REDUCED_MODES = ("disabled", "manual")

# KEYS[1] = the tenant's hash; ARGV = the revision the write took, the mode. Sets the marker only if nothing bumped
# the revision since.
_MARK_REDUCED = """
if redis.call('HGET', KEYS[1], 'rev') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'reduced', ARGV[1] .. ':' .. ARGV[2])
  return 1
end
return 0
"""


def _key(tenant_id: str) -> str:
    return _KEY.format(tenant=tenant_id)


async def begin_change(redis: aioredis.Redis, tenant_id: str) -> int:
    """Before committing any policy change of the tenant: drop the marker, take a new revision."""
    key = _key(tenant_id)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.hincrby(key, "rev", 1)
        pipe.hdel(key, "reduced")
        rev, _ = await pipe.execute()
    return int(rev)


async def mark_reduced(redis: aioredis.Redis, tenant_id: str, rev: int, mode: str) -> bool:
    """After committing a `disabled` or `manual` policy at revision `rev`."""
    assert mode in REDUCED_MODES
    return bool(await redis.eval(_MARK_REDUCED, 1, _key(tenant_id), str(rev), mode))


async def reduced_mode(redis: aioredis.Redis, tenant_id: str) -> str | None:
    """`disabled` or `manual` when that is the tenant's committed policy, else None (fully protected). Raises on Redis
    errors: callers fail closed."""
    rev, reduced = await redis.hmget(_key(tenant_id), "rev", "reduced")
    if rev is None or reduced is None:
        return None
    marked_rev, _, mode = reduced.decode().partition(":")
    return mode if marked_rev == rev.decode() and mode in REDUCED_MODES else None


async def is_disabled(redis: aioredis.Redis, tenant_id: str) -> bool:
    """True only when the tenant's committed policy is `disabled`; raises on Redis errors (callers fail closed)."""
    return await reduced_mode(redis, tenant_id) == "disabled"
