"""phi's rules for keeping tenant policies in memory, wherever phi's code runs (phi itself over its database, the
router's in-process detection over phi's GetPolicy): entries live at most `cache_seconds`, are dropped at once when a
change is announced on phi's channel, nothing is cached while this process is not subscribed, and a cached `disabled`
or `manual` policy is used only while phi's Redis marker confirms it (services.phi.protection). So no cached
protection-off outlives a change, on any replica."""
from __future__ import annotations

import time
from typing import Awaitable, Callable

import redis.asyncio as aioredis

from services.phi import protection
from services.phi.policy import Policy
from services.runtime.invalidation import Follower
from services.runtime.single_flight import SingleFlight

_CACHE_MAX = 10_000


class PolicyCache:
    def __init__(self, load: Callable[[str], Awaitable[Policy]], cache_seconds: float, redis: aioredis.Redis) -> None:
        self.load = load
        self.cache_seconds = cache_seconds
        self.redis = redis
        self._cache: dict[str, tuple[float, Policy]] = {}
        self._loading: SingleFlight[Policy] = SingleFlight()  # a burst of misses loads the policy once
        # Bumped by every change heard (and every lost subscription): a load that began before one is not cached.
        self._epoch = 0
        self.follower = Follower(protection.CHANGES_CHANNEL, self._changed, self._lost, "phi policy")

    def _changed(self, data: bytes) -> None:
        self.drop(data.decode())

    def _lost(self) -> None:
        self._epoch += 1
        self._cache.clear()

    def drop(self, tenant_id: str) -> None:
        self._epoch += 1
        self._cache.pop(tenant_id, None)
        self._loading.forget(tenant_id)

    async def get(self, tenant_id: str) -> Policy:
        hit = self._cache.get(tenant_id) if self.follower.subscribed else None
        now = time.monotonic()
        if hit and hit[0] > now and await self._still_valid(hit[1]):
            return hit[1]
        epoch = self._epoch
        policy = await self._loading.run(tenant_id, lambda: self.load(tenant_id))
        if self.follower.subscribed and self.cache_seconds > 0 and epoch == self._epoch:
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            self._cache[tenant_id] = (now + self.cache_seconds, policy)
        return policy

    async def _still_valid(self, policy: Policy) -> bool:
        if policy.mode not in protection.REDUCED_MODES:
            return True  # a stale fully-protecting policy only protects more
        try:
            return await protection.reduced_mode(self.redis, policy.tenant_id) == policy.mode
        except aioredis.RedisError:
            return False  # load it again instead
