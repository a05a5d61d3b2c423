"""The REST edge: auth failures, validation, unknown models, envelopes, ops endpoints."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.grpc_helpers import internal_channel

from services.router.edge.v2 import usage_period

CHAT = {"model": "radiant-demo", "messages": [{"role": "user", "content": "Hello there"}]}


async def test_chat_happy_path_openai_shape(http, api_key):
    r = await http.post("/v1/chat/completions", json=CHAT, headers={"Authorization": f"Bearer {api_key}"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "radiant-demo"
    assert "Hello there" in body["choices"][0]["message"]["content"]
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"] > 0
    assert r.headers["x-request-id"]


async def test_v2_envelope(http, api_key):
    r = await http.post("/api/v2/chat/completions", json=CHAT, headers={"X-API-Key": api_key})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True and body["meta"]["requestId"] == r.headers["x-request-id"]
    assert body["data"]["choices"][0]["message"]["content"]


@pytest.mark.parametrize("headers,needle", [
    ({}, "Missing credentials"),
    ({"Authorization": "Basic abc"}, "Malformed Authorization"),
    ({"Authorization": "Bearer rad_nope_nope"}, "invalid API key"),
])
async def test_bad_credentials_are_401_in_openai_shape(http, headers, needle):
    r = await http.post("/v1/chat/completions", json=CHAT, headers=headers)
    assert r.status_code == 401
    err = r.json()["error"]
    assert err["type"] == "authentication_error" and needle.lower() in err["message"].lower()


async def test_unknown_model_404(http, api_key):
    r = await http.post("/v1/chat/completions", json={**CHAT, "model": "gpt-17"},
                        headers={"Authorization": f"Bearer {api_key}"})
    assert r.status_code == 404 and "gpt-17" in r.json()["error"]["message"]


@pytest.mark.parametrize("patch,fields", [
    ({"messages": []}, ["messages"]),
    ({"temperature": 3}, ["temperature"]),
    ({"max_tokens": 0}, ["max_tokens"]),
    ({"model": 5, "messages": "hi"}, ["model", "messages"]),
    ({"messages": [{"role": "wizard", "content": "x"}]}, ["messages.0.role"]),
])
async def test_invalid_body_400_names_fields(http, api_key, patch, fields):
    r = await http.post("/v1/chat/completions", json={**CHAT, **patch}, headers={"Authorization": f"Bearer {api_key}"})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "validation_error"
    for f in fields:
        assert f in err["details"], err
        assert f in err["message"]


async def test_invalid_json_400(http, api_key):
    r = await http.post("/v1/chat/completions", content=b"{not json", headers={
        "Authorization": f"Bearer {api_key}", "content-type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["error"]["message"]


async def test_v2_errors_use_envelope(http):
    r = await http.post("/api/v2/chat/completions", json=CHAT)
    assert r.status_code == 401
    assert r.json()["success"] is False and r.json()["error"]["code"] == "UNAUTHORIZED"


async def test_models_list(http, api_key):
    r = await http.get("/v1/models", headers={"Authorization": f"Bearer {api_key}"})
    assert r.status_code == 200
    assert "radiant-demo" in {m["id"] for m in r.json()["data"]}


async def test_usage_query_validation(http, api_key):
    h = {"Authorization": f"Bearer {api_key}"}
    r = await http.get("/api/v2/usage", params={"start": "2026-02-01", "end": "2026-01-01"}, headers=h)
    assert r.status_code == 400
    r = await http.get("/api/v2/usage", params={"start": "yesterday", "end": "2026-01-01"}, headers=h)
    assert r.status_code == 400 and "start" in r.json()["error"]["details"]
    r = await http.get("/api/v2/usage", params={"end": "2026-13-01"}, headers=h)
    assert r.status_code == 400 and "end" in r.json()["error"]["details"]
    future = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    r = await http.get("/api/v2/usage", params={"start": future}, headers=h)  # start alone runs to now
    assert r.status_code == 400 and "before" in r.json()["error"]["message"]


def test_usage_period_defaults_to_the_current_month_up_to_now():
    now = datetime(2026, 12, 4, 19, 30, tzinfo=timezone.utc)
    assert usage_period(None, None, now) == (datetime(2026, 12, 1, tzinfo=timezone.utc), now)
    assert usage_period("2026-11-15", None, now) == (datetime(2026, 11, 15, tzinfo=timezone.utc), now)
    assert usage_period(None, "2026-10-20T05:00:00Z", now) == (datetime(2026, 10, 1, tzinfo=timezone.utc),
                                                               datetime(2026, 10, 20, 5, tzinfo=timezone.utc))
    # Offsets are converted to UTC before the month is taken.
    assert usage_period(None, "2026-11-01T01:00:00+02:00", now)[0] == datetime(2026, 10, 1, tzinfo=timezone.utc)


async def test_ops_endpoints(http):
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200 and set(ready.json()["checks"]) == {"auth", "phi", "registry", "metering", "redis"}
    assert (await http.get("/version")).json()["version"]
    metrics = await http.get("/metrics")
    assert "radiant_http_requests_total" in metrics.text


async def test_oversized_body_is_413(http, api_key, stack):
    big = "x" * (stack.router_settings.max_body_bytes + 1)
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"},
                        json={"model": "radiant-demo", "messages": [{"role": "user", "content": big}]})
    assert r.status_code == 413 and "larger than" in r.json()["error"]["message"]


def _chunks(total: int, size: int = 64 * 1024):
    async def gen():
        sent = 0
        yield b'{"model": "radiant-demo", "messages": [{"role": "user", "content": "'
        while sent < total:
            yield b"x" * size
            sent += size
        yield b'"}]}'
    return gen()


@pytest.mark.parametrize("path,shape", [
    ("/v1/chat/completions", lambda b: b["error"]["message"]),
    ("/api/v2/chat/completions", lambda b: b["error"]["message"]),
    ("/v1/messages", lambda b: b["error"]["message"] if b.get("type") == "error" else None),
    ("/model/radiant-demo/converse", lambda b: b["message"]),
])
async def test_chunked_body_over_the_limit_is_413_in_the_surface_shape(http, api_key, stack, path, shape):
    """No Content-Length: the bytes are counted as they arrive, never buffered past the limit (issue 11.6)."""
    limit = stack.router_settings.max_body_bytes
    r = await http.post(path, headers={"Authorization": f"Bearer {api_key}", "x-api-key": api_key,
                                       "content-type": "application/json"}, content=_chunks(limit * 4))
    assert r.status_code == 413, r.text
    assert "larger than" in shape(r.json()) or "at most" in shape(r.json())
    if path.startswith("/model/"):
        assert r.headers["x-amzn-errortype"] == "ValidationException"


async def test_chunked_body_under_the_limit_is_served(http, api_key):
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}",
                                                         "content-type": "application/json"},
                        content=_chunks(20_000, size=1000))
    assert r.status_code == 200, r.text
    assert len(r.json()["choices"][0]["message"]["content"]) >= 20_000


class _Raw(str):
    """A JSON text spliced into a body as is (serializers refuse documents this deep)."""


def _deep_schema(levels: int) -> _Raw:
    return _Raw('{"type": "object", "properties": {"a": ' * levels + '{"type": "string"}' + "}}" * levels)


def _encode(value) -> str:
    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_encode(v) for v in value) + "]"
    return json.dumps(value)


def _tool(parameters: dict) -> dict:
    return {"type": "function", "function": {"name": "f", "parameters": parameters}}


USER = [{"role": "user", "content": "hi"}]
DEEP_BODIES = [
    ("/v1/chat/completions", {"model": "radiant-demo", "messages": USER, "tools": [_tool(_deep_schema(100))]}),
    ("/v1/chat/completions", {"model": "radiant-demo", "messages": USER, "response_format": {
        "type": "json_schema", "json_schema": {"name": "x", "schema": _deep_schema(100)}}}),
    ("/v1/messages", {"model": "radiant-demo", "max_tokens": 5, "messages": USER,
                      "tools": [{"name": "f", "input_schema": _deep_schema(200)}]}),
    ("/api/v2/sessions", {"title": "t", "metadata": {"m": _deep_schema(900)}}),
    ("/model/radiant-demo/converse", {"messages": [{"role": "user", "content": [{"text": "hi"}]}],
                                      "toolConfig": {"tools": [{"toolSpec": {"name": "f", "inputSchema": {
                                          "json": _deep_schema(100)}}}]}}),
]


@pytest.mark.parametrize("path,body", DEEP_BODIES, ids=["tools", "response_format", "anthropic input_schema",
                                                         "session metadata", "bedrock inputSchema"])
async def test_deeply_nested_json_is_a_400_on_every_surface(http, api_key, path, body):
    """Issue 11.7: well-formed but deep JSON is refused once, at the edge, before anything recursive sees it."""
    r = await http.post(path, headers={"Authorization": f"Bearer {api_key}", "x-api-key": api_key,
                                       "content-type": "application/json"}, content=_encode(body))
    assert r.status_code == 400, r.text
    assert "64 levels" in r.text


async def test_a_tool_schema_nested_within_the_bound_is_accepted(http, api_key):
    r = await http.post("/v1/chat/completions",
                        content=_encode({"model": "radiant-demo", "messages": USER,
                                         "tools": [_tool(_deep_schema(25))]}),
                        headers={"Authorization": f"Bearer {api_key}", "content-type": "application/json"})
    assert r.status_code == 200, r.text


async def test_cached_decisions_are_evicted_on_revocation(stack, http, tenant_id):
    import grpc
    from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
    from tests.eventually import eventually
    await stack.new_tenant_key(tenant_id)
    async with internal_channel(stack.services["auth"].address) as ch:
        auth = auth_pb2_grpc.AuthServiceStub(ch)
        created = await auth.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="cached"))
        h = {"Authorization": f"Bearer {created.secret}"}
        pipeline = stack.router_app.state.pipeline
        await eventually(lambda: _async(pipeline.auth_cache.active), bool)
        assert (await http.get("/v1/models", headers=h)).status_code == 200
        assert pipeline.auth_cache.get(pipeline.auth_cache.key(auth_pb2.AuthenticateRequest(api_key=created.secret)))
        await auth.RevokeApiKey(auth_pb2.RevokeApiKeyRequest(tenant_id=tenant_id, id=created.key.id))
        r = await eventually(lambda: http.get("/v1/models", headers=h), lambda r: r.status_code == 401, timeout=1.0)
        assert r.status_code == 401 and "revoked" in r.json()["error"]["message"]


async def _async(value):
    return value
