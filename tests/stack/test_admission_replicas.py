"""Limits hold exactly across replicas: three routers and two metering services, each its own process on one Postgres
and one Redis, hammer the same key. Exactly the limit is admitted (whichever replica or metering's Admit RPC
answers), the rest are refused with a Retry-After that points at the moment the oldest counted request leaves the
window; token quotas count every replica's reservations and settlements exactly; a tenant limit is shared by its
keys."""
from __future__ import annotations

import asyncio
import signal
import time
import uuid
from dataclasses import dataclass

import grpc
import httpx
import pytest
from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2, metering_pb2_grpc

from services.stack.children import Child
from services.stack.config import HOST, free_ports_env
from services.stack.launcher import Stack
from tests.grpc_helpers import internal_channel
from tests.eventually import eventually
from tests.harness import free_port


@dataclass
class Shot:
    sent_ms: float
    received_ms: float
    status: int
    headers: dict


def _now_ms() -> float:
    return time.time() * 1000


def _replica(stack: Stack, name: str, like: str, **env: str) -> Child:
    base = next(c for c in stack.children if c.name == like)
    grpc_port = env.get("RADIANT_GRPC_PORT", base.env.get("RADIANT_GRPC_PORT"))
    http_port = env.get("RADIANT_HTTP_PORT")
    child = Child(name, base.module, {**base.env, **env}, grpc_addr=f"{HOST}:{grpc_port}",
                  http_url=f"http://{HOST}:{http_port}" if http_port else None, log_target="files",
                  log_dir=stack.log_dir)
    child.spawn()
    return child


def _wait_ready(children: list[Child], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    pending = list(children)
    while pending:
        for child in list(pending):
            assert child.exit_code() is None, f"{child.name} exited:\n{child.tail_text()}"
            if child.probe() is None:
                pending.remove(child)
        assert time.monotonic() < deadline, f"{pending[0].name} did not start:\n{pending[0].tail_text()}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, redis_url):
    from tests.conftest import _create_pg_database, _drop_pg_database
    name, pg_url = _create_pg_database()
    env = {**free_ports_env(), "RADIANT_DATABASE_URL": pg_url, "RADIANT_REDIS_URL": redis_url,
           # a stream of its own: other stacks on the shared Redis must not consume these events
           "RADIANT_USAGE_STREAM": f"radiant:usage:test:{uuid.uuid4().hex}", "RADIANT_LOG_LEVEL": "warning"}
    stack = Stack(env, tmp_path_factory.mktemp("replicas"), log_target="files").start()
    extra = [_replica(stack, f"router-{i}", "router", RADIANT_HTTP_PORT=str(free_port()),
                      RADIANT_GRPC_PORT=str(free_port())) for i in (2, 3)]
    extra.append(_replica(stack, "metering-2", "metering", RADIANT_GRPC_PORT=str(free_port()),
                          RADIANT_USAGE_CONSUMER_NAME="metering-2"))
    try:
        _wait_ready(extra)
        yield stack, [stack.http_url] + [c.http_url for c in extra if c.http_url], \
            [stack.grpc_addrs["metering"], extra[-1].grpc_addr]
    finally:
        for child in extra:
            child.signal(signal.SIGTERM)
        for child in extra:
            if not child.wait(10):
                child.signal(signal.SIGKILL)
                child.wait(5)
            child.close()
        stack.stop()
        _drop_pg_database(name)


async def _auth(stack: Stack, fn):
    async with internal_channel(stack.grpc_addrs["auth"]) as ch:
        return await fn(auth_pb2_grpc.AuthServiceStub(ch))


async def _tenant(stack: Stack, **limits) -> str:
    tenant_id = f"t-{uuid.uuid4().hex[:12]}"
    await _auth(stack, lambda s: s.CreateTenant(auth_pb2.CreateTenantRequest(
        id=tenant_id, name=tenant_id, settings=auth_pb2.TenantSettings(limits=common_pb2.Limits(**limits)))))
    return tenant_id


async def _key(stack: Stack, tenant_id: str, **limits) -> str:
    created = await _auth(stack, lambda s: s.CreateApiKey(auth_pb2.CreateApiKeyRequest(
        tenant_id=tenant_id, name="hammer", limits=common_pb2.Limits(**limits))))
    return created.secret


async def _hammer_http(urls: list[str], keys: list[str], body: dict, per_router: int, clients: int) -> list[Shot]:
    shots: list[Shot] = []

    async def worker(client: httpx.AsyncClient, key: str, count: int) -> None:
        for _ in range(count):
            sent = _now_ms()
            r = await client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {key}"}, json=body)
            shots.append(Shot(sent, _now_ms(), r.status_code, dict(r.headers)))

    clients_ = [httpx.AsyncClient(base_url=url, timeout=60) for url in urls]
    try:
        await asyncio.gather(*(worker(c, keys[(i + j) % len(keys)], per_router // clients)
                               for i, c in enumerate(clients_) for j in range(clients)))
    finally:
        for c in clients_:
            await c.aclose()
    return shots


async def _hammer_admit(addrs: list[str], principal: common_pb2.Principal, per_metering: int) -> list[Shot]:
    shots: list[Shot] = []
    for addr in addrs:
        async with internal_channel(addr) as ch:
            stub = metering_pb2_grpc.MeteringServiceStub(ch)

            async def one() -> None:
                sent = _now_ms()
                resp = await stub.Admit(metering_pb2.AdmitRequest(principal=principal))
                shots.append(Shot(sent, _now_ms(), 200 if resp.allowed else 429,
                                  {"retry-after-ms": str(resp.retry_after_ms)}))
            await asyncio.gather(*(one() for _ in range(per_metering)))
    return shots


def _check_retry_after(admitted: list[Shot], refused: list[Shot]) -> None:
    """Each refusal's wait ends when the oldest admitted request leaves the 60 s window. The oldest was admitted
    between the earliest send and the earliest answer of the admitted requests; each refusal was decided between
    its own send and answer: so its wait lies within these bounds, whatever the load (Redis and this test share the
    host clock; 2 ms for rounding)."""
    first_sent = min(s.sent_ms for s in admitted)
    first_answered = min(s.received_ms for s in admitted)
    for shot in refused:
        wait = int(shot.headers["retry-after-ms"])
        assert first_sent + 60_000 - shot.received_ms - 2 <= wait <= first_answered + 60_000 - shot.sent_ms + 2
        if "retry-after" in shot.headers:
            assert int(shot.headers["retry-after"]) == -(-wait // 1000)


async def test_exactly_the_limit_is_admitted_across_three_routers_and_two_meterings(replicas):
    stack, routers, meterings = replicas
    assert len(routers) == 3 and len(meterings) == 2
    limit = 30
    tenant_id = await _tenant(stack)
    key = await _key(stack, tenant_id, requests_per_minute=limit)
    principal = (await _auth(stack, lambda s: s.Authenticate(auth_pb2.AuthenticateRequest(api_key=key)))).principal
    body = {"model": "radiant-demo", "messages": [{"role": "user", "content": "hello there"}]}
    http_shots, admit_shots = await asyncio.gather(_hammer_http(routers, [key], body, per_router=30, clients=6),
                                                   _hammer_admit(meterings, principal, per_metering=20))
    shots = http_shots + admit_shots
    assert len(shots) == 130
    admitted = [s for s in shots if s.status == 200]
    refused = [s for s in shots if s.status != 200]
    assert len(admitted) == limit
    assert {s.status for s in refused} == {429}
    assert all(s.headers["x-ratelimit-remaining-requests"] == "0" for s in refused if s in http_shots)
    _check_retry_after(admitted, refused)
    assert len({s.headers["x-ratelimit-remaining-requests"] for s in admitted if s in http_shots}) == len(
        [s for s in admitted if s in http_shots])  # each admitted request saw its own place in the window


async def test_a_tenant_limit_is_shared_by_two_keys_across_routers(replicas):
    stack, routers, _ = replicas
    tenant_id = await _tenant(stack, requests_per_minute=24)
    keys = [await _key(stack, tenant_id), await _key(stack, tenant_id)]
    body = {"model": "radiant-demo", "messages": [{"role": "user", "content": "hello there"}]}
    shots = await _hammer_http(routers, keys, body, per_router=30, clients=6)
    admitted = [s for s in shots if s.status == 200]
    refused = [s for s in shots if s.status != 200]
    assert len(admitted) == 24 and {s.status for s in refused} == {429}
    assert {s.headers["x-radiant-limited-by"] for s in refused} == {"tenant.requests_per_minute"}
    _check_retry_after(admitted, refused)


async def test_a_token_quota_counts_every_replicas_reservations_and_settlements(replicas):
    stack, routers, meterings = replicas
    quota = 2000
    tenant_id = await _tenant(stack)
    key = await _key(stack, tenant_id, tokens_per_minute=quota)
    principal = (await _auth(stack, lambda s: s.Authenticate(auth_pb2.AuthenticateRequest(api_key=key)))).principal
    # Each request reserves its prompt estimate (characters / 4) + max_tokens; the demo provider echoes, so it uses
    # about 20 + 20 tokens of it.
    text = " ".join(f"w{i:03d}" for i in range(20))
    body = {"model": "radiant-demo", "max_tokens": 30, "messages": [{"role": "user", "content": text}]}
    reserved = len(text) // 4 + 30
    shots = await _hammer_http(routers, [key], body, per_router=90, clients=9)
    admitted = [s for s in shots if s.status == 200]
    refused = [s for s in shots if s.status != 200]
    assert admitted and refused and {s.status for s in refused} == {429}
    assert {s.headers["x-radiant-limited-by"] for s in refused} == {"key.tokens_per_minute"}

    async with internal_channel(meterings[1]) as ch:
        stub = metering_pb2_grpc.MeteringServiceStub(ch)

        async def state() -> tuple[list, int]:
            rows = list((await stub.ListUsageRecords(metering_pb2.ListUsageRecordsRequest(
                tenant_id=tenant_id, page={"page_size": 500}))).records)
            status = await stub.GetLimits(metering_pb2.GetLimitsRequest(principal=principal))
            return rows, int(next(s for s in status.limits if s.dimension == "tokens_per_minute").used)

        async def settled(count: int) -> tuple[list, int]:
            return await eventually(state, lambda v: len(v[0]) == count and v[1] == sum(r.total_tokens for r in v[0]),
                                    timeout=30)

        # Every replica's reservations and settlements landed on the one counter: once everything is settled it
        # holds exactly what the ledger billed, and never more than the quota.
        rows, used = await settled(len(admitted))
        assert used == sum(r.total_tokens for r in rows) <= quota
        # One at a time up to the boundary: a refusal comes exactly when one more reservation would not fit.
        async with httpx.AsyncClient(base_url=routers[1], timeout=30) as client:
            for _ in range(60):
                r = await client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {key}"}, json=body)
                if r.status_code == 429:
                    break
                assert used + reserved <= quota
                rows, used = await settled(len(rows) + 1)
            else:
                pytest.fail("the quota never refused")
        rows, used = await settled(len(rows))
        assert used + reserved > quota >= used
