"""RADIANT_PHI_MODE=library: phi's detector runs in the router, the tenant's policy comes from phi under phi's cache
rules and the mappings reach phi's vault in batches. What a user sees must not change: the provider gets
placeholders, the answer gets the originals, a stored mapping re-identifies, a policy change applies from the next
request, and nothing unsanitized leaves when phi cannot say what the tenant's policy is."""
import uuid

import grpc
import httpx
import pytest

from radiant.common.v1 import common_pb2
from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.phi.server import build as build_phi
from services.phi.settings import Settings as PhiSettings
from services.runtime.config import load_settings
from tests.eventually import eventually
from tests.grpc_helpers import internal_channel
from tests.harness import InProcessStack

PROMPT = "Patient John Smith, SSN 123-45-6789, phone (617) 555-0134, asks about his lisinopril dose."
ORIGINALS = ["John Smith", "123-45-6789", "(617) 555-0134"]


@pytest.fixture
async def stack(pg_url, redis_url):
    s = await InProcessStack(pg_url, redis_url, router_overrides={"phi_mode": "library"}).start()
    yield s
    await s.stop()


def _chat(content: str = PROMPT) -> dict:
    return {"model": "radiant-demo", "messages": [{"role": "user", "content": content}]}


async def _provider_saw(stack) -> str:
    async with httpx.AsyncClient() as c:
        return str((await c.get(stack.demo_app_requests_url)).json())


async def _forget_provider_requests(stack) -> None:
    async with httpx.AsyncClient() as c:
        await c.delete(stack.demo_app_requests_url)


async def _reidentify(stack, tenant_id: str, mapping_id: str, text: str) -> str | None:
    """The text re-identified by phi, or None while phi has no such mapping (yet) or is not reachable again yet (a
    restarted phi: the process's shared connection to that address may still be backing off)."""
    async with internal_channel(stack.services["phi"].address,
                                principal=common_pb2.Principal(tenant_id=tenant_id, roles=["admin"])) as ch:
        try:
            resp = await phi_pb2_grpc.PhiServiceStub(ch).Reidentify(phi_pb2.ReidentifyRequest(
                tenant_id=tenant_id, mapping_id=mapping_id, texts=[text], for_response=True))
        except grpc.aio.AioRpcError as exc:
            if exc.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.UNAVAILABLE):
                return None
            raise
    return resp.texts[0]


async def _put_policy(stack, policy: phi_pb2.PhiPolicy) -> None:
    async with internal_channel(stack.services["phi"].address) as ch:
        await phi_pb2_grpc.PhiServiceStub(ch).PutPolicy(phi_pb2.PutPolicyRequest(policy=policy))


async def _start_phi(stack, port: int) -> None:
    stack.services["phi"] = await build_phi(load_settings(PhiSettings, database_url=stack.db_url,
                                                          redis_url=stack.redis_url, env="test"), port=port)


async def test_provider_sees_placeholders_caller_gets_originals_and_the_mapping_is_stored(stack, tenant_id):
    key = await stack.new_tenant_key(tenant_id)
    await _forget_provider_requests(stack)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as http:
        r = await http.post("/api/v2/chat/completions", json=_chat(), headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    sent = await _provider_saw(stack)
    assert "[PHI_NAME_1]" in sent and "lisinopril" in sent
    assert not any(value in sent for value in ORIGINALS)
    data = r.json()["data"]
    answer = data["choices"][0]["message"]["content"]
    assert all(value in answer for value in ORIGINALS)
    # phi holds the mapping the router made: the placeholders re-identify through phi's own API.
    restored = await eventually(lambda: _reidentify(stack, tenant_id, data["phi_mapping_id"], "[PHI_SSN_1]"),
                                lambda text: text == "123-45-6789")
    assert restored == "123-45-6789"


async def test_a_policy_change_applies_from_the_next_request(stack, tenant_id):
    key = await stack.new_tenant_key(tenant_id)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as http:
        await _put_policy(stack, phi_pb2.PhiPolicy(tenant_id=tenant_id, mode=phi_pb2.PHI_MODE_DISABLED))
        await _forget_provider_requests(stack)
        assert (await http.post("/v1/chat/completions", json=_chat(), headers={"X-API-Key": key})).status_code == 200
        assert "John Smith" in await _provider_saw(stack)  # protection off, as the tenant asked

        await _put_policy(stack, phi_pb2.PhiPolicy(tenant_id=tenant_id, mode=phi_pb2.PHI_MODE_AUTO))
        await _forget_provider_requests(stack)
        assert (await http.post("/v1/chat/completions", json=_chat(), headers={"X-API-Key": key})).status_code == 200
        assert "John Smith" not in await _provider_saw(stack)  # the cached "off" did not outlive the change

        await _put_policy(stack, phi_pb2.PhiPolicy(tenant_id=tenant_id, mode=phi_pb2.PHI_MODE_AUTO,
                                                   pii_action=phi_pb2.PII_ACTION_BLOCK))
        r = await http.post("/v1/chat/completions", json=_chat(), headers={"X-API-Key": key})
        assert r.status_code == 400 and "PHI" in r.json()["error"]["message"]


async def test_phi_down_before_the_policy_is_known_means_503_and_nothing_sent(stack, tenant_id):
    key = await stack.new_tenant_key(tenant_id)
    await _forget_provider_requests(stack)
    await stack.stop_service("phi")
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as http:
        r = await http.post("/v1/chat/completions", json=_chat(), headers={"X-API-Key": key})
    assert r.status_code == 503 and "PHI" in r.json()["error"]["message"]
    assert await _provider_saw(stack) == "[]"


async def test_a_tenant_with_phi_disabled_is_served_while_phi_is_down(stack, tenant_id):
    key = await stack.new_tenant_key(f"{tenant_id}-off")
    await _put_policy(stack, phi_pb2.PhiPolicy(tenant_id=f"{tenant_id}-off", mode=phi_pb2.PHI_MODE_DISABLED))
    await stack.stop_service("phi")
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as http:
        r = await http.post("/v1/chat/completions", json=_chat("hello"), headers={"X-API-Key": key})
    assert r.status_code == 200 and "hello" in r.json()["choices"][0]["message"]["content"]


async def test_mappings_made_while_phi_restarts_reach_it_once_it_is_back(stack, tenant_id):
    key = await stack.new_tenant_key(tenant_id)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as http:
        assert (await http.post("/v1/chat/completions", json=_chat(), headers={"X-API-Key": key})).status_code == 200
        port = int(stack.services["phi"].address.rsplit(":", 1)[1])
        await stack.stop_service("phi")
        # The policy is known (phi's rules keep it while nothing announces a change): the prompt is still sanitized.
        await _forget_provider_requests(stack)
        r = await http.post("/api/v2/chat/completions", json=_chat(), headers={"X-API-Key": key})
        assert r.status_code == 200, r.text
        assert "John Smith" not in await _provider_saw(stack)
        mapping_id = r.json()["data"]["phi_mapping_id"]
        await _start_phi(stack, port)
    restored = await eventually(lambda: _reidentify(stack, tenant_id, mapping_id, "[PHI_NAME_1]"),
                                lambda text: text == "John Smith", timeout=20)
    assert restored == "John Smith"


async def test_store_mappings_is_the_routers_own_call_and_no_one_elses(stack, tenant_id):
    mapping = phi_pb2.StoredMapping(tenant_id=tenant_id, mapping_id=uuid.uuid4().hex,
                                    mapping={"[PHI_NAME_1]": "Ada Lovelace"}, ttl_seconds=60)
    request = phi_pb2.StoreMappingsRequest(mappings=[mapping])
    async with internal_channel(stack.services["phi"].address, principal=None) as ch:
        stub = phi_pb2_grpc.PhiServiceStub(ch)
        assert (await stub.StoreMappings(request)).stored == 1
        # A mapping, once stored, is never replaced (a retried batch, or a caller that learnt its id).
        forged = phi_pb2.StoredMapping(tenant_id=tenant_id, mapping_id=mapping.mapping_id,
                                       mapping={"[PHI_NAME_1]": "Somebody Else"}, ttl_seconds=60)
        assert (await stub.StoreMappings(phi_pb2.StoreMappingsRequest(mappings=[forged]))).stored == 0
    async with internal_channel(stack.services["phi"].address, identity="operator", principal=None) as ch:
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await phi_pb2_grpc.PhiServiceStub(ch).StoreMappings(request)
    assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await _reidentify(stack, tenant_id, mapping.mapping_id, "[PHI_NAME_1]") == "Ada Lovelace"
