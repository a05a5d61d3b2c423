"""Providers and models managed over REST: a self-hosted OpenAI-compatible model created by a super admin is callable
through /v1/chat/completions (official openai SDK) at once; its thermal state is changed by an operator (the router
follows within its registry cache time) and not by an auditor; the seed's update validation; delete deprecates what
is in use; every change is in the audit log with before / after."""
from __future__ import annotations

import uuid

import grpc
import openai
import pytest

from radiant.metering.v1 import metering_pb2, metering_pb2_grpc
from tests.grpc_helpers import internal_channel
from tests.eventually import eventually
from tests.fakes.openai_server import FakeOpenAIServer
from tests.harness import InProcessStack
from tests.router.admin.conftest import World, new_tenant, person

CACHE_SECONDS = 2.0


@pytest.fixture(scope="module")
async def stack(own_pg_url, redis_url):
    """The router caches the catalogue as in production (a couple of seconds), so changes take that long."""
    s = await InProcessStack(own_pg_url, redis_url, router_overrides={"registry_cache_seconds": CACHE_SECONDS}).start()
    yield s
    await s.stop()


@pytest.fixture(scope="module")
async def fake():
    async with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
async def client(stack):
    import httpx
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as c:
        yield c


async def _create_model(client, sa, fake, suffix: str = "") -> tuple[dict, dict]:
    name = f"local-llama-{uuid.uuid4().hex[:6]}{suffix}"
    r = await client.post("/api/v2/admin/providers", headers=sa, json={
        "name": f"vllm-{uuid.uuid4().hex[:6]}", "type": "self-hosted", "api_format": "openai",
        "base_url": fake.url("selfhosted"), "hipaa_compliant": True, "capabilities": ["chat", "streaming"]})
    assert r.status_code == 201, r.text
    provider = r.json()["data"]["provider"]
    assert provider["auth_type"] == "none" and provider["status"] == "active" and provider["type"] == "self-hosted"
    r = await client.post("/api/v2/admin/models", headers=sa, json={
        "provider_id": provider["id"], "name": name, "display_name": "Local Llama", "upstream_model": "llama-3.1-8b",
        "context_window": 8192, "max_output_tokens": 512, "supports_streaming": True, "thermal_state": "WARM",
        "pricing": {"input_per_million": "0.10", "output_per_million": "0.20"}})
    assert r.status_code == 201, r.text
    return provider, r.json()["data"]["model"]


async def test_a_model_created_over_rest_is_served_and_operated(stack, world: World, fake, client):
    sa, operator, auditor = (world.who[r].headers for r in ("super_admin", "operator", "auditor"))
    sdk = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=world.who["plain"].key, max_retries=0)
    provider, model = await _create_model(client, sa, fake)
    assert model["type"] == "self-hosted" and model["thermal_state"] == "WARM" and model["status"] == "active"

    answer = await sdk.chat.completions.create(model=model["name"],
                                               messages=[{"role": "user", "content": "ping from the ward"}])
    assert answer.model == model["name"] and "ping from the ward" in answer.choices[0].message.content
    assert fake.seen("selfhosted")[-1].body["model"] == "llama-3.1-8b"

    # An auditor reads but never operates; an operator switches the model off and the router follows.
    r = await client.patch(f"/api/v2/models/{model['id']}", headers=auditor, json={"thermal_state": "OFF"})
    assert r.status_code == 403
    r = await client.patch(f"/api/v2/models/{model['id']}", headers=operator, json={"thermal_state": "OFF"})
    assert r.status_code == 200 and r.json()["data"]["model"]["thermalState"] == "OFF"

    async def chat_status():
        try:
            await sdk.chat.completions.create(model=model["name"], messages=[{"role": "user", "content": "hi"}])
            return 200
        except openai.APIStatusError as exc:
            return exc.status_code

    assert await eventually(chat_status, lambda s: s == 503, timeout=CACHE_SECONDS + 10) == 503
    # Operators change operational fields only.
    r = await client.patch(f"/api/v2/models/{model['id']}", headers=operator, json={"display_name": "Mine"})
    assert r.status_code == 403 and "super_admin" in r.json()["error"]["message"]
    r = await client.patch(f"/api/v2/admin/providers/{provider['id']}", headers=operator,
                           json={"base_url": "http://127.0.0.1:1/v1"})
    assert r.status_code == 403
    r = await client.put(f"/api/v2/models/{model['id']}", headers=operator, json={"thermal_state": "HOT"})
    assert r.status_code == 200
    assert await eventually(chat_status, lambda s: s == 200, timeout=CACHE_SECONDS + 10) == 200

    # The audit trail: who, with which role, and the model before and after.
    r = await client.get("/api/v2/admin/audit-logs", headers=auditor,
                         params={"resource_id": model["id"], "action": "model.update"})
    entries = r.json()["data"]["entries"]
    assert [(e["before"]["thermal_state"], e["after"]["thermal_state"]) for e in entries] == [("OFF", "HOT"),
                                                                                             ("WARM", "OFF")]
    assert {e["admin_id"] for e in entries} == {world.who["operator"].user_id}
    assert {e["actor_role"] for e in entries} == {"operator"} and entries[0]["request_id"]
    assert entries[0]["actor_key_id"] == world.who["operator"].key_id and entries[0]["user_agent"]
    assert {e["ip_address"] for e in entries} == {"127.0.0.1"}  # the caller's address (the test's loopback client)
    # Catalogue edits are recorded under the editor's tenant (the seed's rule), here the platform's.
    created = (await client.get("/api/v2/admin/audit-logs", headers=sa, params={
        "resource_id": model["id"], "action": "model.create", "tenant_id": world.platform})).json()["data"]["entries"]
    assert created[0]["before"] is None and created[0]["after"]["name"] == model["name"]
    assert created[0]["actor_role"] == "super_admin"


async def test_seed_update_validation(world: World, fake, client):
    sa = world.who["super_admin"].headers
    _, model = await _create_model(client, sa, fake)
    url = f"/api/v2/models/{model['id']}"
    r = await client.patch(url, headers=sa, json={})
    assert r.status_code == 400 and r.json()["error"]["message"] == "No updates provided"
    for body, field in (({"display_name": ""}, "display_name"), ({"display_name": "x" * 201}, "display_name"),
                        ({"description": "d" * 2001}, "description"), ({"status": "sometimes"}, "status"),
                        ({"thermal_state": "LUKEWARM"}, "thermal_state"), ({"price": 1}, "price")):
        r = await client.put(url, headers=sa, json=body)
        assert r.status_code == 400 and field in r.json()["error"]["details"], (body, r.text)
    r = await client.patch(url, headers=sa, json={"display_name": "x" * 200, "description": "d" * 2000})
    assert r.status_code == 200 and r.json()["data"]["model"]["displayName"] == "x" * 200
    r = await client.patch("/api/v2/models/no-such-model", headers=sa, json={"status": "active"})
    assert r.status_code == 404
    r = await client.patch(f"/api/v2/providers/{model['provider_id']}", headers=sa, json={})
    assert r.status_code == 400 and r.json()["error"]["message"] == "No updates provided"
    r = await client.patch(f"/api/v2/providers/{model['provider_id']}", headers=sa, json={"status": "coming_soon"})
    assert r.status_code == 400 and "status" in r.json()["error"]["details"]
    r = await client.patch(f"/api/v2/providers/{model['provider_id']}", headers=sa,
                           json={"hipaa_compliant": False, "config": {"runtime": "vllm"}})
    assert r.status_code == 200 and r.json()["data"]["provider"]["hipaaCompliant"] is False


async def test_create_validation(world: World, fake, client, stack):
    sa = world.who["super_admin"].headers
    _, model = await _create_model(client, sa, fake)
    r = await client.post("/api/v2/admin/models", headers=sa, json={"provider_id": model["provider_id"],
                                                                    "name": model["name"]})
    assert r.status_code == 409 and "name" in r.json()["error"]["details"]
    r = await client.post("/api/v2/admin/models", headers=sa, json={"provider_id": "nope", "name": "x-1"})
    assert r.status_code == 400 and "provider_id" in r.json()["error"]["details"]
    r = await client.post("/api/v2/admin/models", headers=sa, json={
        "provider_id": model["provider_id"], "name": "x-2", "thermal_state": "TEPID", "context_window": -1})
    assert r.status_code == 400 and "thermal_state" in r.json()["error"]["details"]
    r = await client.post("/api/v2/admin/models", headers=sa, json={
        "provider_id": model["provider_id"], "name": "x-3", "context_window": -1, "pricing": {"per_image": "-1"},
        "fallback_models": ["no-such-model"]})
    details = r.json()["error"]["details"]
    assert r.status_code == 400 and {"context_window", "pricing.per_image"} <= set(details)
    r = await client.post("/api/v2/admin/models", headers=sa, json={"provider_id": model["provider_id"],
                                                                    "name": "x-4", "fallback_models": ["nope-x"]})
    assert r.status_code == 400 and "fallback_models" in r.json()["error"]["details"]
    r = await client.post("/api/v2/admin/models", headers=sa, json={"provider_id": model["provider_id"],
                                                                    "name": "x-5", "observed": {}})
    assert r.status_code == 400 and "observed" in r.json()["error"]["details"]
    # A credential is named, never stored.
    r = await client.post("/api/v2/admin/providers", headers=sa, json={
        "name": "leaky", "type": "external", "api_format": "openai", "base_url": "https://api.example.org/v1",
        "auth_type": "api_key", "credential_ref": "sk-live-1234567890abcdef"})
    assert r.status_code == 400 and "credential_ref" in r.json()["error"]["details"]
    assert "sk-live-1234567890abcdef" not in r.text
    r = await client.post("/api/v2/admin/providers", headers=sa, json={"name": "no-url", "type": "external",
                                                                       "api_format": "openai"})
    assert r.status_code == 400 and "base_url" in r.json()["error"]["details"]
    r = await client.post("/api/v2/admin/providers", headers=sa, json={"name": "x", "type": "alien"})
    assert r.status_code == 400 and "type" in r.json()["error"]["details"]


async def test_delete_deprecates_what_is_in_use(stack, world: World, fake, client):
    sa = world.who["super_admin"].headers
    provider, used = await _create_model(client, sa, fake)
    sdk = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=world.who["plain"].key, max_retries=0)
    await sdk.chat.completions.create(model=used["name"], messages=[{"role": "user", "content": "bill me"}])
    async with internal_channel(stack.services["metering"].address) as ch:
        metering = metering_pb2_grpc.MeteringServiceStub(ch)
        await eventually(lambda: metering.CountUsage(metering_pb2.CountUsageRequest(model_id=used["id"])),
                         lambda r: r.requests > 0)
    r = await client.delete(f"/api/v2/admin/models/{used['id']}", headers=sa)
    assert r.status_code == 200 and r.json()["data"]["removed"] is False
    assert r.json()["data"]["model"]["status"] == "deprecated" and r.json()["data"]["model"]["deprecation_date"]
    # Its usage is still named in the tenant's report.
    report = (await client.get("/api/v2/usage", headers=world.who["plain"].headers)).json()["data"]
    assert used["name"] in [b["modelName"] for b in report["breakdown"]]
    # The provider keeps a model, so it is deprecated too; an unused model and an empty provider go away.
    r = await client.delete(f"/api/v2/admin/providers/{provider['id']}", headers=sa)
    assert r.status_code == 200 and r.json()["data"]["removed"] is False
    _, unused = await _create_model(client, sa, fake)
    r = await client.delete(f"/api/v2/admin/models/{unused['id']}", headers=sa)
    assert r.status_code == 200 and r.json()["data"]["removed"] is True
    assert (await client.get(f"/api/v2/admin/models/{unused['id']}", headers=sa)).status_code == 404
    r = await client.delete(f"/api/v2/admin/providers/{unused['provider_id']}", headers=sa)
    assert r.status_code == 200 and r.json()["data"]["removed"] is True
    entries = (await client.get("/api/v2/admin/audit-logs", headers=sa, params={
        "tenant_id": world.platform, "resource_type": "model"})).json()["data"]["entries"]
    actions = {(e["action"], e["resource_id"]) for e in entries}
    assert ("model.deprecate", used["id"]) in actions and ("model.delete", unused["id"]) in actions
    deleted = next(e for e in entries if e["action"] == "model.delete")
    assert deleted["before"]["name"] == unused["name"] and deleted["after"] is None
