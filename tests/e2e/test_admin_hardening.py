"""Issue 11.8 and 11.b on the real stack (every service a process, Postgres, Redis): a suspended tenant keeps no access
anywhere (sessions, models, usage, its admin routes, chat on every wire format, the gRPC API), and two Authorization
headers are refused instead of taking the first."""
from __future__ import annotations

import os

import grpc
import httpx
import pytest

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2
from radiant.router.v1 import router_pb2, router_pb2_grpc
from services.stack.config import free_ports_env
from services.stack.launcher import Stack
from tests.grpc_helpers import internal_channel
from tests.conftest import _create_pg_database, _drop_pg_database

CHAT = {"model": "radiant-demo", "messages": [{"role": "user", "content": "hello"}]}
ANTHROPIC = {"model": "radiant-demo", "max_tokens": 8, "messages": [{"role": "user", "content": "hello"}]}
CONVERSE = {"messages": [{"role": "user", "content": [{"text": "hello"}]}]}
# What issue 11.8 found answering 200 for a suspended tenant, and the rest of its surface.
SURFACE = [("GET", "/api/v2/sessions", None), ("POST", "/api/v2/sessions", {"model": "radiant-demo"}),
           ("GET", "/v1/models", None), ("GET", "/v1/models/radiant-demo", None), ("GET", "/api/v2/usage", None),
           ("GET", "/api/v2/models", None), ("GET", "/api/v2/providers", None),
           ("GET", "/api/v2/admin/phi/policy", None), ("PUT", "/api/v2/admin/phi/policy", {"mode": "disabled"}),
           ("GET", "/api/v2/admin/context/products", None), ("GET", "/api/v2/admin/users", None),
           ("GET", "/api/v2/admin/keys", None), ("GET", "/api/v2/admin/audit-logs", None),
           ("POST", "/v1/chat/completions", CHAT), ("POST", "/api/v2/chat/completions", CHAT),
           ("POST", "/v1/embeddings", {"model": "radiant-demo-embedding", "input": "hello"}),
           ("POST", "/v1/messages", ANTHROPIC), ("POST", "/v1/messages/count_tokens", ANTHROPIC),
           ("POST", "/model/radiant-demo/converse", CONVERSE), ("GET", "/api/v2/health/ready", None)]


@pytest.fixture(scope="module")
def stack(redis_url, tmp_path_factory):
    db_name, db_url = _create_pg_database()
    api_key = "e2e-" + os.urandom(12).hex()
    env = {**free_ports_env(), "RADIANT_DATABASE_URL": db_url, "RADIANT_REDIS_URL": redis_url,
           "RADIANT_BOOTSTRAP_API_KEY": api_key, "RADIANT_ENV": "test",
           "RADIANT_USAGE_STREAM": f"radiant:usage:e2e:{os.urandom(8).hex()}"}
    s = Stack(env, tmp_path_factory.mktemp("stack"))
    s.start()
    try:
        yield s, api_key
    finally:
        s.stop()
        _drop_pg_database(db_name)


async def _tenant_with_admin(s: Stack) -> tuple[str, str, auth_pb2_grpc.AuthServiceStub, grpc.aio.Channel]:
    channel = internal_channel(s.grpc_addrs["auth"])
    auth = auth_pb2_grpc.AuthServiceStub(channel)
    tenant_id = f"s-{os.urandom(4).hex()}"
    await auth.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="Suspended clinic"))
    user = await auth.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant_id, email="boss@clinic.example",
                                                            roles=["admin"]))
    key = await auth.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="boss", user_id=user.id,
                                                               permissions=["completions", "embeddings", "admin",
                                                                            "health"]))
    return tenant_id, key.secret, auth, channel


async def test_a_suspended_tenant_is_refused_everywhere(stack):
    s, _ = stack
    tenant_id, secret, auth, channel = await _tenant_with_admin(s)
    headers = {"Authorization": f"Bearer {secret}"}
    router_channel = internal_channel(s.grpc_addrs["router"])
    router = router_pb2_grpc.RouterServiceStub(router_channel)
    md = (("authorization", f"Bearer {secret}"),)
    try:
        async with httpx.AsyncClient(base_url=s.http_url, headers=headers, timeout=30) as http:
            before = {path: (await http.request(m, path, json=body)).status_code for m, path, body in SURFACE}
            assert all(status < 300 for status in before.values()), before
            await router.ListModels(router_pb2.ListModelsRequest(), metadata=md)
            await auth.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant_id,
                                                                 status=common_pb2.TENANT_STATUS_SUSPENDED))
            for method, path, body in SURFACE:
                r = await http.request(method, path, json=body)
                assert r.status_code == 403 and "suspended" in r.text, (method, path, r.status_code, r.text[:200])
            r = await http.post("/v1/messages", headers={"x-api-key": secret, "Authorization": ""}, json=ANTHROPIC)
            assert r.status_code == 403
        for call in (lambda: router.ListModels(router_pb2.ListModelsRequest(), metadata=md),
                     lambda: router.CreateChatCompletion(router_pb2.ChatCompletionRequest(
                         model="radiant-demo", messages=[common_pb2.ChatMessage(role="user", text="hi")]),
                         metadata=md)):
            with pytest.raises(grpc.aio.AioRpcError) as exc:
                await call()
            assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED and "suspended" in exc.value.details()
    finally:
        await router_channel.close()
        await channel.close()


async def test_two_authorization_headers_are_refused(stack):
    s, api_key = stack
    async with httpx.AsyncClient(base_url=s.http_url, timeout=30) as http:
        for first, second in ((api_key, "someone-elses-key"), ("someone-elses-key", api_key)):
            headers = [("authorization", f"Bearer {first}"), ("authorization", f"Bearer {second}")]
            for method, path, body in (("POST", "/v1/chat/completions", CHAT), ("GET", "/api/v2/usage", None),
                                       ("POST", "/v1/messages", ANTHROPIC),
                                       ("POST", "/model/radiant-demo/converse", CONVERSE)):
                r = await http.request(method, path, headers=headers, json=body)
                assert r.status_code == 400 and "authorization" in r.text.lower(), (path, r.status_code, r.text[:200])
        r = await http.post("/v1/chat/completions", headers=[("x-api-key", api_key), ("x-api-key", "other")],
                            json=CHAT)
        assert r.status_code == 400
        r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"}, json=CHAT)
        assert r.status_code == 200
