"""Every outcome of a request leaves exactly one request-log record with its status, code and HTTP status: answered,
invalid, unauthenticated, refused by policy, rate limited, failed at the provider, refused because PHI protection is
down (fail closed), abandoned by the client before the answer or in the middle of a stream."""
from __future__ import annotations

import asyncio
import dataclasses
import uuid

import grpc
import psycopg
from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2
from radiant.phi.v1 import phi_pb2_grpc

from tests.grpc_helpers import internal_channel
from tests.eventually import eventually
from tests.fakes.openai_server import Step
from tests.harness import free_port
from tests.router.resilience.conftest import chat
from tests.router.resilience.test_disconnect import LONG, _hang_up, _send


async def raw_records(stack, correlation_ids: list[str]) -> dict[str, list[tuple]]:
    """correlation id -> its rows, read straight from Postgres (the 401 has no tenant to ask the API for)."""
    async def fetch():
        async with await psycopg.AsyncConnection.connect(stack.own_db_url) as conn:
            cur = await conn.execute("SELECT correlation_id, status, error_code, http_status, retries, fallbacks, "
                                     "model, input_tokens FROM request_logs WHERE correlation_id = ANY(%s)",
                                     (correlation_ids,))
            rows = await cur.fetchall()
        out: dict[str, list[tuple]] = {c: [] for c in correlation_ids}
        for row in rows:
            out[row[0]].append(row[1:])
        return out
    return await eventually(fetch, lambda got: all(got.values()), timeout=20)


async def test_every_outcome_leaves_exactly_one_record(stack, http, api_key, tenant_id, world, fake, pipeline):
    provider, prefix = await world.provider()
    model = await world.model(provider)
    blocked = await world.model(provider)
    backup_provider, backup_prefix = await world.provider()
    backup = await world.model(backup_provider)
    primary_provider, primary_prefix = await world.provider()
    primary = await world.model(primary_provider, fallbacks=(backup,))
    async with internal_channel(stack.services["auth"].address) as ch:
        auth = auth_pb2_grpc.AuthServiceStub(ch)
        await auth.UpdateTenant(auth_pb2.UpdateTenantRequest(
            id=tenant_id, settings=auth_pb2.TenantSettings(blocked_models=[blocked])))
        one_a_minute = (await auth.CreateApiKey(auth_pb2.CreateApiKeyRequest(
            tenant_id=tenant_id, name="one a minute", limits=common_pb2.Limits(requests_per_minute=1)))).secret
    run = uuid.uuid4().hex[:8]
    cid = {name: f"{name}-{run}" for name in ("ok", "invalid", "unauthenticated", "policy", "rate-limited",
                                              "provider-error", "provider-down", "fail-closed", "disconnect", "stream-abandoned",
                                              "admitted", "over-limit", "fallback")}

    def h(name: str, key: str = api_key) -> dict:
        return {"Authorization": f"Bearer {key}", "X-Request-Id": cid[name]}

    fake.script(prefix, Step(text="fine"))
    assert (await http.post("/v1/chat/completions", json=chat(model), headers=h("ok"))).status_code == 200
    assert (await http.post("/v1/chat/completions", json={"model": model, "messages": "nope"},
                            headers=h("invalid"))).status_code == 400
    assert (await http.post("/v1/chat/completions", json=chat(model),
                            headers=h("unauthenticated", "wrong-key"))).status_code == 401
    assert (await http.post("/v1/chat/completions", json=chat(blocked), headers=h("policy"))).status_code == 403
    fake.script(prefix, Step(status=429, retry_after="600"))  # longer than the router waits: back to the client
    assert (await http.post("/v1/chat/completions", json=chat(model), headers=h("rate-limited"))).status_code == 429
    fake.script(prefix, Step(status=400))  # the provider rejected the request
    assert (await http.post("/v1/chat/completions", json=chat(model),
                            headers=h("provider-error"))).status_code == 502
    fake.script(prefix, *[Step(status=500)] * 3)  # failing on every attempt
    assert (await http.post("/v1/chat/completions", json=chat(model),
                            headers=h("provider-down"))).status_code == 503

    # Admission refuses the second request of a key allowed one a minute; a failing model's fallback answers.
    fake.script(prefix, Step(text="fine"))
    assert (await http.post("/v1/chat/completions", json=chat(model),
                            headers=h("admitted", one_a_minute))).status_code == 200
    assert (await http.post("/v1/chat/completions", json=chat(model),
                            headers=h("over-limit", one_a_minute))).status_code == 429
    fake.script(primary_prefix, *[Step(status=500)] * 3)
    fake.script(backup_prefix, Step(text="from the backup"))
    assert (await http.post("/v1/chat/completions", json=chat(primary), headers=h("fallback"))).status_code == 200

    # PHI protection unreachable: fail closed.
    up = pipeline.up
    dead = internal_channel(f"127.0.0.1:{free_port()}")
    pipeline.up = dataclasses.replace(up, phi=phi_pb2_grpc.PhiServiceStub(dead))
    try:
        r = await http.post("/v1/chat/completions", json=chat(model, "John Smith"), headers=h("fail-closed"))
        assert r.status_code == 503
    finally:
        pipeline.up = up
        await dead.close()

    # The client leaves while the provider is still thinking, and in the middle of a stream.
    fake.script(prefix, Step(delay=60))
    _, writer = await _send(stack, api_key, chat(model, "slow one"), request_id=cid["disconnect"])
    await eventually(lambda: asyncio.sleep(0, fake.seen(prefix)), lambda seen: any(
        s.body["messages"][0]["content"] == "slow one" for s in seen))
    await _hang_up(writer)
    fake.script(prefix, Step(text=LONG, usage=False, chunk_size=10, chunk_delay=0.02))
    reader, writer = await _send(stack, api_key, chat(model, "a long story", stream=True),
                                 request_id=cid["stream-abandoned"])
    while b"word" not in await reader.readline():
        pass
    await _hang_up(writer)

    got = await raw_records(stack, list(cid.values()))
    assert {name: len(got[c]) for name, c in cid.items()} == {name: 1 for name in cid}
    outcome = {name: got[c][0][:3] for name, c in cid.items()}
    assert outcome == {
        "ok": ("success", None, 200),
        "invalid": ("error", "VALIDATION_ERROR", 400),
        "unauthenticated": ("blocked", "UNAUTHORIZED", 401),
        "policy": ("blocked", "FORBIDDEN", 403),
        "rate-limited": ("blocked", "RATE_LIMITED", 429),
        "provider-error": ("error", "PROVIDER_ERROR", 502),
        "provider-down": ("error", "SERVICE_UNAVAILABLE", 503),
        "fail-closed": ("error", "SERVICE_UNAVAILABLE", 503),
        "disconnect": ("error", "CLIENT_DISCONNECTED", 499),
        "stream-abandoned": ("error", "CLIENT_DISCONNECTED", 200),
        "admitted": ("success", None, 200),
        "over-limit": ("blocked", "RATE_LIMITED", 429),
        "fallback": ("success", None, 200),
    }
    fallbacks = {name: got[c][0][4] for name, c in cid.items()}
    assert fallbacks["fallback"] == 1 and fallbacks["ok"] == 0 and fallbacks["provider-down"] == 0
    retries = {name: got[c][0][3] for name, c in cid.items()}
    assert retries["provider-down"] == 2 and retries["provider-error"] == 0 and retries["ok"] == 0
    assert got[cid["stream-abandoned"]][0][6] > 0  # input tokens metered for what was sent
    assert got[cid["ok"]][0][5] == model
