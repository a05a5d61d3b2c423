"""Resilience tests: the in-process stack on a database of its own, providers and models added per test that point
at the fault-injecting OpenAI fake (each provider its own path, so its own circuit breaker), and the router's retry
policy rebuilt per test with a recorded sleep and a hand-moved clock (nothing waits, nothing is timed)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import grpc
import httpx
import pytest
from radiant.registry.v1 import registry_pb2, registry_pb2_grpc

from services.registry.store import RegistryStore
from services.router.pipeline.resilience import Resilience, RetryPolicy
from services.runtime.db import create_engine
from tests.grpc_helpers import internal_channel
from tests.conftest import _create_pg_database, _drop_pg_database
from tests.eventually import eventually
from tests.fakes.openai_server import FakeOpenAIServer
from tests.harness import InProcessStack

PRICING = {"input_per_million": "1.00", "output_per_million": "2.00", "billed_markup": "0"}


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Sleeps:
    waited: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waited.append(seconds)


@dataclass
class World:
    """Adds providers and models to the registry of the stack under test."""
    stack: InProcessStack
    fake: FakeOpenAIServer
    store: RegistryStore
    ids: dict[str, str] = field(default_factory=dict)  # model name -> id

    async def provider(self, kind: str = "external") -> tuple[str, str]:
        """(provider id, fake path prefix) of a new active OpenAI-format provider served by the fake."""
        prefix = f"p{uuid.uuid4().hex[:10]}"
        pid = str(uuid.uuid4())
        await self.store.insert_absent([dict(
            id=pid, name=f"fault-{prefix}", type=kind, status="active", hipaa_compliant=True, baa_available=True,
            base_url=self.fake.url(prefix), auth_type="none", api_format="openai", credential_ref=None,
            capabilities=["chat", "streaming"], config={})], [])
        return pid, prefix

    async def model(self, provider_id: str, *, fallbacks: tuple[str, ...] = (), pricing: dict | None = None,
                    **kw) -> str:
        name = f"m-{uuid.uuid4().hex[:10]}"
        row = dict(
            id=str(uuid.uuid4()), provider_id=provider_id, name=name, display_name=name, description=None,
            type="external", specialty="general", capabilities=["chat", "streaming"], context_window=None,
            max_output_tokens=None, supports_functions=True, supports_vision=False, supports_streaming=True,
            has_thinking_mode=False, thinking_budget_tokens=None, pricing=pricing or PRICING, thermal_state=None,
            thermal_config=None, status="active", release_date=None, deprecation_date=None,
            upstream_model=f"upstream-{name}", deployment_kind="none", deployment_name=None,
            deployment_namespace=None, deployment_instance_type=None, observed=None, fallback_models=list(fallbacks))
        row.update(kw)
        await self.store.insert_absent([], [row])
        self.ids[name] = row["id"]
        return name

    def registry(self) -> tuple[grpc.aio.Channel, registry_pb2_grpc.RegistryServiceStub]:
        channel = internal_channel(self.stack.services["registry"].address)
        return channel, registry_pb2_grpc.RegistryServiceStub(channel)

    async def get_model(self, name: str) -> registry_pb2.Model:
        channel, stub = self.registry()
        async with channel:
            return await stub.GetModel(registry_pb2.GetModelRequest(name=name))


@pytest.fixture(scope="module")
async def fake():
    async with FakeOpenAIServer() as server:
        yield server


@pytest.fixture(scope="module")
async def stack(redis_url):
    """Overrides the router tests' stack: these tests add catalogue rows, so they get a database of their own."""
    name, url = _create_pg_database()
    s = await InProcessStack(url, redis_url).start()
    s.own_db_url = url
    yield s
    await s.stop()
    _drop_pg_database(name)


@pytest.fixture(scope="module")
async def world(stack, fake):
    engine = create_engine(stack.own_db_url)
    yield World(stack, fake, RegistryStore(engine))
    await engine.dispose()


@pytest.fixture
def pipeline(stack):
    return stack.router_app.state.pipeline


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
def policy():
    """Overridden by tests that need another policy."""
    return RetryPolicy(max_attempts=3, base_delay=0.25, max_delay=4.0, max_retry_after=10.0, breaker_threshold=5,
                       breaker_cooldown=30.0)


@pytest.fixture(autouse=True)
def resilience(pipeline, policy, clock, sleeps):
    """A fresh retry policy and breakers per test; jitter pinned to its ceiling so delays are exact."""
    pipeline.resilience = Resilience(policy, sleep=sleeps, clock=clock, rand=lambda: 1.0)
    return pipeline.resilience


@pytest.fixture
def headers(api_key):
    return {"Authorization": f"Bearer {api_key}"}


async def usage_rows(http, headers: dict, count: int) -> list[dict]:
    """The caller's usage breakdown, once `count` requests have been metered."""
    async def report():
        r = await http.get("/api/v2/usage", headers=headers, params={"start": "2020-01-01", "end": "2100-01-01"})
        assert r.status_code == 200, r.text
        return r.json()["data"]

    data = await eventually(report, lambda d: d["totalRequests"] >= count)
    assert data["totalRequests"] == count, data
    return data["breakdown"]


def chat(model: str, content: str = "hello there", **extra) -> dict:
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


@pytest.fixture
async def http(stack):
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
        yield client
