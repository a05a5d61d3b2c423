"""Helpers shared by the policy, session and context tests: tenants with settings, API keys, extra models in the
registry, and what the demo provider received."""
from __future__ import annotations

import uuid
from typing import Any

import grpc
import httpx
import psycopg
from radiant.auth.v1 import auth_pb2, auth_pb2_grpc

from tests.grpc_helpers import internal_channel
from tests.harness import InProcessStack


class Tenants:
    def __init__(self, stack: InProcessStack) -> None:
        self.stack = stack

    async def _stub(self, fn):
        async with internal_channel(self.stack.services["auth"].address) as ch:
            return await fn(auth_pb2_grpc.AuthServiceStub(ch))

    async def create(self, tenant_id: str, **settings: Any) -> auth_pb2.Tenant:
        return await self._stub(lambda s: s.CreateTenant(auth_pb2.CreateTenantRequest(
            id=tenant_id, name=f"Tenant {tenant_id}", settings=auth_pb2.TenantSettings(**settings))))

    async def update(self, tenant_id: str, **settings: Any) -> auth_pb2.Tenant:
        return await self._stub(lambda s: s.UpdateTenant(auth_pb2.UpdateTenantRequest(
            id=tenant_id, settings=auth_pb2.TenantSettings(**settings))))

    async def key(self, tenant_id: str, roles: tuple[str, ...] = ()) -> str:
        """A new API key; each key without a user acts as a user of its own (user_id apikey:<key id>)."""
        created = await self._stub(lambda s: s.CreateApiKey(auth_pb2.CreateApiKeyRequest(
            tenant_id=tenant_id, name="test", roles=list(roles))))
        return created.secret

    async def tenant_with_key(self, tenant_id: str, **settings: Any) -> str:
        await self.create(tenant_id, **settings)
        return await self.key(tenant_id)


def auth_header(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def provider_requests(stack: InProcessStack) -> list[dict]:
    async with httpx.AsyncClient() as c:
        return (await c.get(stack.demo_app_requests_url)).json()


async def clear_provider_requests(stack: InProcessStack) -> None:
    async with httpx.AsyncClient() as c:
        await c.delete(stack.demo_app_requests_url)


def _copy_row(db_url: str, table: str, where: tuple[str, str], **overrides: Any) -> None:
    with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as conn:
        cur = conn.execute(f"SELECT * FROM {table} WHERE {where[0]} = %s", [where[1]])
        columns = [d.name for d in cur.description]
        row = dict(zip(columns, cur.fetchone()))
        row.update(overrides)
        for column, value in row.items():
            if isinstance(value, (dict, list)):
                row[column] = psycopg.types.json.Jsonb(value)
        conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
                     [row[c] for c in columns])


def add_demo_model(db_url: str, **overrides: Any) -> str:
    """A copy of the radiant-demo model (same demo provider unless provider_id says otherwise) under a new name."""
    name = overrides.pop("name", f"demo-{uuid.uuid4().hex[:8]}")
    _copy_row(db_url, "models", ("name", "radiant-demo"), id=f"model-{uuid.uuid4().hex[:12]}", name=name,
              upstream_model=None, **overrides)
    return name


def add_unreachable_provider(db_url: str, demo_provider_id: str) -> str:
    """A copy of the demo provider whose endpoint refuses connections (every call fails, retryably)."""
    provider_id = f"prov-{uuid.uuid4().hex[:10]}"
    _copy_row(db_url, "providers", ("id", demo_provider_id), id=provider_id, name=provider_id,
              base_url="http://127.0.0.1:9/v1")
    return provider_id
