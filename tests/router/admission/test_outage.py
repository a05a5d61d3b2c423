"""Redis stopped mid-load: admission fails closed (503, nothing sent to the provider, nothing admitted uncounted)
unless the tenant's policy admits and flags; Redis back, everything is normal again. On a private redis-server of
this test's own (never the shared one)."""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import time

import httpx
import pytest
import redis

from tests.conftest import _create_pg_database, _drop_pg_database
from tests.eventually import eventually
from tests.harness import InProcessStack, free_port
from tests.router.admission.conftest import Auth, bearer, chat, new_tenant, usage_records


class PrivateRedis:
    """With an append-only file (fsync always) in a directory of its own, as production Redis keeps its data: usage
    events still in the stream when it stops are there when it comes back."""

    def __init__(self, data_dir) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.data_dir = data_dir

    def start(self) -> None:
        subprocess.run([shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--save", "",
                        "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.data_dir),
                        "--daemonize", "yes", "--bind", "127.0.0.1"], check=True, stdout=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        try:
            client.shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # it closes the connection as it goes
        client.close()

    def up(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False


@pytest.fixture(scope="module")
async def private(tmp_path_factory):
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    if server.up():
        server.stop()


@pytest.fixture(scope="module")
async def stack(private):
    name, url = _create_pg_database()
    s = await InProcessStack(url, private.url).start()
    yield s
    await s.stop()
    _drop_pg_database(name)


async def _provider_saw(stack) -> int:
    async with httpx.AsyncClient() as c:
        return len((await c.get(stack.demo_app_requests_url)).json())


async def test_redis_stopped_mid_load_fails_closed_then_recovers(stack, private, http):
    auth = Auth(stack)
    strict_tenant, lenient_tenant, free_tenant = new_tenant(), new_tenant(), new_tenant()
    strict = await auth.tenant_and_key(strict_tenant, requests_per_minute=100_000, tokens_per_minute=10**9)
    await auth.tenant(lenient_tenant, admit_when_uncounted=True, requests_per_minute=100_000)
    lenient = (await auth.key(lenient_tenant)).secret
    unlimited = await auth.tenant_and_key(free_tenant)
    statuses: list[int] = []
    stop = asyncio.Event()

    async def load() -> None:
        while not stop.is_set():
            r = await http.post("/v1/chat/completions", headers=bearer(strict), json=chat())
            statuses.append(r.status_code)

    workers = [asyncio.create_task(load()) for _ in range(4)]
    await eventually(lambda: asyncio.sleep(0, len(statuses)), lambda n: n >= 20)
    private.stop()
    # The load runs on while Redis is down ...
    await eventually(lambda: asyncio.sleep(0, statuses.count(503)), lambda n: n >= 20)
    stop.set()
    await asyncio.gather(*workers)
    assert set(statuses) <= {200, 503}, statuses

    # ... and while it stays down, nothing of the strict tenant reaches the provider and nothing is admitted.
    before = await _provider_saw(stack)
    down = [await http.post("/v1/chat/completions", headers=bearer(strict), json=chat()) for _ in range(5)]
    assert [r.status_code for r in down] == [503] * 5
    body = down[0].json()["error"]
    assert body["code"] == "service_unavailable" and "counters cannot be reached" in body["message"]
    assert down[0].headers["retry-after"] == "1"
    assert await _provider_saw(stack) == before
    # The tenant whose policy admits uncounted is served, flagged; a tenant with no limits has nothing to count.
    flagged = await http.post("/v1/chat/completions", headers=bearer(lenient), json=chat())
    assert flagged.status_code == 200 and flagged.headers["x-radiant-admission"] == "uncounted"
    assert (await http.post("/v1/chat/completions", headers=bearer(unlimited), json=chat())).status_code == 200
    [row] = await usage_records(stack, lenient_tenant, 1)
    assert row.uncounted

    private.start()

    async def served() -> int:
        return (await http.post("/v1/chat/completions", headers=bearer(strict), json=chat())).status_code
    assert await eventually(served, lambda s: s == 200, timeout=15) == 200
    back = await http.post("/v1/chat/completions", headers=bearer(strict), json=chat())
    assert back.status_code == 200 and back.headers["x-ratelimit-limit-requests"] == "100000"
    assert "x-radiant-admission" not in back.headers

    # Every answer the strict tenant got was counted when it was admitted: each has its ledger row, none uncounted.
    served_count = statuses.count(200) + 2
    # (the usage consumer reconnects with backoff after the outage, so its rows may take a few seconds)
    rows = await usage_records(stack, strict_tenant, served_count, timeout=30)
    assert len(rows) == served_count and not any(r.uncounted for r in rows)
