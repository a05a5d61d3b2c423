"""Tenants, apps and users: CRUD, validation naming the field, conflicts, and tenant isolation."""
from __future__ import annotations

from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2

from tests.auth.conftest import rpc_error


async def test_tenant_crud(auth, tenant_id):
    stub = auth.stub
    created = await stub.CreateTenant(auth_pb2.CreateTenantRequest(
        id=tenant_id, name="Mercy Hospital", domain="Mercy.example.org", tier=3,
        settings=auth_pb2.TenantSettings(default_model="gpt-4o", allowed_providers=["openai"], requests_per_minute=60,
                                         tokens_per_day=1_000_000, monthly_budget="250.50")))
    assert (created.id, created.name, created.domain, created.tier) == (tenant_id, "Mercy Hospital",
                                                                        "mercy.example.org", 3)
    assert created.status == common_pb2.TENANT_STATUS_ACTIVE and created.app_id == "default"
    assert created.settings.monthly_budget == "250.50" and created.settings.tokens_per_day == 1_000_000
    got = await stub.GetTenant(auth_pb2.GetTenantRequest(id=tenant_id))
    assert got == created

    err = await rpc_error(stub.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="again")))
    assert err.code == "CONFLICT"

    updated = await stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant_id, name="Mercy", tier=5))
    assert (updated.name, updated.tier, updated.domain) == ("Mercy", 5, "mercy.example.org")
    assert updated.settings.default_model == "gpt-4o"  # untouched
    suspended = await stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant_id,
                                                                     status=common_pb2.TENANT_STATUS_SUSPENDED))
    assert suspended.status == common_pb2.TENANT_STATUS_SUSPENDED
    listed = await stub.ListTenants(auth_pb2.ListTenantsRequest(status=common_pb2.TENANT_STATUS_SUSPENDED,
                                                                page=common_pb2.PageRequest(page_size=500)))
    assert tenant_id in [t.id for t in listed.tenants]

    await stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant_id, status=common_pb2.TENANT_STATUS_DELETED))
    err = await rpc_error(stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant_id, name="back")))
    assert err.code == "UNPROCESSABLE_ENTITY"
    err = await rpc_error(stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="k")))
    assert err.code == "UNPROCESSABLE_ENTITY"

    generated = await stub.CreateTenant(auth_pb2.CreateTenantRequest(name="No id given"))
    assert generated.id and generated.tier == 1

    err = await rpc_error(stub.GetTenant(auth_pb2.GetTenantRequest(id="t-nobody-here")))
    assert err.code == "NOT_FOUND"


async def test_tenant_validation_names_the_field(auth):
    stub = auth.stub
    cases = [
        (auth_pb2.CreateTenantRequest(id="Bad_Id", name="x"), "id"),
        (auth_pb2.CreateTenantRequest(id="-x", name="x"), "id"),
        (auth_pb2.CreateTenantRequest(name=""), "name"),
        (auth_pb2.CreateTenantRequest(name="x", tier=6), "tier"),
        (auth_pb2.CreateTenantRequest(name="x", tier=-1), "tier"),
        (auth_pb2.CreateTenantRequest(name="x", domain="not a domain"), "domain"),
        (auth_pb2.CreateTenantRequest(name="x", settings=auth_pb2.TenantSettings(monthly_budget="lots")),
         "settings.monthly_budget"),
        (auth_pb2.CreateTenantRequest(name="x", settings=auth_pb2.TenantSettings(requests_per_minute=-5)),
         "settings.requests_per_minute"),
    ]
    for request, field in cases:
        err = await rpc_error(stub.CreateTenant(request))
        assert err.code == "VALIDATION_ERROR" and field in err.details, (request, err.details)
    err = await rpc_error(stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id="", name="x")))
    assert "id" in err.details
    err = await rpc_error(stub.ListTenants(auth_pb2.ListTenantsRequest(page=common_pb2.PageRequest(page_size=-1))))
    assert "page_size" in err.details


async def test_apps(auth, tenant):
    stub = auth.stub
    app = await stub.CreateApp(auth_pb2.CreateAppRequest(tenant_id=tenant.id, name="Think Tank"))
    assert (app.id, app.name, app.tenant_id) == ("think-tank", "Think Tank", tenant.id)
    err = await rpc_error(stub.CreateApp(auth_pb2.CreateAppRequest(tenant_id=tenant.id, name="Think Tank")))
    assert err.code == "CONFLICT"
    err = await rpc_error(stub.CreateApp(auth_pb2.CreateAppRequest(tenant_id=tenant.id, name=" ")))
    assert "name" in err.details
    apps = await stub.ListApps(auth_pb2.ListAppsRequest(tenant_id=tenant.id))
    assert sorted(a.id for a in apps.apps) == ["default", "think-tank"] and apps.page.total == 2
    err = await rpc_error(stub.ListApps(auth_pb2.ListAppsRequest(tenant_id="t-unknown-tenant")))
    assert err.code == "NOT_FOUND"


async def test_users(auth, tenant):
    stub = auth.stub
    user = await stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant.id, email="Nurse.Joy@Example.com",
                                                            subject="cognito-sub-1", roles=["clinician"],
                                                            groups=["admin"]))
    assert (user.email, user.app_id, user.status) == ("nurse.joy@example.com", "default", "active")
    assert await stub.GetUser(auth_pb2.GetUserRequest(tenant_id=tenant.id, id=user.id)) == user
    err = await rpc_error(stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant.id,
                                                                     email="nurse.joy@example.com")))
    assert err.code == "CONFLICT"
    for bad, field in [("", "email"), ("no-at-sign", "email"), ("a@b", "email")]:
        err = await rpc_error(stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant.id, email=bad)))
        assert err.code == "VALIDATION_ERROR" and field in err.details
    err = await rpc_error(stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant.id, email="x@example.com",
                                                                     roles=["has space"])))
    assert "roles" in err.details

    updated = await stub.UpdateUser(auth_pb2.UpdateUserRequest(tenant_id=tenant.id, id=user.id, roles=["auditor"],
                                                               status="suspended"))
    assert list(updated.roles) == ["auditor"] and list(updated.groups) == ["admin"] and updated.status == "suspended"
    err = await rpc_error(stub.UpdateUser(auth_pb2.UpdateUserRequest(tenant_id=tenant.id, id=user.id,
                                                                     status="sleeping")))
    assert "status" in err.details
    users = await stub.ListUsers(auth_pb2.ListUsersRequest(tenant_id=tenant.id))
    assert [u.id for u in users.users] == [user.id] and users.page.total == 1


async def test_tenant_isolation(auth, secrets_never_logged):
    stub = auth.stub
    a = await stub.CreateTenant(auth_pb2.CreateTenantRequest(name="Tenant A"))
    b = await stub.CreateTenant(auth_pb2.CreateTenantRequest(name="Tenant B"))
    b_key = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=b.id, name="b-key"))
    secrets_never_logged.append(b_key.secret)
    b_user = await stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=b.id, email="bob@b.example.com"))

    for call in (stub.RevokeApiKey(auth_pb2.RevokeApiKeyRequest(tenant_id=a.id, id=b_key.key.id)),
                 stub.RotateApiKey(auth_pb2.RotateApiKeyRequest(tenant_id=a.id, id=b_key.key.id)),
                 stub.GetUser(auth_pb2.GetUserRequest(tenant_id=a.id, id=b_user.id)),
                 stub.UpdateUser(auth_pb2.UpdateUserRequest(tenant_id=a.id, id=b_user.id, roles=["admin"]))):
        err = await rpc_error(call)
        assert err.code == "NOT_FOUND", err
    assert (await stub.ListApiKeys(auth_pb2.ListApiKeysRequest(tenant_id=a.id, include_revoked=True))).keys == []
    assert (await stub.ListUsers(auth_pb2.ListUsersRequest(tenant_id=a.id))).users == []
    # B's key and user are untouched.
    p = (await stub.Authenticate(auth_pb2.AuthenticateRequest(api_key=b_key.secret))).principal
    assert p.tenant_id == b.id
    assert list((await stub.GetUser(auth_pb2.GetUserRequest(tenant_id=b.id, id=b_user.id))).roles) == []
    # The same email may exist in two tenants.
    await stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=a.id, email="bob@b.example.com"))
