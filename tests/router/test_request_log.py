"""The request log and the telemetry of real requests on every surface (OpenAI, Anthropic, Bedrock, /api/v2, the gRPC
RouterService), with traces exported over OTLP to a local receiver: one record per request with what it was, queryable
per tenant and per user; and no PHI value anywhere: raw Postgres rows, the /metrics text, every exported span, the
JSON logs."""
from __future__ import annotations

import asyncio
import io
import logging
import uuid

import grpc
import httpx
import psycopg
import pytest
from prometheus_client import generate_latest
from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2
from radiant.router.v1 import router_pb2, router_pb2_grpc

from services.router.grpc_api import RouterServicer
from services.runtime.grpc_server import start_server
from services.runtime.logs import JsonFormatter
from services.runtime.tracing import configure_tracing, flush_tracing, shutdown_tracing
from tests.grpc_helpers import internal_channel
from tests.eventually import eventually
from tests.fakes.otlp_receiver import OtlpReceiver
from tests.harness import InProcessStack

PHI_TEXT = ("Patient John Smith, SSN 123-45-6789, phone (617) 555-0134, email john.smith@example.com, "
            "reports chest pain.")
PHI_VALUES = ("John Smith", "Smith", "123-45-6789", "555-0134", "john.smith@example.com")


@pytest.fixture(scope="module")
async def receiver():
    async with OtlpReceiver() as rx:
        yield rx


@pytest.fixture(scope="module")
async def stack(pg_url, redis_url, receiver):
    """Tracing is configured before the stack starts (the router adds its HTTP span middleware at creation)."""
    configure_tracing("gateway", "otlp", receiver.endpoint, "grpc")
    s = await InProcessStack(pg_url, redis_url).start()
    pipeline = s.router_app.state.pipeline
    s.router_grpc = await start_server("router", s.router_settings, lambda server: router_pb2_grpc.
                                       add_RouterServiceServicer_to_server(RouterServicer(pipeline), server),
                                       ["radiant.router.v1.RouterService"], port=0)
    yield s
    await s.router_grpc.stop(0)
    await s.stop()
    shutdown_tracing()


@pytest.fixture(scope="module")
def json_logs():
    """The JSON log lines every service writes, formatted as they are emitted (inside the request's span)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter("test"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


async def tenant_with_content(stack: InProcessStack, tenant_id: str) -> tuple[str, str]:
    """An admin key and a plain user's key of a tenant that keeps redacted content in its request log."""
    admin = await stack.new_tenant_key(tenant_id)
    async with internal_channel(stack.services["auth"].address) as ch:
        auth = auth_pb2_grpc.AuthServiceStub(ch)
        await auth.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant_id, settings=auth_pb2.TenantSettings(
            request_log_content=True, request_log_retention_days=7)))
        user = await auth.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="user", roles=["user"]))
    return admin, user.secret


async def records(http: httpx.AsyncClient, key: str, count: int, **params) -> list[dict]:
    async def fetch():
        r = await http.get("/api/v2/requests", headers={"X-API-Key": key}, params={"limit": 500, **params})
        assert r.status_code == 200, r.text
        return r.json()["data"]["requests"]
    return await eventually(fetch, lambda rs: len(rs) >= count, timeout=20)


async def drive_every_surface(stack: InProcessStack, http: httpx.AsyncClient, key: str) -> dict[str, tuple]:
    """One request per surface and mode; correlation id -> (surface, operation, stream)."""
    def h(cid: str) -> dict:
        return {"X-API-Key": key, "X-Request-Id": cid}

    chat = {"model": "radiant-demo", "messages": [{"role": "user", "content": PHI_TEXT}]}
    anthropic = {"model": "radiant-demo", "max_tokens": 64, "messages": [{"role": "user", "content": PHI_TEXT}]}
    converse = {"messages": [{"role": "user", "content": [{"text": PHI_TEXT}]}]}
    calls = {
        "c-openai": ("/v1/chat/completions", chat, ("openai", "chat", False)),
        "c-openai-stream": ("/v1/chat/completions", {**chat, "stream": True}, ("openai", "chat", True)),
        "c-embed": ("/v1/embeddings", {"model": "radiant-demo-embedding", "input": PHI_TEXT},
                    ("openai", "embeddings", False)),
        "c-anthropic": ("/v1/messages", anthropic, ("anthropic", "chat", False)),
        "c-anthropic-stream": ("/v1/messages", {**anthropic, "stream": True}, ("anthropic", "chat", True)),
        "c-bedrock": ("/model/radiant-demo/converse", converse, ("bedrock", "chat", False)),
        "c-bedrock-stream": ("/model/radiant-demo/converse-stream", converse, ("bedrock", "chat", True)),
        "c-v2": ("/api/v2/chat/completions", chat, ("v2", "chat", False)),
    }
    suffix = uuid.uuid4().hex[:8]
    expected = {}
    for cid, (path, body, kind) in calls.items():
        r = await http.post(path, json=body, headers=h(f"{cid}-{suffix}"))
        assert r.status_code == 200, (path, r.text)
        expected[f"{cid}-{suffix}"] = kind
    async with internal_channel(stack.router_grpc.address) as ch:
        stub = router_pb2_grpc.RouterServiceStub(ch)
        req = router_pb2.ChatCompletionRequest(model="radiant-demo",
                                               messages=[common_pb2.ChatMessage(role="user", text=PHI_TEXT)])
        await stub.CreateChatCompletion(req, metadata=(("x-api-key", key), ("x-request-id", f"c-grpc-{suffix}")))
        async for _ in stub.StreamChatCompletion(req, metadata=(("x-api-key", key),
                                                                ("x-request-id", f"c-grpc-stream-{suffix}"))):
            pass
    expected[f"c-grpc-{suffix}"] = ("grpc", "chat", False)
    expected[f"c-grpc-stream-{suffix}"] = ("grpc", "chat", True)
    return expected


async def test_every_surface_leaves_one_record_with_what_it_was(stack, tenant_id):
    admin, user = await tenant_with_content(stack, tenant_id)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as http:
        expected = await drive_every_surface(stack, http, admin)
        got = await records(http, admin, len(expected))
        assert sorted(r["correlationId"] for r in got) == sorted(expected)
        for r in got:
            surface, operation, stream = expected[r["correlationId"]]
            assert (r["surface"], r["operation"], r["stream"]) == (surface, operation, stream), r
            assert (r["status"], r["httpStatus"], r["errorCode"]) == ("success", 200, None), r
            assert r["model"] in ("radiant-demo", "radiant-demo-embedding") and r["providerId"], r
            assert r["usage"]["inputTokens"] > 0 and r["latencyMs"] >= 1, r
            assert r["phiCategories"].get("SSN") == 1 and r["phiCategories"].get("NAME", 0) >= 1, r
            assert r["id"] != r["correlationId"] and len(r["id"]) == 32  # minted by the gateway
            assert (r["timeToFirstTokenMs"] is not None) == stream, r
            if operation == "chat":
                assert "[PHI_SSN_1]" in r["promptRedacted"] and "[PHI_SSN_1]" in r["responseRedacted"], r
                assert r["finishReason"] == "stop", r
        # A plain user sees its own requests only; an admin may filter by user or key.
        await http.post("/v1/chat/completions", headers={"X-API-Key": user},
                        json={"model": "radiant-demo", "messages": [{"role": "user", "content": "hi"}]})
        mine = await records(http, user, 1)
        assert len(mine) == 1 and mine[0]["apiKeyId"] != got[0]["apiKeyId"]
        assert (await http.get("/api/v2/requests", headers={"X-API-Key": user},
                               params={"api_key_id": got[0]["apiKeyId"]})).status_code == 403
        theirs = await records(http, admin, 1, api_key_id=mine[0]["apiKeyId"])
        assert [r["id"] for r in theirs] == [mine[0]["id"]]
        one = await http.get(f"/api/v2/requests/{got[0]['id']}", headers={"X-API-Key": admin})
        assert one.status_code == 200 and one.json()["data"]["request"]["id"] == got[0]["id"]
        assert (await http.get(f"/api/v2/requests/{got[0]['id']}", headers={"X-API-Key": user})).status_code == 403
        other = await stack.new_tenant_key(f"t-{uuid.uuid4().hex[:12]}")
        assert (await http.get(f"/api/v2/requests/{got[0]['id']}", headers={"X-API-Key": other})).status_code == 404
        assert (await http.get("/api/v2/requests", headers={"X-API-Key": admin},
                               params={"start": "yesterday"})).status_code == 400


async def test_no_phi_in_rows_metrics_spans_or_logs(stack, receiver, json_logs, tenant_id):
    admin, _ = await tenant_with_content(stack, tenant_id)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as http:
        expected = await drive_every_surface(stack, http, admin)
        unauthenticated = f"c-401-{uuid.uuid4().hex[:8]}"
        bad = await http.post("/v1/chat/completions", headers={"X-API-Key": "not-a-key",
                                                               "X-Request-Id": unauthenticated},
                              json={"model": "radiant-demo", "messages": [{"role": "user", "content": PHI_TEXT}]})
        assert bad.status_code == 401
        await records(http, admin, len(expected))
        metrics_text = (await http.get("/metrics")).text

    async def raw_rows():
        async with await psycopg.AsyncConnection.connect(stack.db_url) as conn:
            cur = await conn.execute("SELECT * FROM request_logs WHERE tenant_id = %s OR correlation_id = %s",
                                     (tenant_id, unauthenticated))
            return await cur.fetchall()
    rows = await eventually(raw_rows, lambda rs: len(rs) == len(expected) + 1)
    assert len(rows) == len(expected) + 1
    raw = repr(rows)
    assert "[PHI_SSN_1]" in raw  # the redacted content is there, in its placeholder form
    await asyncio.to_thread(flush_tracing)  # the receiver answers on this loop
    spans = receiver.spans
    exported = repr([(s.name, s.attributes, s.events) for s in spans])
    logs = json_logs.getvalue()
    for value in PHI_VALUES:
        assert value not in raw, value
        assert value not in metrics_text, value
        assert value not in exported, value
        assert value not in logs, value
    for name in ("gen_ai_client_token_usage_bucket", "gen_ai_server_request_duration_seconds_bucket",
                 "gen_ai_server_time_to_first_token_seconds_bucket", "gen_ai_client_operation_duration_seconds",
                 "radiant_requests_total", "radiant_phi_detections_total"):
        assert name in metrics_text, name
    assert 'error_type="UNAUTHORIZED"' in metrics_text and 'category="SSN"' in metrics_text

    # One trace per request across the hops: the router's HTTP span, its gRPC calls and the services' server spans,
    # and the provider call with its GenAI attributes.
    http_spans = [s for s in spans if s.name == "POST /v1/chat/completions"
                  and s.attributes.get("gen_ai.usage.input_tokens")]
    assert http_spans, sorted({s.name for s in spans})
    root = http_spans[-1]  # this test's request (the receiver also holds the earlier test's)
    assert root.attributes["gen_ai.request.model"] == "radiant-demo"
    assert root.attributes["gen_ai.response.finish_reasons"] == ["stop"]
    assert root.attributes["gen_ai.usage.output_tokens"] > 0
    in_trace = {s.name: s for s in spans if s.trace_id == root.trace_id}
    assert {"radiant.phi.v1.PhiService/Sanitize", "phi/Sanitize", "chat radiant-demo"} <= set(in_trace), in_trace
    assert in_trace["phi/Sanitize"].parent_id == in_trace["radiant.phi.v1.PhiService/Sanitize"].span_id
    provider = in_trace["chat radiant-demo"]
    assert provider.attributes["gen_ai.operation.name"] == "chat"
    assert provider.attributes["gen_ai.provider.name"] == "demo"
    assert provider.parent_id == root.span_id
    # The JSON logs of a request carry its trace id.
    assert f'"trace_id":"{root.trace_id}"' in logs
