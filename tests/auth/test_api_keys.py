"""API-key lifecycle and verification through the gRPC API."""
from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import grpc
import sqlalchemy as sa
from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2

from services.auth.models import ApiKey
from services.runtime.db import create_engine
from services.runtime.timeutil import to_ts, utcnow
from tests.auth.conftest import PEPPER, rpc_error

KEY_RE = re.compile(r"rad_[a-z0-9]{12}_[A-Za-z0-9_-]{43}")


def _auth(key: str) -> auth_pb2.AuthenticateRequest:
    return auth_pb2.AuthenticateRequest(api_key=key)


async def test_api_key_lifecycle(auth, tenant, secrets_never_logged):
    stub = auth.stub
    created = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="ci", roles=["admin"]))
    secret = created.secret
    secrets_never_logged.append(secret)
    assert KEY_RE.fullmatch(secret)
    assert secret[4:16] == created.key.id and not created.key.revoked

    principal = (await stub.Authenticate(_auth(secret))).principal
    assert principal.tenant_id == tenant.id and principal.app_id == "default"
    assert principal.key_id == created.key.id and principal.user_id == f"apikey:{created.key.id}"
    assert principal.auth_method == common_pb2.AUTH_METHOD_API_KEY
    assert principal.is_admin and not principal.is_super_admin
    assert principal.tier == 2 and principal.tenant_status == common_pb2.TENANT_STATUS_ACTIVE
    assert list(principal.roles) == ["admin"]

    listed = await stub.ListApiKeys(auth_pb2.ListApiKeysRequest(tenant_id=tenant.id))
    assert [k.id for k in listed.keys] == [created.key.id]
    wire = listed.SerializeToString()
    assert secret.encode() not in wire and secret[17:].encode() not in wire
    assert "key_hash" not in auth_pb2.ApiKey.DESCRIPTOR.fields_by_name

    revoked = await stub.RevokeApiKey(auth_pb2.RevokeApiKeyRequest(tenant_id=tenant.id, id=created.key.id))
    assert revoked.revoked and revoked.HasField("revoked_at")
    err = await rpc_error(stub.Authenticate(_auth(secret)))  # was cached a moment ago: revocation clears it
    assert err.grpc_code == grpc.StatusCode.UNAUTHENTICATED and err.message == "API key has been revoked"
    assert secret not in err.message
    assert (await stub.ListApiKeys(auth_pb2.ListApiKeysRequest(tenant_id=tenant.id))).keys == []
    with_revoked = await stub.ListApiKeys(auth_pb2.ListApiKeysRequest(tenant_id=tenant.id, include_revoked=True))
    assert [k.revoked for k in with_revoked.keys] == [True]
    # A revoked key cannot be rotated back to life.
    err = await rpc_error(stub.RotateApiKey(auth_pb2.RotateApiKeyRequest(tenant_id=tenant.id, id=created.key.id)))
    assert err.code == "UNPROCESSABLE_ENTITY"

    second = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="svc", roles=["user"],
                                                                  tier=4))
    secrets_never_logged.append(second.secret)
    assert (await stub.Authenticate(_auth(second.secret))).principal.tier == 4
    rotated = await stub.RotateApiKey(auth_pb2.RotateApiKeyRequest(tenant_id=tenant.id, id=second.key.id))
    secrets_never_logged.append(rotated.secret)
    assert rotated.key.id != second.key.id and rotated.secret != second.secret
    assert (rotated.key.name, list(rotated.key.roles), rotated.key.tier) == ("svc", ["user"], 4)
    new_principal = (await stub.Authenticate(_auth(rotated.secret))).principal
    assert new_principal.key_id == rotated.key.id and not new_principal.is_admin
    err = await rpc_error(stub.Authenticate(_auth(second.secret)))
    assert err.message == "API key has been revoked"


async def test_missing_malformed_and_unknown_keys(auth, tenant, secrets_never_logged):
    stub = auth.stub
    err = await rpc_error(stub.Authenticate(auth_pb2.AuthenticateRequest()))
    assert err.grpc_code == grpc.StatusCode.UNAUTHENTICATED and "no credential" in err.message
    err = await rpc_error(stub.Authenticate(_auth("")))
    assert err.grpc_code == grpc.StatusCode.UNAUTHENTICATED and err.message == "missing API key"
    err = await rpc_error(stub.Authenticate(_auth("rad_ has spaces\n")))
    assert err.grpc_code == grpc.StatusCode.UNAUTHENTICATED and err.message == "malformed API key"
    unknown = "rad_abcdefghijkl_" + "x" * 43
    secrets_never_logged.append(unknown)
    err = await rpc_error(stub.Authenticate(_auth(unknown)))
    assert err.grpc_code == grpc.StatusCode.UNAUTHENTICATED and err.message == "invalid API key"
    # A real key with one character changed is just as unknown.
    real = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="k"))
    secrets_never_logged.append(real.secret)
    tampered = real.secret[:-1] + ("A" if real.secret[-1] != "A" else "B")
    assert (await rpc_error(stub.Authenticate(_auth(tampered)))).message == "invalid API key"


async def test_expired_key_and_tenant_status(auth, tenant, secrets_never_logged):
    stub = auth.stub
    created = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(
        tenant_id=tenant.id, name="short-lived", expires_at=to_ts(utcnow() + timedelta(days=1))))
    secrets_never_logged.append(created.secret)
    principal = (await stub.Authenticate(_auth(created.secret))).principal
    assert principal.HasField("expires_at")

    # Suspended: still authenticates, and the principal says so (admission denies later).
    await stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant.id, status=common_pb2.TENANT_STATUS_SUSPENDED))
    principal = (await stub.Authenticate(_auth(created.secret))).principal
    assert principal.tenant_status == common_pb2.TENANT_STATUS_SUSPENDED

    # Expiry is enforced (moved into the past directly in the database, as time passing would).
    engine = create_engine(auth.db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.update(ApiKey).where(ApiKey.id == created.key.id)
                               .values(expires_at=utcnow() - timedelta(seconds=1)))
    finally:
        await engine.dispose()
    await stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant.id, status=common_pb2.TENANT_STATUS_ACTIVE))
    err = await rpc_error(stub.Authenticate(_auth(created.secret)))
    assert err.grpc_code == grpc.StatusCode.UNAUTHENTICATED and err.message == "API key has expired"

    other = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="k2"))
    secrets_never_logged.append(other.secret)
    await stub.Authenticate(_auth(other.secret))
    await stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant.id, status=common_pb2.TENANT_STATUS_DELETED))
    err = await rpc_error(stub.Authenticate(_auth(other.secret)))
    assert err.grpc_code == grpc.StatusCode.UNAUTHENTICATED and err.message == "tenant has been deleted"


async def test_key_scope_validation_and_last_used(auth, tenant, secrets_never_logged):
    stub = auth.stub
    err = await rpc_error(stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="  ")))
    assert err.code == "VALIDATION_ERROR" and "name" in err.details
    err = await rpc_error(stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="k", tier=9)))
    assert "tier" in err.details
    err = await rpc_error(stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(
        tenant_id=tenant.id, name="k", expires_at=to_ts(utcnow() - timedelta(hours=1)))))
    assert "expires_at" in err.details
    err = await rpc_error(stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="k",
                                                                         app_id="nope")))
    assert err.code == "NOT_FOUND"
    err = await rpc_error(stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="k",
                                                                         user_id="u-missing")))
    assert err.code == "NOT_FOUND"

    user = await stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant.id, email="Ops@Example.com"))
    app = await stub.CreateApp(auth_pb2.CreateAppRequest(tenant_id=tenant.id, name="ThinkTank"))
    created = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="k", user_id=user.id,
                                                                   app_id=app.id))
    secrets_never_logged.append(created.secret)
    principal = (await stub.Authenticate(_auth(created.secret))).principal
    assert (principal.user_id, principal.app_id) == (user.id, "thinktank")

    # last_used_at is written off the request path; it shows up shortly after.
    for _ in range(100):
        keys = (await stub.ListApiKeys(auth_pb2.ListApiKeysRequest(tenant_id=tenant.id))).keys
        if keys[0].HasField("last_used_at"):
            break
        await asyncio.sleep(0.05)
    assert keys[0].HasField("last_used_at")


async def test_list_pagination(auth, tenant, secrets_never_logged):
    stub = auth.stub
    ids = []
    for i in range(5):
        created = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name=f"k{i}"))
        secrets_never_logged.append(created.secret)
        ids.append(created.key.id)
    seen, token = [], ""
    while True:
        page = await stub.ListApiKeys(auth_pb2.ListApiKeysRequest(
            tenant_id=tenant.id, page=common_pb2.PageRequest(page_size=2, page_token=token)))
        assert page.page.total == 5
        seen += [k.id for k in page.keys]
        token = page.page.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 5
    err = await rpc_error(stub.ListApiKeys(auth_pb2.ListApiKeysRequest(
        tenant_id=tenant.id, page=common_pb2.PageRequest(page_token="garbage"))))
    assert "page_token" in err.details


async def test_stored_hash_is_keyed_with_the_pepper(auth, tenant, secrets_never_logged):
    import hashlib
    import hmac
    created = await auth.stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="k"))
    secrets_never_logged.append(created.secret)
    engine = create_engine(auth.db_url)
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(sa.select(ApiKey.__table__).where(ApiKey.id == created.key.id))).mappings().one()
    finally:
        await engine.dispose()
    assert row["key_hash"] == hmac.new(PEPPER.encode(), created.secret.encode(), hashlib.sha256).hexdigest()
    assert created.secret not in str(dict(row))
