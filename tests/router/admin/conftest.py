"""An in-process stack on a database of its own (these tests create and delete catalogue entries and tenants), and
the cast of the admin tests: tenant A with an admin, an operator, an auditor (each a user with an API key bound to
it) and a plain key (completions only); a platform tenant with a super admin; tenant B with its own admin and
resources, which nobody in A may ever see."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest

from radiant.auth.v1 import auth_pb2
from tests.conftest import _create_pg_database, _drop_pg_database
from tests.harness import InProcessStack

ROLES = ("super_admin", "admin", "operator", "auditor")
ALL_PERMISSIONS = ["completions", "embeddings", "admin", "health"]


@pytest.fixture(scope="module")
def own_pg_url():
    name, url = _create_pg_database()
    yield url
    _drop_pg_database(name)


@pytest.fixture(scope="module")
async def stack(own_pg_url, redis_url):
    s = await InProcessStack(own_pg_url, redis_url).start()
    yield s
    await s.stop()


@dataclass
class Identity:
    tenant_id: str
    user_id: str
    key: str
    key_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@dataclass
class World:
    platform: str
    a: str
    b: str
    who: dict[str, Identity] = field(default_factory=dict)  # role (or "plain", "b_admin") -> identity


async def person(auth, tenant_id: str, role: str | None, permissions=ALL_PERMISSIONS) -> Identity:
    """A user with this role (none: no user) and an API key bound to it."""
    user_id = ""
    if role is not None:
        user = await auth.CreateUser(auth_pb2.CreateUserRequest(
            tenant_id=tenant_id, email=f"{role}-{uuid.uuid4().hex[:6]}@example.org", roles=[role]))
        user_id = user.id
    created = await auth.CreateApiKey(auth_pb2.CreateApiKeyRequest(
        tenant_id=tenant_id, name=f"{role or 'plain'} key", user_id=user_id, permissions=list(permissions)))
    return Identity(tenant_id, user_id or f"apikey:{created.key.id}", created.secret, created.key.id)


async def new_tenant(auth, prefix: str) -> str:
    tenant_id = f"{prefix}-{uuid.uuid4().hex[:8]}"
    await auth.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name=f"Tenant {tenant_id}", tier=2))
    return tenant_id


@pytest.fixture(scope="module")
async def world(stack) -> World:
    auth = await stack.auth_stub()
    w = World(await new_tenant(auth, "plat"), await new_tenant(auth, "ta"), await new_tenant(auth, "tb"))
    w.who["super_admin"] = await person(auth, w.platform, "super_admin")
    for role in ("admin", "operator", "auditor"):
        w.who[role] = await person(auth, w.a, role)
    w.who["plain"] = await person(auth, w.a, None, ["completions"])
    w.who["b_admin"] = await person(auth, w.b, "admin")
    return w
