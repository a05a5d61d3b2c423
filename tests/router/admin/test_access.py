"""The one place every route crosses (services.router.access via deps.allow): every route but the public ones
declares its action; a suspended tenant is refused on every route and surface (REST, OpenAI, Anthropic, Bedrock,
gRPC) and a deleted one is not recognised; a repeated Authorization or X-API-Key header is a 400 (issue 11.8, 11.b)."""
from __future__ import annotations

import re

import grpc
import httpx
import pytest

from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2
from radiant.router.v1 import router_pb2, router_pb2_grpc
from services.router.edge.app import build_pipeline
from services.router.grpc_api import RouterServicer
from services.runtime.grpc_server import start_server
from tests.grpc_helpers import internal_channel
from tests.router.admin.conftest import new_tenant, person
from tests.router.routes import api_routes

# Routes anyone may call: probes, version, metrics, the API's own documents, accepting an invitation (its token is
# the credential).
PUBLIC = {"/healthz", "/readyz", "/version", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect",
          "/api/v2/health", "/api/v2/invitations/accept",
          # the console's page shells: they hold no data; their scripts call the API with the signed-in credential
          "/console", "/console/signin", "/console/{view}"}


def _declared_actions(route) -> set[str]:
    found, stack = set(), [route.dependant]
    while stack:
        dependant = stack.pop()
        action = getattr(dependant.call, "radiant_action", None)
        if action:
            found.add(action)
        stack.extend(dependant.dependencies)
    return found


# GraphQL authorizes in each resolver (the same services.router.access call): _every_surface sends it an operation
# of each kind instead.
PER_OPERATION = {"/graphql"}
GRAPHQL_OPERATIONS = {
    "query": "{ models { totalCount } }",
    "mutation": 'mutation { chat(input: {model: "radiant-demo", messages: [{role: user, content: "hi"}]}) { id } }',
}


def _all_routes(app):
    """(method, path) of every operation, and the route object."""
    for path, route in api_routes(app):
        if path in PER_OPERATION:
            continue
        for method in sorted(route.methods - {"HEAD"}):
            yield method, path, route


def test_every_route_declares_its_action(stack):
    seen_public = set()
    for method, path, route in _all_routes(stack.router_app):
        actions = _declared_actions(route)
        if path in PUBLIC:
            seen_public.add(path)
            assert not actions or path == "/api/v2/health", (method, path)
            continue
        assert len(actions) == 1, f"{method} {path} must get its principal from deps.allow(<action>)"
    assert seen_public == {p for p in PUBLIC if not p.startswith(("/openapi", "/docs"))}


def _url(path: str) -> str:
    # Fill path parameters with something that passes their patterns.
    return re.sub(r"\{[^}:]+(:[^}]+)?\}", "x1", path)


@pytest.fixture(scope="module")
async def router_stub(stack):
    pipeline = build_pipeline(stack.router_settings)
    running = await start_server("router", stack.router_settings,
                                 lambda s: router_pb2_grpc.add_RouterServiceServicer_to_server(RouterServicer(pipeline),
                                                                                               s),
                                 ["radiant.router.v1.RouterService"], port=0)
    channel = internal_channel(running.address)
    yield router_pb2_grpc.RouterServiceStub(channel)
    await channel.close()
    await running.stop(0)
    await pipeline.close()


async def _every_surface(stack, router_stub, headers: dict[str, str]) -> dict[str, tuple[int, str]]:
    """Status and body of every non-public route (and the gRPC methods) for these credentials."""
    out = {}
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as http:
        for method, path, _ in _all_routes(stack.router_app):
            if path in PUBLIC:
                continue
            r = await http.request(method, _url(path), headers=headers,
                                   json={} if method in ("POST", "PUT", "PATCH") else None)
            out[f"{method} {path}"] = (r.status_code, r.text)
        for kind, query in GRAPHQL_OPERATIONS.items():
            r = await http.post("/graphql", headers=headers, json={"query": query})
            out[f"graphql {kind}"] = (r.status_code, r.text)
    md = tuple((k.lower(), v) for k, v in headers.items())
    req = router_pb2.ChatCompletionRequest(model="radiant-demo",
                                           messages=[common_pb2.ChatMessage(role="user", text="hi")])
    calls = {"CreateChatCompletion": lambda: router_stub.CreateChatCompletion(req, metadata=md),
             "ListModels": lambda: router_stub.ListModels(router_pb2.ListModelsRequest(), metadata=md),
             "CreateEmbeddings": lambda: router_stub.CreateEmbeddings(router_pb2.EmbeddingsRequest(), metadata=md)}
    for name, make in calls.items():
        try:
            await make()
            out[f"grpc {name}"] = (0, "OK")
        except grpc.aio.AioRpcError as exc:
            out[f"grpc {name}"] = (exc.code().value[0], exc.details() or "")
    try:
        async for _ in router_stub.StreamChatCompletion(req, metadata=md):
            pass
        out["grpc StreamChatCompletion"] = (0, "OK")
    except grpc.aio.AioRpcError as exc:
        out["grpc StreamChatCompletion"] = (exc.code().value[0], exc.details() or "")
    return out


async def test_a_suspended_tenant_is_refused_on_every_route(stack, router_stub):
    auth = await stack.auth_stub()
    tenant = await new_tenant(auth, "susp")
    boss = await person(auth, tenant, "super_admin")  # every permission and role: only the status can refuse
    async with httpx.AsyncClient(base_url=stack.base_url, headers=boss.headers, timeout=20) as http:
        assert (await http.get("/v1/models")).status_code == 200
        assert (await http.get("/api/v2/sessions")).status_code == 200
    await auth.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant, status=common_pb2.TENANT_STATUS_SUSPENDED))
    results = await _every_surface(stack, router_stub, boss.headers)
    permission_denied = grpc.StatusCode.PERMISSION_DENIED.value[0]
    assert {"graphql query", "graphql mutation"} <= set(results)
    for where, (status, body) in results.items():
        assert status in (403, permission_denied), (where, status, body[:200])
        assert "suspended" in body, (where, body[:200])
    assert len(results) > 50
    # x-api-key and the Anthropic / Bedrock shapes too.
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as http:
        r = await http.post("/v1/messages", headers={"x-api-key": boss.key}, json={
            "model": "radiant-demo", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]})
        assert r.status_code == 403 and r.json()["type"] == "error"
        r = await http.post("/model/radiant-demo/converse", headers=boss.headers,
                            json={"messages": [{"role": "user", "content": [{"text": "hi"}]}]})
        assert r.status_code == 403 and r.headers["x-amzn-errortype"].startswith("AccessDenied")
    # Reactivated: served again at once (the suspension evicted the cached decisions; so does this).
    await auth.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant, status=common_pb2.TENANT_STATUS_ACTIVE))
    async with httpx.AsyncClient(base_url=stack.base_url, headers=boss.headers, timeout=20) as http:
        assert (await http.get("/api/v2/sessions")).status_code == 200


async def test_a_deleted_tenant_is_not_recognised_anywhere(stack, router_stub):
    auth = await stack.auth_stub()
    tenant = await new_tenant(auth, "gone")
    boss = await person(auth, tenant, "super_admin")
    await auth.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant, status=common_pb2.TENANT_STATUS_DELETED))
    unauthenticated = grpc.StatusCode.UNAUTHENTICATED.value[0]
    for where, (status, body) in (await _every_surface(stack, router_stub, boss.headers)).items():
        # Bedrock's wire format has no 401: bad credentials are its AccessDeniedException (403).
        expected = (403,) if where.startswith("POST /model/") else (401, unauthenticated)
        assert status in expected and "deleted" in body, (where, status, body[:200])


async def test_suspending_over_rest_takes_effect_at_once(stack, world):
    auth = await stack.auth_stub()
    tenant = await new_tenant(auth, "rest")
    member = await person(auth, tenant, "admin")
    sa = world.who["super_admin"].headers
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as http:
        assert (await http.get("/api/v2/admin/phi/policy", headers=member.headers)).status_code == 200
        r = await http.post(f"/api/v2/admin/tenants/{tenant}/suspend", headers=sa)
        assert r.status_code == 200 and r.json()["data"]["tenant"]["status"] == "suspended"
        r = await http.put("/api/v2/admin/phi/policy", headers=member.headers, json={"mode": "disabled"})
        assert r.status_code == 403 and "suspended" in r.json()["error"]["message"]
        assert (await http.post(f"/api/v2/admin/tenants/{world.platform}/suspend", headers=sa)).status_code == 422
        r = await http.post(f"/api/v2/admin/tenants/{tenant}/reactivate", headers=sa)
        assert r.status_code == 200
        assert (await http.get("/api/v2/admin/phi/policy", headers=member.headers)).status_code == 200
        entries = (await http.get("/api/v2/admin/audit-logs", headers=sa, params={"tenant_id": tenant})).json()
        steps = [(e["action"], e["before"]["status"], e["after"]["status"]) for e in entries["data"]["entries"]]
        assert steps == [("tenant.reactivate", "suspended", "active"), ("tenant.suspend", "active", "suspended")]


async def test_repeated_credentials_are_refused(stack, world, router_stub):
    key = world.who["admin"].key
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as http:
        for path, method, body in (("/v1/models", "GET", None), ("/api/v2/usage", "GET", None),
                                   ("/v1/messages", "POST", {"model": "radiant-demo", "max_tokens": 5,
                                                             "messages": [{"role": "user", "content": "hi"}]}),
                                   ("/model/radiant-demo/converse", "POST",
                                    {"messages": [{"role": "user", "content": [{"text": "hi"}]}]})):
            for headers in ([("authorization", f"Bearer {key}"), ("authorization", "Bearer someone-else")],
                            [("authorization", f"Bearer {key}"), ("authorization", f"Bearer {key}")],
                            [("x-api-key", key), ("x-api-key", "other")]):
                r = await http.request(method, path, headers=headers, json=body)
                assert r.status_code == 400, (path, headers[0][0], r.status_code, r.text)
                assert "more than once" in r.text or "one " in r.text
            assert (await http.request(method, path, headers={"Authorization": f"Bearer {key}"}, json=body)
                    ).status_code == 200, path
    md = (("authorization", f"Bearer {key}"), ("authorization", "Bearer other"))
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await router_stub.ListModels(router_pb2.ListModelsRequest(), metadata=md)
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
