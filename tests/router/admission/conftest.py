"""Admission through the REST edge: the in-process stack (real Postgres and Redis) on a database of its own, tenants
and keys with limits made over auth's gRPC API, and the fault-injecting OpenAI fake for streams that fail, break or
are abandoned."""
from __future__ import annotations

import uuid

import grpc
import httpx
import pytest
from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2, metering_pb2_grpc

from services.registry.store import RegistryStore
from services.runtime.db import create_engine
from tests.grpc_helpers import internal_channel
from tests.conftest import _create_pg_database, _drop_pg_database
from tests.eventually import eventually
from tests.fakes.openai_server import FakeOpenAIServer
from tests.harness import InProcessStack
from tests.router.resilience.conftest import World


class Auth:
    """Tenants and keys with limits, through auth's gRPC API (as an administrator would)."""

    def __init__(self, stack: InProcessStack) -> None:
        self.stack = stack

    async def _call(self, fn):
        async with internal_channel(self.stack.services["auth"].address) as ch:
            return await fn(auth_pb2_grpc.AuthServiceStub(ch))

    async def tenant(self, tenant_id: str, *, admit_when_uncounted: bool = False, **limits) -> None:
        settings = auth_pb2.TenantSettings(limits=common_pb2.Limits(**limits), admit_when_uncounted=admit_when_uncounted)
        await self._call(lambda s: s.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name=tenant_id,
                                                                               settings=settings)))

    async def key(self, tenant_id: str, *, tier: int = 0, **limits) -> auth_pb2.CreateApiKeyResponse:
        return await self._call(lambda s: s.CreateApiKey(auth_pb2.CreateApiKeyRequest(
            tenant_id=tenant_id, name="limited", key_tier=tier, limits=common_pb2.Limits(**limits))))

    async def update_key(self, tenant_id: str, key_id: str, **limits) -> None:
        await self._call(lambda s: s.UpdateApiKey(auth_pb2.UpdateApiKeyRequest(
            tenant_id=tenant_id, id=key_id, limits=common_pb2.Limits(**limits))))

    async def tenant_and_key(self, tenant_id: str, tenant_limits: dict | None = None, **key_limits) -> str:
        await self.tenant(tenant_id, **(tenant_limits or {}))
        return (await self.key(tenant_id, **key_limits)).secret


@pytest.fixture(scope="module")
async def stack(redis_url):
    name, url = _create_pg_database()
    s = await InProcessStack(url, redis_url).start()
    s.own_db_url = url
    yield s
    await s.stop()
    _drop_pg_database(name)


@pytest.fixture(scope="module")
async def fake():
    async with FakeOpenAIServer() as server:
        yield server


@pytest.fixture(scope="module")
async def world(stack, fake):
    engine = create_engine(stack.own_db_url)
    yield World(stack, fake, RegistryStore(engine))
    await engine.dispose()


@pytest.fixture
def auth(stack) -> Auth:
    return Auth(stack)


@pytest.fixture
async def http(stack):
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
        yield client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def chat(content: str = "hello there", model: str = "radiant-demo", **extra) -> dict:
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


async def limits(http, key: str) -> dict[str, dict]:
    """GET /api/v2/limits by dimension (the tightest row of each)."""
    r = await http.get("/api/v2/limits", headers=bearer(key))
    assert r.status_code == 200, r.text
    return {row["dimension"]: row for row in r.json()["data"]["limits"] if row["tightest"]}


async def settled(http, key: str, ok) -> dict[str, dict]:
    """The limits once `ok(limits)` holds (settlement and release run after the answer, off the request path)."""
    async def fetch():
        return await limits(http, key)
    return await eventually(fetch, ok)


async def usage_records(stack: InProcessStack, tenant_id: str, count: int,
                        timeout: float = 10) -> list[metering_pb2.UsageRecord]:
    async with internal_channel(stack.services["metering"].address) as ch:
        stub = metering_pb2_grpc.MeteringServiceStub(ch)

        async def fetch():
            return list((await stub.ListUsageRecords(metering_pb2.ListUsageRecordsRequest(
                tenant_id=tenant_id, page={"page_size": 500}))).records)
        return await eventually(fetch, lambda rows: len(rows) >= count)


def new_tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


async def audit_log(stack: InProcessStack, tenant_id: str, count: int) -> list[metering_pb2.AuditLogEntry]:
    async with internal_channel(stack.services["metering"].address) as ch:
        stub = metering_pb2_grpc.MeteringServiceStub(ch)

        async def fetch():
            return list((await stub.ListAuditLogs(metering_pb2.ListAuditLogsRequest(
                tenant_id=tenant_id, action="budget.threshold"))).entries)
        return await eventually(fetch, lambda rows: len(rows) >= count)
