"""Every admin route, driven with each role and with a plain API key: the roles this table allows succeed, the others
get 403; another tenant's ids read as unknown (404) and nothing of another tenant is ever returned. The table is the
specification, written out here (not derived from services/auth/permissions.py), and it must name every admin route
the app serves."""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import grpc
import pytest

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2
from radiant.registry.v1 import registry_pb2, registry_pb2_grpc
from tests.grpc_helpers import internal_channel
from tests.router.admin.conftest import World, new_tenant
from tests.router.routes import api_routes

ALL = frozenset({"super_admin", "admin", "operator", "auditor"})
READERS = frozenset({"super_admin", "admin", "auditor"})
WRITERS = frozenset({"super_admin", "admin"})
OPERATORS = frozenset({"super_admin", "operator"})
PLATFORM = frozenset({"super_admin"})
CALLERS = ("super_admin", "admin", "operator", "auditor", "plain")


@dataclass
class Env:
    auth: auth_pb2_grpc.AuthServiceStub
    registry: registry_pb2_grpc.RegistryServiceStub
    world: World
    http: object
    demo_provider_id: str

    def actor(self, role: str = "admin", user_id: str = "someone-else") -> common_pb2.Principal:
        return common_pb2.Principal(tenant_id=self.world.a, user_id=user_id, roles=[role],
                                    tenant_status=common_pb2.TENANT_STATUS_ACTIVE,
                                    auth_method=common_pb2.AUTH_METHOD_JWT)


Setup = Callable[[Env], Awaitable[dict]]


async def _none(env: Env) -> dict:
    return {}


async def user(env: Env) -> dict:
    u = await env.auth.CreateUser(auth_pb2.CreateUserRequest(tenant_id=env.world.a,
                                                             email=f"u-{uuid.uuid4().hex[:8]}@example.org"))
    return {"id": u.id}


async def app(env: Env) -> dict:
    a = await env.auth.CreateApp(auth_pb2.CreateAppRequest(tenant_id=env.world.a, name=f"app {uuid.uuid4().hex[:8]}"))
    return {"id": a.id}


async def key(env: Env) -> dict:
    k = await env.auth.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=env.world.a, name="victim",
                                                                 permissions=["completions"]))
    return {"id": k.key.id}


async def invitation(env: Env) -> dict:
    r = await env.auth.CreateInvitation(auth_pb2.CreateInvitationRequest(
        tenant_id=env.world.a, email=f"i-{uuid.uuid4().hex[:8]}@example.org", role="auditor", actor=env.actor()))
    return {"id": r.invitation.id}


async def promotion(env: Env) -> dict:
    u = await env.auth.CreateUser(auth_pb2.CreateUserRequest(
        tenant_id=env.world.a, email=f"p-{uuid.uuid4().hex[:8]}@example.org", roles=["auditor"]))
    p = await env.auth.RequestPromotion(auth_pb2.RequestPromotionRequest(
        tenant_id=env.world.a, user_id=u.id, role="operator", actor=env.actor()))
    return {"id": p.id}


async def tenant(env: Env) -> dict:
    return {"id": await new_tenant(env.auth, "tx")}


async def provider(env: Env) -> dict:
    p = await env.registry.CreateProvider(registry_pb2.CreateProviderRequest(provider=registry_pb2.Provider(
        name=f"prov-{uuid.uuid4().hex[:8]}", type=registry_pb2.PROVIDER_TYPE_SELF_HOSTED,
        api_format=registry_pb2.API_FORMAT_OPENAI, base_url="http://127.0.0.1:9/v1")))
    return {"id": p.id}


async def model(env: Env) -> dict:
    m = await env.registry.CreateModel(registry_pb2.CreateModelRequest(model=registry_pb2.Model(
        provider_id=env.demo_provider_id, name=f"model-{uuid.uuid4().hex[:8]}")))
    return {"id": m.id}


async def product(env: Env) -> dict:
    pid = f"p{uuid.uuid4().hex[:8]}"
    r = await env.http.put(f"/api/v2/admin/context/products/{pid}", headers=env.world.who["admin"].headers,
                           json={"name": "Stethoscope"})
    assert r.status_code == 200, r.text
    return {"id": pid}


def _email() -> dict:
    return {"email": f"n-{uuid.uuid4().hex[:8]}@example.org"}


@dataclass
class Case:
    method: str
    path: str  # {id} filled by setup, {a} is tenant A
    allowed: frozenset[str]
    setup: Setup = _none
    body: Callable[[Env], dict | None] = lambda env: None
    scoped: bool = True  # tenant data: every caller names tenant A (?tenant_id=), its own or, for super_admin, not
    ok: tuple[int, ...] = (200, 201)
    kind: str = field(default="")


CASES = [
    Case("GET", "/api/v2/admin/tenants", ALL, scoped=False),
    Case("POST", "/api/v2/admin/tenants", PLATFORM, scoped=False,
         body=lambda env: {"id": f"tn-{uuid.uuid4().hex[:8]}", "name": "New tenant", "tier": 2}),
    Case("GET", "/api/v2/admin/tenants/{a}", ALL, scoped=False),
    Case("PATCH", "/api/v2/admin/tenants/{id}", PLATFORM, tenant, scoped=False,
         body=lambda env: {"name": "Renamed", "settings": {"max_tokens_per_request": 500}}),
    Case("POST", "/api/v2/admin/tenants/{id}/suspend", PLATFORM, tenant, scoped=False),
    Case("POST", "/api/v2/admin/tenants/{id}/reactivate", PLATFORM, tenant, scoped=False),
    Case("DELETE", "/api/v2/admin/tenants/{id}", PLATFORM, tenant, scoped=False),
    Case("GET", "/api/v2/admin/apps", READERS),
    Case("POST", "/api/v2/admin/apps", WRITERS, body=lambda env: {"name": f"App {uuid.uuid4().hex[:8]}"}),
    Case("GET", "/api/v2/admin/apps/{id}", READERS, app),
    Case("PATCH", "/api/v2/admin/apps/{id}", WRITERS, app, body=lambda env: {"name": f"R {uuid.uuid4().hex[:8]}"}),
    Case("GET", "/api/v2/admin/users", READERS),
    Case("POST", "/api/v2/admin/users", WRITERS, body=lambda env: {**_email(), "roles": ["clinician"]}),
    Case("GET", "/api/v2/admin/users/{id}", READERS, user),
    Case("PATCH", "/api/v2/admin/users/{id}", WRITERS, user, body=lambda env: {"roles": ["nurse"]}),
    Case("POST", "/api/v2/admin/users/{id}/disable", WRITERS, user),
    Case("POST", "/api/v2/admin/users/{id}/enable", WRITERS, user),
    Case("DELETE", "/api/v2/admin/users/{id}", WRITERS, user),
    Case("GET", "/api/v2/admin/keys", READERS),
    Case("POST", "/api/v2/admin/keys", WRITERS, body=lambda env: {"name": "ci", "permissions": ["completions"]}),
    Case("GET", "/api/v2/admin/keys/{id}", READERS, key),
    Case("POST", "/api/v2/admin/keys/{id}/revoke", WRITERS, key),
    Case("POST", "/api/v2/admin/keys/{id}/rotate", WRITERS, key, body=lambda env: {"grace_period_seconds": 60}),
    Case("GET", "/api/v2/admin/invitations", READERS),
    Case("POST", "/api/v2/admin/invitations", WRITERS, body=lambda env: {**_email(), "role": "auditor"}),
    Case("GET", "/api/v2/admin/invitations/{id}", READERS, invitation),
    Case("DELETE", "/api/v2/admin/invitations/{id}", WRITERS, invitation),
    Case("POST", "/api/v2/admin/invitations/{id}/resend", WRITERS, invitation),
    Case("GET", "/api/v2/admin/promotions", READERS),
    Case("POST", "/api/v2/admin/promotions", WRITERS, user, body=lambda env: None),  # body from setup (below)
    Case("GET", "/api/v2/admin/promotions/{id}", READERS, promotion),
    Case("POST", "/api/v2/admin/promotions/{id}/approve", WRITERS, promotion),
    Case("POST", "/api/v2/admin/promotions/{id}/reject", WRITERS, promotion),
    Case("GET", "/api/v2/admin/audit-logs", READERS),
    Case("GET", "/api/v2/admin/phi/policy", ALL),
    Case("PUT", "/api/v2/admin/phi/policy", WRITERS, body=lambda env: {"mode": "auto"}),
    Case("DELETE", "/api/v2/admin/phi/policy", WRITERS),
    Case("GET", "/api/v2/admin/context/products", ALL),
    Case("PUT", "/api/v2/admin/context/products/{id}", WRITERS, product, body=lambda env: {"name": "Otoscope"}),
    Case("DELETE", "/api/v2/admin/context/products/{id}", WRITERS, product),
    Case("GET", "/api/v2/admin/providers", ALL, scoped=False),
    Case("POST", "/api/v2/admin/providers", PLATFORM, scoped=False,
         body=lambda env: {"name": f"p-{uuid.uuid4().hex[:8]}", "type": "self-hosted", "api_format": "openai",
                           "base_url": "http://127.0.0.1:9/v1"}),
    Case("GET", "/api/v2/admin/providers/{id}", ALL, provider, scoped=False),
    Case("PATCH", "/api/v2/admin/providers/{id}", OPERATORS, provider, scoped=False,
         body=lambda env: {"status": "inactive"}, kind="operational"),
    Case("PATCH", "/api/v2/admin/providers/{id}", PLATFORM, provider, scoped=False,
         body=lambda env: {"base_url": "http://127.0.0.1:10/v1"}, kind="edit"),
    Case("DELETE", "/api/v2/admin/providers/{id}", PLATFORM, provider, scoped=False),
    Case("PUT", "/api/v2/providers/{id}", OPERATORS, provider, scoped=False, body=lambda env: {"status": "inactive"},
         kind="operational"),
    Case("PATCH", "/api/v2/providers/{id}", PLATFORM, provider, scoped=False,
         body=lambda env: {"hipaa_compliant": True}, kind="edit"),
    Case("GET", "/api/v2/admin/models", ALL, scoped=False),
    Case("POST", "/api/v2/admin/models", PLATFORM, scoped=False,
         body=lambda env: {"provider_id": env.demo_provider_id, "name": f"m-{uuid.uuid4().hex[:8]}"}),
    Case("GET", "/api/v2/admin/models/{id}", ALL, model, scoped=False),
    Case("PATCH", "/api/v2/admin/models/{id}", OPERATORS, model, scoped=False, body=lambda env: {"thermal_state": "OFF"},
         kind="operational"),
    Case("PATCH", "/api/v2/admin/models/{id}", PLATFORM, model, scoped=False,
         body=lambda env: {"display_name": "Renamed", "fallback_models": ["radiant-demo"]}, kind="edit"),
    Case("DELETE", "/api/v2/admin/models/{id}", PLATFORM, model, scoped=False),
    Case("PUT", "/api/v2/models/{id}", OPERATORS, model, scoped=False, body=lambda env: {"thermal_state": "WARM"},
         kind="operational"),
    Case("PATCH", "/api/v2/models/{id}", PLATFORM, model, scoped=False,
         body=lambda env: {"display_name": "Seed rename"}, kind="edit"),
]


@pytest.fixture(scope="module")
async def env(stack, world):
    ch = internal_channel(stack.services["registry"].address)
    auth = await stack.auth_stub()
    import httpx
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as client:
        yield Env(auth, registry_pb2_grpc.RegistryServiceStub(ch), world, client, stack.demo_provider_id)
    await ch.close()


def _admin_routes(app) -> set[tuple[str, str]]:
    out = set()
    for path, route in api_routes(app):
        seed_catalogue_write = path in ("/api/v2/models/{model_id}", "/api/v2/providers/{provider_id}")
        for method in route.methods:
            if path.startswith("/api/v2/admin/") or (seed_catalogue_write and method in ("PUT", "PATCH")):
                out.add((method, path))
    return out


def _template(path: str) -> str:
    """The table's path in the app's notation."""
    for name in ("tenant_id", "app_id", "user_id", "key_id", "invitation_id", "promotion_id", "provider_id",
                 "model_id", "product_id"):
        resource = name.removesuffix("_id")
        prefix = {"tenant": "/tenants/", "app": "/apps/", "user": "/users/", "key": "/keys/",
                  "invitation": "/invitations/", "promotion": "/promotions/", "provider": "/providers/",
                  "model": "/models/", "product": "/products/"}[resource]
        path = path.replace(prefix + "{id}", prefix + "{" + name + "}").replace(prefix + "{a}", prefix + "{" + name + "}")
    return path


def test_the_table_names_every_admin_route(stack):
    assert _admin_routes(stack.router_app) == {(c.method, _template(c.path)) for c in CASES}


def _ids(case: Case) -> str:
    return f"{case.method} {case.path}{' ' + case.kind if case.kind else ''}"


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
async def test_each_role_is_allowed_exactly_what_the_matrix_says(env, case):
    w = env.world
    for caller in CALLERS:
        params = await case.setup(env)
        path = case.path.format(a=w.a, id=params.get("id", ""))
        query = {"tenant_id": w.a} if case.scoped else {}
        body = case.body(env)
        if case.path == "/api/v2/admin/promotions" and case.method == "POST":
            body = {"user_id": params["id"], "role": "auditor"}
        r = await env.http.request(case.method, path, params=query, json=body, headers=w.who[caller].headers)
        allowed = caller in case.allowed
        if allowed:
            assert r.status_code in case.ok, (caller, r.status_code, r.text)
            assert r.json()["success"] is True
        else:
            assert r.status_code == 403, (caller, r.status_code, r.text)
            assert r.json()["error"]["code"] == "FORBIDDEN"
        if caller != "super_admin" or case.scoped:  # the super admin, unscoped, sees every tenant
            assert w.b not in r.text, f"{caller} saw tenant B's data"


async def _b_resources(env: Env) -> dict[str, str]:
    w = env.world
    actor = common_pb2.Principal(tenant_id=w.b, user_id="b-someone", roles=["admin"],
                                 tenant_status=common_pb2.TENANT_STATUS_ACTIVE)
    u = await env.auth.CreateUser(auth_pb2.CreateUserRequest(tenant_id=w.b, email="b-user@example.org",
                                                             roles=["auditor"]))
    a = await env.auth.CreateApp(auth_pb2.CreateAppRequest(tenant_id=w.b, name="B only app"))
    k = await env.auth.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=w.b, name="b key"))
    i = await env.auth.CreateInvitation(auth_pb2.CreateInvitationRequest(tenant_id=w.b, email="b-inv@example.org",
                                                                         role="auditor", actor=actor))
    p = await env.auth.RequestPromotion(auth_pb2.RequestPromotionRequest(tenant_id=w.b, user_id=u.id,
                                                                         role="operator", actor=actor))
    return {"users": u.id, "apps": a.id, "keys": k.key.id, "invitations": i.invitation.id, "promotions": p.id}


async def test_another_tenants_ids_are_unknown_and_its_tenant_is_out_of_reach(env):
    w = env.world
    b = await _b_resources(env)
    for caller in ("admin", "operator", "auditor"):
        h = w.who[caller].headers
        for resource, rid in b.items():
            r = await env.http.get(f"/api/v2/admin/{resource}/{rid}", headers=h)
            assert r.status_code in (403, 404), (caller, resource, r.status_code)
            if caller != "operator":  # the operator may not read these at all (403 above)
                assert r.status_code == 404, (caller, resource, r.text)
            assert w.b not in r.text  # (the message may repeat the id the caller sent, nothing more)
            r = await env.http.get(f"/api/v2/admin/{resource}/{rid}", params={"tenant_id": w.b}, headers=h)
            assert r.status_code == 403 and w.b not in r.text
            if caller != "operator":
                assert r.json()["error"]["message"] == "Access to tenant denied"
        r = await env.http.get(f"/api/v2/admin/tenants/{w.b}", headers=h)
        assert r.status_code == 404 and w.b not in r.json()["error"]["message"].replace(w.b, "", 1)
        listed = await env.http.get("/api/v2/admin/tenants", headers=h)
        assert [t["id"] for t in listed.json()["data"]["tenants"]] == [w.a]
    admin = w.who["admin"].headers
    for path, body in ((f"/api/v2/admin/users/{b['users']}", {"roles": []}),
                       (f"/api/v2/admin/apps/{b['apps']}", {"name": "stolen"})):
        assert (await env.http.patch(path, json=body, headers=admin)).status_code == 404
    assert (await env.http.post(f"/api/v2/admin/keys/{b['keys']}/revoke", headers=admin)).status_code == 404
    assert (await env.http.delete(f"/api/v2/admin/users/{b['users']}", headers=admin)).status_code == 404
    assert (await env.http.post(f"/api/v2/admin/promotions/{b['promotions']}/approve",
                                headers=admin)).status_code == 404
    assert (await env.http.delete(f"/api/v2/admin/invitations/{b['invitations']}", headers=admin)).status_code == 404
    # B's key still works: nothing happened to it.
    me = await env.auth.GetApiKey(auth_pb2.GetApiKeyRequest(tenant_id=w.b, id=b["keys"]))
    assert not me.revoked
    # The super admin reaches B, by naming it.
    sa = w.who["super_admin"].headers
    r = await env.http.get(f"/api/v2/admin/users/{b['users']}", params={"tenant_id": w.b}, headers=sa)
    assert r.status_code == 200 and r.json()["data"]["user"]["tenant_id"] == w.b


async def test_roles_cannot_be_granted_by_editing_users_or_keys(env):
    w = env.world
    admin = w.who["admin"].headers
    r = await env.http.post("/api/v2/admin/users", headers=admin, json={**_email(), "roles": ["admin"]})
    assert r.status_code == 403 and "invitation" in r.json()["error"]["message"]
    target = await user(env)
    r = await env.http.patch(f"/api/v2/admin/users/{target['id']}", headers=admin, json={"groups": ["operator"]})
    assert r.status_code == 403
    r = await env.http.post("/api/v2/admin/keys", headers=admin, json={"name": "x", "roles": ["super_admin"]})
    assert r.status_code == 403 and "super_admin" in r.json()["error"]["message"]
    r = await env.http.post("/api/v2/admin/invitations", headers=admin, json={**_email(), "role": "super_admin"})
    assert r.status_code == 403
    # Dropping an admin role is allowed.
    demoted = await env.auth.CreateUser(auth_pb2.CreateUserRequest(tenant_id=w.a, email="d@example.org",
                                                                   roles=["auditor", "clinician"]))
    r = await env.http.patch(f"/api/v2/admin/users/{demoted.id}", headers=admin, json={"roles": ["clinician"]})
    assert r.status_code == 200 and r.json()["data"]["user"]["roles"] == ["clinician"]
