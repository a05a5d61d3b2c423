"""phi's library wired to this router's phi channel (RADIANT_PHI_MODE=library): policies read with the request's
principal (GetPolicy), mappings handed over on the router's own account (StoreMappings, in batches gathered for
RADIANT_RECORD_LINGER_SECONDS, as the usage and request-log records are; a session read that needs them sends the
batch at once)."""
from __future__ import annotations

import redis.asyncio as aioredis

from radiant.phi.v1 import phi_pb2
from services.phi.library import PhiLibrary
from services.router.pipeline.upstreams import Upstreams
from services.router.settings import Settings
from services.runtime.grpc_client import call


def phi_library(settings: Settings, upstreams: Upstreams, redis: aioredis.Redis) -> PhiLibrary:
    timeout = settings.phi_timeout_ms / 1000

    async def get_policy(tenant_id: str) -> phi_pb2.PhiPolicy:
        return await call(upstreams.phi.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant_id), timeout=timeout),
                          "phi")

    async def store_mappings(request: phi_pb2.StoreMappingsRequest) -> phi_pb2.StoreMappingsResponse:
        return await call(upstreams.phi.StoreMappings(request, timeout=max(timeout, 5.0)), "phi")

    return PhiLibrary(get_policy, store_mappings, redis, policy_cache_seconds=settings.phi_policy_cache_seconds,
                      mapping_linger_seconds=settings.record_linger_seconds)
