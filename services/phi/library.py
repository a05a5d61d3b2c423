"""phi's Sanitize as a library in another process (the router, RADIANT_PHI_MODE=library): the same detector and
request rules as the RPC (services.phi.request_sanitizer), the tenant's policy from phi's GetPolicy kept under phi's
cache rules (services.phi.policy_cache: dropped on every announced change, reduced policies only while phi's marker
confirms them), and each mapping handed to phi's vault in batches (services.phi.mapping_handoff).

Fail closed: a policy phi cannot deliver raises ServiceUnavailableError exactly as an unreachable Sanitize would, so
the caller's fallback (serve only a tenant phi recorded as `disabled`) is unchanged."""
from __future__ import annotations

from typing import Awaitable, Callable

import redis.asyncio as aioredis

from radiant.phi.v1 import phi_pb2
from services.phi.mapping_handoff import MappingHandoff, Store
from services.phi.mappings import new_mapping_id
from services.phi.policy import Policy, policy_from_proto
from services.phi.policy_cache import PolicyCache
from services.phi.request_sanitizer import RequestSanitizer

GetPolicy = Callable[[str], Awaitable[phi_pb2.PhiPolicy]]


class PhiLibrary:
    def __init__(self, get_policy: GetPolicy, store_mappings: Store, redis: aioredis.Redis, *,
                 policy_cache_seconds: float = 5.0, max_chars: int = 2_000_000,
                 mapping_linger_seconds: float = 0.05) -> None:
        self.get_policy = get_policy
        self.requests = RequestSanitizer(max_chars=max_chars)
        self.policies = PolicyCache(self._load, policy_cache_seconds, redis)
        self.mappings = MappingHandoff(store_mappings, linger_seconds=mapping_linger_seconds)

    async def _load(self, tenant_id: str) -> Policy:
        return policy_from_proto(await self.get_policy(tenant_id))

    async def sanitize(self, request: phi_pb2.SanitizeRequest) -> phi_pb2.SanitizeResponse:
        tenant = request.tenant_id
        self.requests.check(request)
        policy = await self.policies.get(tenant)
        response, mapping = self.requests.sanitize(tenant, request, policy)
        if mapping:
            response.mapping_id = new_mapping_id()
            self.mappings.put(tenant, response.mapping_id, mapping, policy.mapping_ttl_hours * 3600)
        return response

    async def follow(self, redis: aioredis.Redis) -> None:
        """Runs for the life of the process (policy change announcements)."""
        await self.policies.follower.run(redis)

    async def close(self) -> None:
        await self.mappings.close()
