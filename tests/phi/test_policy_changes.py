"""A PHI policy change reaches every phi replica and the router's fail-closed check at once: no cached "protection
off" outlives a change that switched it on (issue 11.1). Real Postgres/SQLite and Redis."""
import asyncio

import grpc
import pytest
import redis.asyncio as aioredis

from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.phi import protection
from services.phi.server import build
from services.phi.settings import Settings
from services.runtime.config import load_settings
from tests.grpc_helpers import internal_channel
from tests.eventually import eventually

PROMPT = ["Patient John Smith, SSN 123-45-6789."]


@pytest.fixture
async def two_replicas(db_url, redis_url):
    """Two phi replicas on one database and Redis, each with a long policy cache."""
    settings = load_settings(Settings, database_url=db_url, redis_url=redis_url, env="test",
                             phi_policy_cache_seconds=300)
    servers = [await build(settings, port=0) for _ in range(2)]
    channels = [internal_channel(s.address) for s in servers]
    stubs = [phi_pb2_grpc.PhiServiceStub(c) for c in channels]
    yield stubs
    for c in channels:
        await c.close()
    for s in servers:
        await s.stop(0)


@pytest.fixture
async def raw_redis(redis_url):
    client = aioredis.from_url(redis_url)
    yield client
    await client.aclose()


def _policy(tenant_id: str, mode: int) -> phi_pb2.PutPolicyRequest:
    return phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(tenant_id=tenant_id, mode=mode))


async def _sanitized(stub, tenant_id: str) -> bool:
    resp = await stub.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant_id, texts=PROMPT))
    return "John Smith" not in resp.texts[0]


async def test_switching_protection_on_reaches_a_replica_that_cached_it_off(two_replicas, raw_redis, tenant_id):
    a, b = two_replicas
    await a.PutPolicy(_policy(tenant_id, phi_pb2.PHI_MODE_DISABLED))
    assert not await _sanitized(a, tenant_id) and not await _sanitized(b, tenant_id)  # both cache "disabled"
    assert await protection.is_disabled(raw_redis, tenant_id)

    await b.PutPolicy(_policy(tenant_id, phi_pb2.PHI_MODE_AUTO))
    # The very next request on the other replica is protected: its cached "disabled" is no longer confirmed.
    assert await _sanitized(a, tenant_id)
    assert not await protection.is_disabled(raw_redis, tenant_id)

    # Manual counts as reduced too; deleting the policy returns to the (protecting) default everywhere.
    await a.PutPolicy(_policy(tenant_id, phi_pb2.PHI_MODE_MANUAL))
    assert not await _sanitized(b, tenant_id)
    await a.DeletePolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant_id))
    assert await _sanitized(b, tenant_id) and await _sanitized(a, tenant_id)


async def test_the_change_announcement_drops_every_replicas_cache_entry(two_replicas, tenant_id):
    a, b = two_replicas
    await a.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(
        tenant_id=tenant_id, mode=phi_pb2.PHI_MODE_AUTO, categories={"DIAGNOSIS": False})))
    assert (await b.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant_id))).categories["DIAGNOSIS"] is False
    await a.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(
        tenant_id=tenant_id, mode=phi_pb2.PHI_MODE_AUTO, categories={"DIAGNOSIS": True})))

    async def diagnosis_on_b():
        return (await b.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant_id))).categories["DIAGNOSIS"]
    assert await eventually(diagnosis_on_b, bool)


async def test_a_reduced_marker_is_set_only_at_the_revision_that_wrote_it(raw_redis, tenant_id):
    # A disable that committed, then lost the race to a later switch-on, must not leave a marker behind.
    rev_disable = await protection.begin_change(raw_redis, tenant_id)
    await protection.begin_change(raw_redis, tenant_id)  # a later change (protecting) took the next revision
    assert not await protection.mark_reduced(raw_redis, tenant_id, rev_disable, "disabled")
    assert not await protection.is_disabled(raw_redis, tenant_id)

    rev = await protection.begin_change(raw_redis, tenant_id)
    assert await protection.mark_reduced(raw_redis, tenant_id, rev, "disabled")
    assert await protection.is_disabled(raw_redis, tenant_id)
    await protection.begin_change(raw_redis, tenant_id)  # any new change drops it before committing
    assert await protection.reduced_mode(raw_redis, tenant_id) is None


async def test_concurrent_changes_leave_the_marker_matching_the_last_commit(two_replicas, raw_redis, tenant_id):
    a, b = two_replicas
    modes = [phi_pb2.PHI_MODE_DISABLED, phi_pb2.PHI_MODE_AUTO] * 10
    for i in range(0, len(modes), 2):
        await asyncio.gather(a.PutPolicy(_policy(tenant_id, modes[i])), b.PutPolicy(_policy(tenant_id, modes[i + 1])))
        final = (await a.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant_id))).mode
        if await protection.is_disabled(raw_redis, tenant_id):
            assert final == phi_pb2.PHI_MODE_DISABLED  # never "disabled" in Redis while the policy protects


async def test_a_policy_change_is_refused_when_redis_cannot_record_it(db_url, tenant_id):
    settings = load_settings(Settings, database_url=db_url, redis_url="redis://127.0.0.1:1/0", env="test")
    server = await build(settings, port=0)
    async with internal_channel(server.address) as channel:
        stub = phi_pb2_grpc.PhiServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.PutPolicy(_policy(tenant_id, phi_pb2.PHI_MODE_AUTO))
        assert err.value.code() == grpc.StatusCode.UNAVAILABLE and "nothing was changed" in err.value.details()
        assert (await stub.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant_id))).is_default
    await server.stop(0)
