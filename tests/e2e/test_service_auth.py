"""Issue 11 (c): internal gRPC calls are authenticated, on the real stack (every service a process, Postgres, Redis)
with the keys `radiant up` generates itself. Whoever reaches a service's port without a service key gets nothing,
and a compromised router (its key stolen) acts only for tenants whose credentials it holds."""
from __future__ import annotations

import json
import os
import uuid

import grpc
import httpx
import pytest

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2, metering_pb2_grpc
from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.runtime.grpc_client import channel
from services.runtime.service_auth import IDENTITIES, PUBLIC_KEYS_VAR, Minter, key_var
from services.stack.config import free_ports_env
from services.stack.launcher import Stack
from services.stack.secrets import SECRETS_FILE
from tests.conftest import _create_pg_database, _drop_pg_database

NOTE = "Patient Eleanor Rigby, SSN 219-09-9999, asks about her refill."


@pytest.fixture(scope="module")
def stack(redis_url, tmp_path_factory):
    db_name, db_url = _create_pg_database()
    api_key = "e2e-" + os.urandom(12).hex()
    # No keys from the test environment: the stack generates its own, as `radiant up` does on a fresh machine.
    blank = {var: "" for var in (*(key_var(i) for i in IDENTITIES), PUBLIC_KEYS_VAR)}
    env = {**free_ports_env(), **blank, "RADIANT_DATABASE_URL": db_url, "RADIANT_REDIS_URL": redis_url,
           "RADIANT_BOOTSTRAP_API_KEY": api_key, "RADIANT_ENV": "test",
           "RADIANT_USAGE_STREAM": f"radiant:usage:e2e:{os.urandom(8).hex()}",
           "RADIANT_REQUEST_LOG_STREAM": f"radiant:requests:e2e:{os.urandom(8).hex()}"}
    s = Stack(env, tmp_path_factory.mktemp("stack"))
    s.start()
    try:
        yield s, api_key, json.loads((s.data_dir / SECRETS_FILE).read_text())
    finally:
        s.stop()
        _drop_pg_database(db_name)


def _environ(pid: int) -> dict[str, str]:
    raw = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def test_each_service_gets_its_own_key_and_no_other(stack):
    s, _, secrets = stack
    keys = [secrets[key_var(identity)] for identity in IDENTITIES]
    assert all(keys) and len(set(keys)) == len(keys)
    for name in ("auth", "phi", "registry", "metering", "router", "operator"):
        env = _environ(s.pids[name])
        held = {var for var in env if var.startswith("RADIANT_SERVICE_KEY")}
        expected = {key_var(name)} if name in IDENTITIES else set()
        assert held == expected, name
        assert env[PUBLIC_KEYS_VAR] and all(k not in env[PUBLIC_KEYS_VAR] for k in keys)


def test_requests_through_the_router_still_carry_their_principal(stack):
    s, api_key, _ = stack
    with httpx.Client(base_url=s.http_url, headers={"Authorization": f"Bearer {api_key}"}, timeout=20) as http:
        r = http.post("/v1/chat/completions",
                      json={"model": "radiant-demo", "messages": [{"role": "user", "content": NOTE}]})
        assert r.status_code == 200, r.text
        assert "Eleanor Rigby" in r.json()["choices"][0]["message"]["content"]
        assert http.get("/api/v2/usage").status_code == 200
        assert http.get("/api/v2/admin/phi/policy").status_code == 200


async def test_a_port_reached_without_a_service_key_answers_nothing(stack):
    s, _, _ = stack
    calls = {
        "phi": lambda ch: phi_pb2_grpc.PhiServiceStub(ch).Reidentify(
            phi_pb2.ReidentifyRequest(tenant_id="default", mapping_id="m", texts=["[NAME_1]"])),
        "auth": lambda ch: auth_pb2_grpc.AuthServiceStub(ch).CreateApiKey(
            auth_pb2.CreateApiKeyRequest(tenant_id="default", name="stolen")),
        "metering": lambda ch: metering_pb2_grpc.MeteringServiceStub(ch).GetUsageReport(
            metering_pb2.UsageReportRequest(tenant_id="default")),
    }
    for service, make in calls.items():
        async with grpc.aio.insecure_channel(s.grpc_addrs[service]) as ch:
            with pytest.raises(grpc.aio.AioRpcError) as exc:
                await make(ch)
        assert exc.value.code() == grpc.StatusCode.UNAUTHENTICATED, service


async def test_a_stolen_router_key_acts_only_for_tenants_whose_credentials_it_holds(stack):
    s, api_key, secrets = stack
    router = Minter.from_env("router", secrets)
    # Setup only: a second tenant with its own API key, made as a platform admin with auth's key.
    platform = Minter.from_env("auth", secrets).principal_token(common_pb2.Principal(
        user_id="e2e-platform", roles=["super_admin"], is_admin=True, is_super_admin=True))
    other = f"e2e-{uuid.uuid4().hex[:8]}"
    async with channel(s.grpc_addrs["auth"], 10, router, platform) as ch:
        stub = auth_pb2_grpc.AuthServiceStub(ch)
        await stub.CreateTenant(auth_pb2.CreateTenantRequest(id=other, name="Other clinic"))
        other_key = (await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=other, name="k"))).secret

    async def principal_of(credential: str) -> str:
        async with channel(s.grpc_addrs["auth"], 10, router) as ch:
            decision = await auth_pb2_grpc.AuthServiceStub(ch).Authenticate(
                auth_pb2.AuthenticateRequest(api_key=credential))
        return decision.principal_token

    victim, attacker = await principal_of(api_key), await principal_of(other_key)
    async with channel(s.grpc_addrs["phi"], 10, router, victim) as ch:
        sanitized = await phi_pb2_grpc.PhiServiceStub(ch).Sanitize(
            phi_pb2.SanitizeRequest(tenant_id="default", texts=[NOTE]))
    assert "219-09-9999" not in sanitized.texts[0]
    reidentify = phi_pb2.ReidentifyRequest(tenant_id="default", mapping_id=sanitized.mapping_id,
                                           texts=sanitized.texts, for_response=True, caller_is_admin=True)
    async with channel(s.grpc_addrs["phi"], 10, router, attacker) as ch:
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await phi_pb2_grpc.PhiServiceStub(ch).Reidentify(reidentify)
        assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED
    async with channel(s.grpc_addrs["auth"], 10, router, attacker) as ch:
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await auth_pb2_grpc.AuthServiceStub(ch).CreateApiKey(
                auth_pb2.CreateApiKeyRequest(tenant_id="default", name="stolen"))
        assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # With the victim's own principal the same call restores the note: the guard, not the mapping, refused above.
    async with channel(s.grpc_addrs["phi"], 10, router, victim) as ch:
        assert (await phi_pb2_grpc.PhiServiceStub(ch).Reidentify(reidentify)).texts == [NOTE]
