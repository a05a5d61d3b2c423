"""Safety services down: the router fails closed (PHI) and /readyz reports the failing dependency."""
import grpc
import httpx
import pytest

from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from tests.grpc_helpers import internal_channel
from tests.harness import InProcessStack


@pytest.fixture
async def stack(pg_url, redis_url):
    s = await InProcessStack(pg_url, redis_url).start()
    yield s
    await s.stop()


async def test_phi_down_means_503_and_nothing_sent(stack, tenant_id):
    key = await stack.new_tenant_key(tenant_id)
    body = {"model": "radiant-demo", "messages": [{"role": "user", "content": "John Smith SSN 123-45-6789"}]}
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as http:
        assert (await http.post("/v1/chat/completions", json=body, headers={"X-API-Key": key})).status_code == 200
        await http.delete(stack.demo_app_requests_url)
        await stack.stop_service("phi")
        r = await http.post("/v1/chat/completions", json=body, headers={"X-API-Key": key})
        assert r.status_code == 503 and "PHI" in r.json()["error"]["message"]
        assert (await http.get(stack.demo_app_requests_url)).json() == []
        ready = await http.get("/readyz")
        assert ready.status_code == 503 and ready.json()["failing"] == ["phi"]


async def test_tenant_with_phi_disabled_is_served_while_phi_is_down(stack, tenant_id):
    key = await stack.new_tenant_key(tenant_id)
    async with internal_channel(stack.services["phi"].address) as ch:
        await phi_pb2_grpc.PhiServiceStub(ch).PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(
            tenant_id=tenant_id, mode=phi_pb2.PHI_MODE_DISABLED)))
    body = {"model": "radiant-demo", "messages": [{"role": "user", "content": "hello"}]}
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as http:
        assert (await http.post("/v1/chat/completions", json=body, headers={"X-API-Key": key})).status_code == 200
        await stack.stop_service("phi")
        r = await http.post("/v1/chat/completions", json=body, headers={"X-API-Key": key})
        assert r.status_code == 200 and "hello" in r.json()["choices"][0]["message"]["content"]


async def test_auth_down_is_503_not_401(stack, tenant_id):
    key = await stack.new_tenant_key(tenant_id)
    await stack.stop_service("auth")
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as http:
        r = await http.post("/v1/chat/completions", headers={"X-API-Key": key},
                            json={"model": "radiant-demo", "messages": [{"role": "user", "content": "x"}]})
    assert r.status_code == 503
