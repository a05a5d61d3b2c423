"""Model and provider listings: OpenAI's /v1/models through the SDK (only models callable now), and the seed's
/api/v2/models and /api/v2/providers with its envelope, filters, offset pagination and 404s."""
import asyncio

import grpc
import openai
import pytest

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from services.registry import catalogue
from tests.grpc_helpers import internal_channel
from tests.router.openai.conftest import AZURE_CHAT, EMBEDDING, VISION

SAGEMAKER = catalogue.provider_id("sagemaker")


async def test_sdk_lists_the_active_models_of_active_providers(aclient):
    models = {m.id: m async for m in aclient.models.list()}
    assert {"radiant-demo", VISION, EMBEDDING, AZURE_CHAT} <= set(models)
    # Seeded but inactive (OpenAI's and Anthropic's providers have no credentials here).
    assert not {"gpt-4o", "claude-3-5-sonnet", "mistral-7b-instruct"} & set(models)
    assert models["radiant-demo"].owned_by == "demo" and models[AZURE_CHAT].owned_by == "azure-openai"
    assert models["radiant-demo"].object == "model" and models["radiant-demo"].created > 0


async def test_model_list_says_what_each_demo_model_does(aclient):
    models = {m.id: m async for m in aclient.models.list()}
    demo, embedding = models["radiant-demo"].model_dump(), models[EMBEDDING].model_dump()
    assert demo["display_name"] == "Radiant Demo" and "image" in demo["description"]
    assert {"chat", "streaming", "vision", "functions"} <= set(demo["capabilities"])
    assert embedding["capabilities"] == ["embeddings"] and "embeddings" in embedding["description"]


async def test_sync_sdk_retrieves_a_model(client):
    model = await asyncio.to_thread(client.models.retrieve, "radiant-demo")
    assert model.id == "radiant-demo" and model.owned_by == "demo"


@pytest.mark.parametrize("name", ["gpt-17", "gpt-4o"], ids=["unknown", "inactive"])
async def test_retrieving_a_model_you_cannot_call_is_404(aclient, name):
    with pytest.raises(openai.NotFoundError) as caught:
        await aclient.models.retrieve(name)
    assert name in caught.value.message


def _h(api_key):
    return {"Authorization": f"Bearer {api_key}"}


async def test_v2_models_envelope_and_seed_shape(http, api_key):
    r = await http.get("/api/v2/models", headers=_h(api_key))
    assert r.status_code == 200
    body = r.json()
    assert body["success"] is True and body["meta"]["requestId"] == r.headers["x-request-id"]
    models = {m["name"]: m for m in body["data"]["models"]}
    demo = models["radiant-demo"]
    assert demo["id"] == catalogue.model_id("radiant-demo")
    assert demo["providerId"] == catalogue.provider_id("demo")
    assert demo["status"] == "active" and demo["type"] == "external"
    assert demo["maxOutputTokens"] == 1024 and demo["contextWindow"] == 8192
    assert demo["supportsFunctions"] is True and demo["supportsVision"] is True
    assert demo["pricing"]["inputTokens"] == "0.50" and demo["pricing"]["billedMarkup"] == "0.20"
    llama = models["llama-3.1-8b-instruct"]
    assert llama["type"] == "self-hosted" and llama["thermalState"] == "COLD"
    assert llama["thermalConfig"]["warmupTimeSeconds"] == 300
    total = body["data"]["pagination"]["total"]
    assert body["data"]["pagination"] == {"limit": 50, "offset": 0, "total": total, "hasMore": False}
    assert body["meta"]["pagination"] == {"page": 1, "limit": 50, "total": total, "hasMore": False}


async def test_v2_models_pagination_walks_every_model_once(http, api_key):
    seen, offset = [], 0
    while True:
        r = await http.get("/api/v2/models", headers=_h(api_key), params={"limit": 3, "offset": offset})
        data = r.json()["data"]
        seen += [m["id"] for m in data["models"]]
        assert r.json()["meta"]["pagination"]["page"] == offset // 3 + 1
        if not data["pagination"]["hasMore"]:
            break
        offset += 3
    assert len(seen) == len(set(seen)) == data["pagination"]["total"] > 6


@pytest.mark.parametrize("params,check", [
    ({"status": "active"}, lambda m: m["status"] == "active"),
    ({"type": "self-hosted"}, lambda m: m["type"] == "self-hosted"),
    ({"supports_vision": "true"}, lambda m: m["supportsVision"]),
    ({"supports_streaming": "false"}, lambda m: not m["supportsStreaming"]),
    ({"specialty": "coding"}, lambda m: m["specialty"] == "coding"),
    ({"provider_id": SAGEMAKER}, lambda m: m["providerId"] == SAGEMAKER),
])
async def test_v2_model_filters(http, api_key, params, check):
    r = await http.get("/api/v2/models", headers=_h(api_key), params=params)
    models = r.json()["data"]["models"]
    assert models and all(check(m) for m in models)
    everything = (await http.get("/api/v2/models", headers=_h(api_key), params={"limit": 100})).json()["data"]
    assert len(models) == len([m for m in everything["models"] if check(m)])


@pytest.mark.parametrize("params,field", [
    ({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"offset": -1}, "offset"), ({"limit": "ten"}, "limit"),
    ({"status": "retired"}, "status"), ({"type": "mid-tier"}, "type"), ({"supports_vision": "maybe"},
                                                                        "supports_vision"),
])
async def test_v2_model_query_errors_name_the_parameter(http, api_key, params, field):
    r = await http.get("/api/v2/models", headers=_h(api_key), params=params)
    assert r.status_code == 400
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == "VALIDATION_ERROR"
    assert field in body["error"]["details"]


async def test_v2_model_by_id_and_unknown_ids(http, api_key):
    model_id = catalogue.model_id("gpt-4o")
    r = await http.get(f"/api/v2/models/{model_id}", headers=_h(api_key))
    assert r.status_code == 200 and r.json()["data"]["model"]["name"] == "gpt-4o"
    r = await http.get("/api/v2/models/00000000-0000-0000-0000-000000000000", headers=_h(api_key))
    assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND"


async def test_v2_providers_list_filter_and_page(http, api_key):
    r = await http.get("/api/v2/providers", headers=_h(api_key))
    providers = {p["name"]: p for p in r.json()["data"]["providers"]}
    assert {"demo", "openai", "anthropic", "azure-openai", "bedrock", "sagemaker"} <= set(providers)
    assert providers["bedrock"]["authType"] == "iam" and providers["bedrock"]["hipaaCompliant"] is True
    assert "credentialRef" not in providers["openai"] and "config" not in providers["openai"]
    r = await http.get("/api/v2/providers", headers=_h(api_key), params={"type": "self-hosted"})
    assert {p["type"] for p in r.json()["data"]["providers"]} == {"self-hosted"}
    r = await http.get("/api/v2/providers", headers=_h(api_key), params={"limit": 2, "offset": 2})
    data = r.json()["data"]
    assert len(data["providers"]) == 2 and data["pagination"]["hasMore"] is True
    r = await http.get("/api/v2/providers", headers=_h(api_key), params={"status": "coming_soon"})
    assert r.status_code == 400 and "status" in r.json()["error"]["details"]


async def test_v2_provider_and_its_active_models(http, api_key):
    demo = catalogue.provider_id("demo")
    r = await http.get(f"/api/v2/providers/{demo}", headers=_h(api_key))
    assert r.status_code == 200 and r.json()["data"]["provider"]["name"] == "demo"
    r = await http.get(f"/api/v2/providers/{demo}/models", headers=_h(api_key))
    data = r.json()["data"]
    assert data["providerId"] == demo
    assert {"radiant-demo", VISION, EMBEDDING} <= {m["name"] for m in data["models"]}
    assert all(m["status"] == "active" for m in data["models"])
    sagemaker = catalogue.provider_id("sagemaker")
    assert (await http.get(f"/api/v2/providers/{sagemaker}/models", headers=_h(api_key))).json()["data"]["models"] == []


@pytest.mark.parametrize("path", ["/api/v2/providers/nope", "/api/v2/providers/nope/models"])
async def test_v2_unknown_provider_is_404(http, api_key, path):
    r = await http.get(path, headers=_h(api_key))
    assert r.status_code == 404 and r.json()["success"] is False and "nope" in r.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/v1/models", "/v1/models/radiant-demo", "/api/v2/models", "/api/v2/providers"])
async def test_listings_need_credentials(http, path):
    assert (await http.get(path)).status_code == 401


async def _restricted_tenant_key(stack, tenant_id: str, **settings) -> str:
    async with internal_channel(stack.services["auth"].address) as ch:
        auth = auth_pb2_grpc.AuthServiceStub(ch)
        await auth.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="restricted",
                                                             settings=auth_pb2.TenantSettings(**settings)))
        return (await auth.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="k"))).secret


async def test_listings_show_only_the_tenants_allowed_models(stack, http, tenant_id):
    key = await _restricted_tenant_key(stack, tenant_id, allowed_models=["radiant-demo", AZURE_CHAT])
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=key, max_retries=0)
    assert {m.id async for m in client.models.list()} == {"radiant-demo", AZURE_CHAT}
    with pytest.raises(openai.NotFoundError):
        await client.models.retrieve(VISION)
    r = await http.get("/api/v2/models", headers=_h(key))
    assert {m["name"] for m in r.json()["data"]["models"]} == {"radiant-demo", AZURE_CHAT}
    assert r.json()["data"]["pagination"]["total"] == 2
    demo = catalogue.provider_id("demo")
    models = (await http.get(f"/api/v2/providers/{demo}/models", headers=_h(key))).json()["data"]["models"]
    assert [m["name"] for m in models] == ["radiant-demo"]
    assert (await http.get(f"/api/v2/models/{catalogue.model_id(VISION)}", headers=_h(key))).status_code == 404


async def test_blocked_models_are_hidden(stack, http, tenant_id):
    key = await _restricted_tenant_key(stack, tenant_id, blocked_models=[VISION])
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=key, max_retries=0)
    ids = {m.id async for m in client.models.list()}
    assert "radiant-demo" in ids and VISION not in ids
    with pytest.raises(openai.NotFoundError):
        await client.models.retrieve(VISION)


async def test_a_provider_allow_list_limits_models_and_embeddings(stack, http, tenant_id):
    key = await _restricted_tenant_key(stack, tenant_id, allowed_providers=["azure-openai"])
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=key, max_retries=0)
    ids = {m.id async for m in client.models.list()}
    assert AZURE_CHAT in ids and not ids & {"radiant-demo", EMBEDDING}
    with pytest.raises(openai.PermissionDeniedError) as caught:
        await client.embeddings.create(model=EMBEDDING, input="hello")
    assert "not allowed" in caught.value.message
