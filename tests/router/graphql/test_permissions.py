"""The REST permission and tenant-isolation rules, through GraphQL: the same matrix decides (catalogue updates for
super admins and operators, other fields for super admins only), credentials and tenant status are checked as on
REST, and nothing of another tenant or user is ever returned."""
from __future__ import annotations

import uuid

import httpx
import pytest

from radiant.auth.v1 import auth_pb2
from tests.router.admin.conftest import new_tenant, person
from tests.router.graphql.conftest import gql

UPDATE_STATE = """mutation ($id: ID!, $s: ThermalState) { updateModel(input: {id: $id, thermalState: $s})
  { id thermalState } }"""
RENAME = """mutation ($id: ID!) { updateModel(input: {id: $id, displayName: "Renamed"}) { displayName } }"""
PROVIDER_STATUS = """mutation ($id: ID!, $s: ProviderStatus) { updateProvider(input: {id: $id, status: $s})
  { id status } }"""


async def _self_hosted(stack, world) -> dict:
    r = await gql(stack, world.who["super_admin"], "{ models(limit: 100) { items { id thermalState providerId } } }")
    return next(m for m in r.json()["data"]["models"]["items"] if m["thermalState"] == "WARM")


def _error(r) -> dict:
    return r.json()["errors"][0]["extensions"]


@pytest.mark.parametrize("caller,allowed", [("super_admin", True), ("operator", True), ("admin", False),
                                            ("auditor", False), ("plain", False)])
async def test_thermal_state_follows_the_permission_matrix(stack, world, caller, allowed):
    model = await _self_hosted(stack, world)
    r = await gql(stack, world.who[caller], UPDATE_STATE, {"id": model["id"], "s": "WARM"})
    if allowed:
        assert r.status_code == 200 and r.json()["data"]["updateModel"]["thermalState"] == "WARM"
    else:
        assert r.status_code == 403 and _error(r)["code"] == "FORBIDDEN" and r.json()["data"] is None


async def test_editing_other_fields_needs_a_super_admin(stack, world):
    model = await _self_hosted(stack, world)
    r = await gql(stack, world.who["operator"], RENAME, {"id": model["id"]})
    assert r.status_code == 403 and "super_admin" in r.json()["errors"][0]["message"]
    assert (await gql(stack, world.who["super_admin"], RENAME, {"id": model["id"]})).json()["data"]["updateModel"] \
        == {"displayName": "Renamed"}


async def test_provider_status_for_operators_only(stack, world):
    model = await _self_hosted(stack, world)
    denied = await gql(stack, world.who["auditor"], PROVIDER_STATUS, {"id": model["providerId"], "s": "INACTIVE"})
    assert denied.status_code == 403
    current = (await gql(stack, world.who["operator"], "query ($id: ID!) { provider(id: $id) { status } }",
                         {"id": model["providerId"]})).json()["data"]["provider"]["status"]
    r = await gql(stack, world.who["operator"], PROVIDER_STATUS, {"id": model["providerId"], "s": current})
    assert r.json()["data"]["updateProvider"] == {"id": model["providerId"], "status": current}


async def test_an_empty_update_is_refused_like_rest(stack, world):
    model = await _self_hosted(stack, world)
    r = await gql(stack, world.who["operator"], "mutation ($id: ID!) { updateModel(input: {id: $id}) { id } }",
                  {"id": model["id"]})
    assert r.status_code == 400 and r.json()["errors"][0]["message"] == "No updates provided"


async def test_missing_or_invalid_credentials_are_401(stack, world):
    for headers in ({}, {"Authorization": "Bearer rk-not-a-key"}):
        r = await gql(stack, headers, "{ models { items { id } } }")
        assert r.status_code == 401 and _error(r)["code"] == "UNAUTHORIZED"


async def test_a_repeated_credential_header_is_400(stack, world):
    key = world.who["plain"].key
    r = await gql(stack, None, "{ models { items { id } } }", headers=[("authorization", f"Bearer {key}"),
                                                                        ("authorization", f"Bearer {key}")])
    assert r.status_code == 400 and _error(r)["details"] == {"authorization": ["sent more than once"]}


async def test_a_suspended_tenant_is_refused(stack, world):
    auth = await stack.auth_stub()
    tenant = await new_tenant(auth, "susp")
    who = await person(auth, tenant, "admin")
    assert (await gql(stack, who, "{ models { totalCount } }")).status_code == 200
    async with httpx.AsyncClient(base_url=stack.base_url) as http:
        suspended = await http.post(f"/api/v2/admin/tenants/{tenant}/suspend", headers=world.who["super_admin"].headers)
    assert suspended.status_code == 200, suspended.text
    for query in ("{ models { totalCount } }",
                  'mutation { chat(input: {model: "radiant-demo", messages: [{role: user, content: "hi"}]}) { id } }'):
        r = await gql(stack, who, query)
        assert r.status_code == 403 and "suspended" in r.json()["errors"][0]["message"]


async def test_usage_of_another_tenant_only_for_a_super_admin(stack, world):
    query = """query ($t: ID!) { usage(tenantId: $t, startDate: "2000-01-01T00:00:00Z",
        endDate: "2100-01-01T00:00:00Z") { tenantId } }"""
    denied = await gql(stack, world.who["admin"], query, {"t": world.b})
    assert denied.status_code == 403 and denied.json()["errors"][0]["message"] == "Access to tenant denied"
    r = await gql(stack, world.who["super_admin"], query, {"t": world.b})
    assert r.json()["data"]["usage"]["tenantId"] == world.b
    # REST decides the same way.
    async with httpx.AsyncClient(base_url=stack.base_url) as http:
        rest_denied = await http.get("/api/v2/usage", params={"tenant_id": world.b}, headers=world.who["admin"].headers)
        rest = await http.get("/api/v2/usage", params={"tenant_id": world.b}, headers=world.who["super_admin"].headers)
    assert rest_denied.status_code == 403 and rest.json()["data"]["tenantId"] == world.b


async def test_sessions_are_the_callers_own(stack, world):
    owner, other = world.who["plain"], world.who["b_admin"]
    created = (await gql(stack, owner, 'mutation { createSession(input: {model: "radiant-demo", title: "Mine"}) '
                                       '{ id } }')).json()["data"]["createSession"]
    read = await gql(stack, other, "query ($id: ID!) { session(id: $id) { id title } }", {"id": created["id"]})
    assert read.json()["data"] == {"session": None}
    listed = await gql(stack, other, "query ($u: ID!) { sessions(userId: $u) { items { id } } }",
                       {"u": owner.user_id})
    assert listed.status_code == 403 and _error(listed)["details"] == {"userId": ["must be the caller's own user id"]}
    deleted = await gql(stack, other, "mutation ($id: ID!) { deleteSession(id: $id) }", {"id": created["id"]})
    assert deleted.status_code == 404
    still = await gql(stack, owner, "query ($id: ID!) { session(id: $id) { title } }", {"id": created["id"]})
    assert still.json()["data"] == {"session": {"title": "Mine"}}


async def test_a_tenants_blocked_model_is_invisible_and_refused(stack, world):
    auth = await stack.auth_stub()
    tenant = await new_tenant(auth, "blk")
    await auth.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant, settings=auth_pb2.TenantSettings(
        blocked_models=["radiant-demo"])))
    who = await person(auth, tenant, None, ["completions"])
    names = {m["name"] for m in (await gql(stack, who, "{ models(limit: 100) { items { name } } }")).json()[
        "data"]["models"]["items"]}
    assert "radiant-demo" not in names and names
    r = await gql(stack, who, 'mutation { chat(input: {model: "radiant-demo", messages: [{role: user, '
                              'content: "hi"}]}) { id } }')
    assert r.status_code == 403 and _error(r)["code"] == "FORBIDDEN"


async def test_unknown_session_ids_are_clear_errors(stack, world):
    r = await gql(stack, world.who["plain"], 'query { session(id: "not-a-uuid") { id } }')
    assert r.status_code == 400 and _error(r)["details"] == {"id": ["must be a UUID"]}
    assert (await gql(stack, world.who["plain"], "query ($id: ID!) { session(id: $id) { id } }",
                      {"id": str(uuid.uuid4())})).json()["data"] == {"session": None}
