"""What clients see of admission on every surface: x-ratelimit-* (OpenAI's names) and X-RateLimit-* (the seed's) on
successful answers, streams included; 429 RATE_LIMITED in each API's own error shape with Retry-After; 429
BUDGET_EXCEEDED saying until when; GET /api/v2/limits; limits changed over gRPC applied within seconds."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import anthropic
import grpc
import openai
import pytest
from radiant.common.v1 import common_pb2
from radiant.router.v1 import router_pb2, router_pb2_grpc

from services.router.edge.app import build_pipeline
from services.router.grpc_api import RouterServicer
from services.runtime.grpc_server import start_server
from tests.grpc_helpers import internal_channel
from tests.eventually import eventually
from tests.router.admission.conftest import audit_log, bearer, chat, limits, new_tenant, settled

SURFACES = {
    "openai": ("/v1/chat/completions", chat()),
    "openai-stream": ("/v1/chat/completions", chat(stream=True)),
    "embeddings": ("/v1/embeddings", {"model": "radiant-demo-embedding", "input": "hello there"}),
    "anthropic": ("/v1/messages", {"model": "radiant-demo", "max_tokens": 64,
                                   "messages": [{"role": "user", "content": "hello there"}]}),
    "anthropic-stream": ("/v1/messages", {"model": "radiant-demo", "max_tokens": 64, "stream": True,
                                          "messages": [{"role": "user", "content": "hello there"}]}),
    "bedrock": ("/model/radiant-demo/converse", {"messages": [{"role": "user", "content": [{"text": "hello"}]}]}),
    "bedrock-stream": ("/model/radiant-demo/converse-stream",
                       {"messages": [{"role": "user", "content": [{"text": "hello"}]}]}),
    "v2": ("/api/v2/chat/completions", chat()),
}


@pytest.mark.parametrize("surface", SURFACES)
async def test_successful_answers_carry_the_tightest_limits(http, auth, surface):
    path, body = SURFACES[surface]
    key = await auth.tenant_and_key(new_tenant(), {"requests_per_minute": 50}, requests_per_minute=10,
                                    tokens_per_minute=100_000)
    seen = []
    for _ in range(3):
        r = await http.post(path, headers=bearer(key), json=body)
        assert r.status_code == 200, r.text
        seen.append(r.headers)
    # The key's 10/min is tighter than the tenant's 50/min: it is the one reported, counting down.
    assert [h["x-ratelimit-remaining-requests"] for h in seen] == ["9", "8", "7"]
    assert [h["X-RateLimit-Remaining"] for h in seen] == ["9", "8", "7"]
    h = seen[-1]
    assert h["x-ratelimit-limit-requests"] == "10" and h["X-RateLimit-Limit"] == "10"
    assert h["x-ratelimit-reset-requests"].endswith("s") and 0 < int(h["X-RateLimit-Reset"]) <= 60
    assert h["x-ratelimit-limit-tokens"] == "100000"
    assert 0 < int(h["x-ratelimit-remaining-tokens"]) < 100_000


async def test_answers_without_limits_carry_no_rate_limit_headers(http, auth):
    key = await auth.tenant_and_key(new_tenant())
    r = await http.post("/v1/chat/completions", headers=bearer(key), json=chat())
    assert r.status_code == 200 and not any(k.lower().startswith("x-ratelimit") for k in r.headers)


async def post(http, surface: str, headers: dict):
    path, body = SURFACES[surface]
    return await http.post(path, headers=headers, json=body)


async def _spent_key(http, auth) -> str:
    key = await auth.tenant_and_key(new_tenant(), requests_per_minute=1)
    assert (await http.post("/v1/chat/completions", headers=bearer(key), json=chat())).status_code == 200
    return key


def _rate_limited(r) -> int:
    assert r.status_code == 429, r.text
    retry = int(r.headers["retry-after"])
    assert 0 < retry <= 60 and 0 < int(r.headers["retry-after-ms"]) <= 60_000
    assert r.headers["x-ratelimit-remaining-requests"] == "0" and r.headers["x-ratelimit-limit-requests"] == "1"
    assert r.headers["x-radiant-limited-by"] == "key.requests_per_minute"
    return retry


async def test_rate_limited_in_each_apis_own_shape(http, auth, stack):
    key = await _spent_key(http, auth)
    r = await http.post("/v1/chat/completions", headers=bearer(key), json=chat())
    _rate_limited(r)
    err = r.json()["error"]
    assert (err["type"], err["code"]) == ("rate_limit_error", "rate_limited")
    assert "1 of 1 requests per minute" in err["message"] and "API key" in err["message"]

    r = await http.post("/v1/chat/completions", headers=bearer(key), json=chat(stream=True))
    _rate_limited(r)
    assert r.headers["content-type"].startswith("application/json")  # refused before any stream started

    r = await post(http, "anthropic", {"x-api-key": key})
    _rate_limited(r)
    assert r.json()["type"] == "error" and r.json()["error"]["type"] == "rate_limit_error"

    r = await post(http, "bedrock", bearer(key))
    _rate_limited(r)
    assert r.headers["x-amzn-errortype"] == "ThrottlingException" and "requests per minute" in r.json()["message"]

    r = await post(http, "v2", bearer(key))
    _rate_limited(r)
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == "RATE_LIMITED"
    assert body["meta"]["requestId"] == r.headers["x-request-id"]

    r = await post(http, "embeddings", bearer(key))
    _rate_limited(r)
    assert r.json()["error"]["code"] == "rate_limited"


async def test_internal_grpc_callers_get_resource_exhausted(stack, http, auth):
    key = await _spent_key(http, auth)
    pipeline = build_pipeline(stack.router_settings)
    running = await start_server("router", stack.router_settings, lambda s: router_pb2_grpc.add_RouterServiceServicer_to_server(
        RouterServicer(pipeline), s), ["radiant.router.v1.RouterService"], port=0)
    try:
        async with internal_channel(running.address) as ch:
            with pytest.raises(grpc.aio.AioRpcError) as info:
                await router_pb2_grpc.RouterServiceStub(ch).CreateChatCompletion(
                    router_pb2.ChatCompletionRequest(model="radiant-demo", messages=[
                        common_pb2.ChatMessage(role="user", text="hi")]), metadata=(("authorization", f"Bearer {key}"),))
        assert info.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "requests per minute" in info.value.details()
    finally:
        await running.stop(0)
        await pipeline.close()


async def test_openai_sdk_sees_rate_limit_error_with_the_headers(stack, http, auth):
    key = await auth.tenant_and_key(new_tenant(), requests_per_minute=2, tokens_per_minute=50_000)
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=key, max_retries=0)
    raw = await client.chat.completions.with_raw_response.create(
        model="radiant-demo", messages=[{"role": "user", "content": "hi"}])
    assert raw.parse().choices[0].message.content == "hi"
    assert (raw.headers["x-ratelimit-limit-requests"], raw.headers["x-ratelimit-remaining-requests"]) == ("2", "1")
    assert raw.headers["x-ratelimit-limit-tokens"] == "50000"
    async with client.chat.completions.with_streaming_response.create(
            model="radiant-demo", stream=True, messages=[{"role": "user", "content": "hi"}]) as streamed:
        assert streamed.headers["x-ratelimit-remaining-requests"] == "0"
        assert [line async for line in streamed.iter_lines() if line][-1] == "data: [DONE]"
    with pytest.raises(openai.RateLimitError) as info:
        await client.chat.completions.create(model="radiant-demo", messages=[{"role": "user", "content": "hi"}])
    err = info.value
    assert err.status_code == 429 and err.code == "rate_limited" and err.type == "rate_limit_error"
    headers = err.response.headers
    assert int(headers["retry-after"]) > 0 and headers["x-ratelimit-remaining-requests"] == "0"
    assert headers["x-ratelimit-limit-requests"] == "2" and headers["x-ratelimit-reset-requests"].endswith("s")
    assert headers["x-ratelimit-limit-tokens"] == "50000"


async def test_anthropic_sdk_sees_its_rate_limit_error(stack, http, auth):
    key = await _spent_key(http, auth)
    client = anthropic.AsyncAnthropic(base_url=stack.base_url, api_key=key, max_retries=0)
    with pytest.raises(anthropic.RateLimitError) as info:
        await client.messages.create(model="radiant-demo", max_tokens=32,
                                     messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 429 and int(info.value.response.headers["retry-after"]) > 0


async def test_a_spent_budget_says_until_when(http, auth, stack):
    # radiant-demo: 0.50 / 1.50 USD per million tokens, markup 0.20. With max_tokens 5 a request may cost 10.2e-6 USD
    # (reserved at admission); echoing "hello there" costs 4.8e-6 (settled). Against 20e-6: 3 fit, the 4th may not.
    tenant_id = new_tenant()
    key = await auth.tenant_and_key(tenant_id, {"daily_budget": "0.00002"})
    statuses = []
    for _ in range(4):
        r = await http.post("/v1/chat/completions", headers=bearer(key), json=chat(max_tokens=5))
        statuses.append(r.status_code)
        await settled(http, key, lambda d: d["daily_budget"]["reserved"] == "0")
    assert statuses == [200, 200, 200, 429]
    assert (await limits(http, key))["daily_budget"]["used"] == "0.0000144"
    body = r.json()["error"]
    midnight = (datetime.now(timezone.utc) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert (body["type"], body["code"]) == ("insufficient_quota", "budget_exceeded")
    assert "daily budget of 0.00002 USD for tenant" in body["message"]
    assert "this request may cost up to 0.0000102 USD" in body["message"]
    assert midnight.isoformat().replace("+00:00", "Z") in body["message"]
    assert 0 < int(r.headers["retry-after"]) <= 86_400 and r.headers["x-radiant-limited-by"] == "tenant.daily_budget"
    r = await http.post("/api/v2/chat/completions", headers=bearer(key), json=chat(max_tokens=5))
    assert r.status_code == 429 and r.json()["error"]["code"] == "BUDGET_EXCEEDED"
    r = await http.post("/model/radiant-demo/converse", headers=bearer(key), json={
        "messages": [{"role": "user", "content": [{"text": "hi"}]}], "inferenceConfig": {"maxTokens": 5}})
    assert r.status_code == 429 and r.headers["x-amzn-errortype"] == "ThrottlingException"
    # 50 % was passed by the third request's usage; the refusal reports 100 %: once each, in metering's audit log.
    entries = await audit_log(stack, tenant_id, 2)
    assert sorted(int(e.details["threshold_percent"]) for e in entries) == [50, 100]
    assert {(e.resource_id, e.details["period"]) for e in entries} == {(f"tenant:{tenant_id}:daily", "daily")}


async def test_a_request_larger_than_the_token_limit_names_max_tokens(http, auth):
    key = await auth.tenant_and_key(new_tenant(), tokens_per_minute=500)
    r = await http.post("/v1/chat/completions", headers=bearer(key), json=chat(max_tokens=1000))
    assert r.status_code == 400 and r.json()["error"]["param"] == "max_tokens"
    assert "500 tokens per minute" in r.json()["error"]["message"]
    r = await http.post("/v1/chat/completions", headers=bearer(key), json=chat(max_completion_tokens=1000))
    assert r.status_code == 400 and r.json()["error"]["param"] == "max_completion_tokens"
    assert (await http.post("/v1/chat/completions", headers=bearer(key), json=chat(max_tokens=100))).status_code == 200


async def test_limits_endpoint_says_what_applies_what_is_left_and_when(http, auth, stack):
    tenant_id = new_tenant()
    await auth.tenant(tenant_id, requests_per_hour=1000, monthly_budget="5")
    created = await auth.key(tenant_id, tier=common_pb2.KEY_TIER_FREE, tokens_per_day=100_000)
    key = created.secret
    for _ in range(2):
        assert (await http.post("/v1/chat/completions", headers=bearer(key), json=chat(max_tokens=50))).status_code == 200
    r = await http.get("/api/v2/limits", headers=bearer(key))
    assert r.status_code == 200
    data = r.json()["data"]
    assert (data["tenantId"], data["keyId"], data["keyTier"]) == (tenant_id, created.key.id, "free")
    rows = {(row["scope"], row["dimension"]): row for row in data["limits"]}
    # The free tier's 10/min and 100/hour (the gateway guide's numbers) count on the key; the tenant's 1000/hour too.
    assert rows[("tier:free", "requests_per_minute")]["limit"] == 10
    assert rows[("tier:free", "requests_per_minute")]["used"] == 2
    assert rows[("tier:free", "requests_per_minute")]["remaining"] == 8
    assert rows[("tier:free", "requests_per_minute")]["tightest"]
    assert rows[("tier:free", "requests_per_hour")]["tightest"] and not rows[("tenant", "requests_per_hour")]["tightest"]
    assert rows[("tenant", "requests_per_hour")]["used"] == 2
    assert 0 < rows[("tier:free", "requests_per_minute")]["resetsInMs"] <= 60_000
    budget = await settled(http, key, lambda d: d["monthly_budget"]["reserved"] == "0")
    spent = budget["monthly_budget"]
    assert spent["limit"] == "5" and spent["scope"] == "tenant" and spent["used"] != "0"
    first_of_next = (datetime.now(timezone.utc).replace(day=1) + timedelta(days=32)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0)
    assert spent["resetsAt"] == first_of_next.isoformat().replace("+00:00", "Z")
    assert budget["tokens_per_day"]["scope"] == "key" and budget["tokens_per_day"]["used"] > 0


async def test_a_limit_changed_over_grpc_applies_on_the_running_router(http, auth):
    tenant_id = new_tenant()
    await auth.tenant(tenant_id)
    created = await auth.key(tenant_id, requests_per_minute=1)
    key = created.secret
    assert (await http.post("/v1/chat/completions", headers=bearer(key), json=chat())).status_code == 200
    assert (await http.post("/v1/chat/completions", headers=bearer(key), json=chat())).status_code == 429
    await auth.update_key(tenant_id, created.key.id, requests_per_minute=100)

    async def status():
        return (await http.post("/v1/chat/completions", headers=bearer(key), json=chat())).status_code
    assert await eventually(status, lambda s: s == 200, timeout=5) == 200
    assert (await limits(http, key))["requests_per_minute"]["limit"] == 100
