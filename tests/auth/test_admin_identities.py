"""Auth's side of administration through its gRPC API: key permissions and rotation with a grace period, keys bound
to users, the admin identity pool beside the user pool, invitations and the two-person rule enforced server-side
whatever the caller checked, settings that refuse half-configured pools."""
from __future__ import annotations

import asyncio
import time

import grpc
import pytest
from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2

from services.auth.server import build
from services.auth.settings import Settings
from services.runtime.config import ConfigError, load_settings
from tests.grpc_helpers import internal_channel
from tests.auth.conftest import AUDIENCE, ISSUER, JWKS_JSON, PEPPER, claims, rpc_error, sign

ADMIN_ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_admins"


def _key(secret: str) -> auth_pb2.AuthenticateRequest:
    return auth_pb2.AuthenticateRequest(api_key=secret)


def _actor(tenant_id: str, user_id: str, role: str = "admin", jwt: bool = True) -> common_pb2.Principal:
    return common_pb2.Principal(tenant_id=tenant_id, user_id=user_id, roles=[role],
                                tenant_status=common_pb2.TENANT_STATUS_ACTIVE,
                                auth_method=common_pb2.AUTH_METHOD_JWT if jwt else common_pb2.AUTH_METHOD_API_KEY)


async def test_key_permissions_default_and_explicit(auth, tenant, secrets_never_logged):
    stub = auth.stub
    service = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="svc"))
    admin = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="a", roles=["admin"]))
    narrow = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="n",
                                                                  permissions=["health", "embeddings"]))
    secrets_never_logged.extend([service.secret, admin.secret, narrow.secret])
    assert list(service.key.permissions) == ["completions", "embeddings", "health"]
    assert list(admin.key.permissions) == ["completions", "embeddings", "admin", "health"]
    assert list(narrow.key.permissions) == ["embeddings", "health"]  # canonical order
    assert service.key.prefix == f"rad_{service.key.id}" and service.secret.startswith(service.key.prefix)
    p = (await stub.Authenticate(_key(narrow.secret))).principal
    assert list(p.permissions) == ["embeddings", "health"]
    err = await rpc_error(stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="x",
                                                                         permissions=["root"])))
    assert err.code == "VALIDATION_ERROR" and "permissions" in err.details


async def test_rotation_with_a_grace_period(auth, tenant, secrets_never_logged):
    stub = auth.stub
    old = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="r", tier=3,
                                                               permissions=["completions"]))
    rotated = await stub.RotateApiKey(auth_pb2.RotateApiKeyRequest(tenant_id=tenant.id, id=old.key.id,
                                                                   grace_period_seconds=2))
    secrets_never_logged.extend([old.secret, rotated.secret])
    assert rotated.key.tier == 3 and list(rotated.key.permissions) == ["completions"]
    assert not rotated.key.HasField("expires_at")  # the replacement keeps the old key's (absent) expiry
    assert (await stub.Authenticate(_key(old.secret))).principal.key_id == old.key.id
    assert (await stub.Authenticate(_key(rotated.secret))).principal.key_id == rotated.key.id
    got = await stub.GetApiKey(auth_pb2.GetApiKeyRequest(tenant_id=tenant.id, id=old.key.id))
    assert got.replaced_by == rotated.key.id and got.HasField("rotated_at") and got.HasField("expires_at")
    deadline = time.monotonic() + 15
    while True:
        try:
            await stub.Authenticate(_key(old.secret))
        except grpc.aio.AioRpcError as exc:
            assert exc.code() == grpc.StatusCode.UNAUTHENTICATED and "grace period" in exc.details()
            break
        assert time.monotonic() < deadline, "the old secret outlived its grace period"
        await asyncio.sleep(0.1)
    err = await rpc_error(stub.RotateApiKey(auth_pb2.RotateApiKeyRequest(tenant_id=tenant.id, id=rotated.key.id,
                                                                         grace_period_seconds=8 * 24 * 3600)))
    assert "grace_period_seconds" in err.details
    immediate = await stub.RotateApiKey(auth_pb2.RotateApiKeyRequest(tenant_id=tenant.id, id=rotated.key.id))
    secrets_never_logged.append(immediate.secret)
    err = await rpc_error(stub.Authenticate(_key(rotated.secret)))
    assert err.message == "API key has been revoked"


async def test_keys_bound_to_users_follow_the_user(auth, tenant, secrets_never_logged):
    stub = auth.stub
    user = await stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant.id, email="n@example.org",
                                                            roles=["auditor"]))
    key = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="k", user_id=user.id))
    secrets_never_logged.append(key.secret)
    p = (await stub.Authenticate(_key(key.secret))).principal
    assert list(p.roles) == ["auditor"] and p.email == "n@example.org" and p.is_admin
    await stub.UpdateUser(auth_pb2.UpdateUserRequest(tenant_id=tenant.id, id=user.id,
                                                     set_roles=auth_pb2.Labels(values=["admin", "nurse"])))
    assert list((await stub.Authenticate(_key(key.secret))).principal.roles) == ["admin", "nurse"]
    await stub.UpdateUser(auth_pb2.UpdateUserRequest(tenant_id=tenant.id, id=user.id,
                                                     set_roles=auth_pb2.Labels(values=[])))
    assert list((await stub.Authenticate(_key(key.secret))).principal.roles) == []
    await stub.UpdateUser(auth_pb2.UpdateUserRequest(tenant_id=tenant.id, id=user.id, status="suspended"))
    err = await rpc_error(stub.Authenticate(_key(key.secret)))
    assert err.message == "the user of this credential is suspended"
    err = await rpc_error(stub.UpdateUser(auth_pb2.UpdateUserRequest(tenant_id=tenant.id, id=user.id,
                                                                     status="deleted")))
    assert "DeleteUser" in err.details["status"][0]
    deleted = await stub.DeleteUser(auth_pb2.DeleteUserRequest(tenant_id=tenant.id, id=user.id))
    assert deleted.status == "deleted"
    keys = await stub.ListApiKeys(auth_pb2.ListApiKeysRequest(tenant_id=tenant.id, user_id=user.id,
                                                              include_revoked=True))
    assert [k.revoked for k in keys.keys] == [True]
    assert user.id not in [u.id for u in (await stub.ListUsers(auth_pb2.ListUsersRequest(tenant_id=tenant.id))).users]
    only = await stub.ListUsers(auth_pb2.ListUsersRequest(tenant_id=tenant.id, status="deleted"))
    assert [u.id for u in only.users] == [user.id]


async def test_two_person_rule_server_side(auth, tenant):
    stub = auth.stub
    candidate = await stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant.id, email="c@example.org",
                                                                 roles=["auditor", "nurse"]))
    requester = _actor(tenant.id, "u-requester")
    promotion = await stub.RequestPromotion(auth_pb2.RequestPromotionRequest(
        tenant_id=tenant.id, user_id=candidate.id, role="admin", actor=requester))
    assert promotion.status == "pending" and list(promotion.previous_roles) == ["auditor", "nurse"]
    decide = lambda actor: stub.ApprovePromotion(auth_pb2.DecidePromotionRequest(  # noqa: E731
        tenant_id=tenant.id, id=promotion.id, actor=actor))
    for actor, message in ((requester, "second admin"), (_actor(tenant.id, candidate.id), "your own promotion"),
                           (_actor(tenant.id, "apikey:abc", jwt=False), "person"),
                           (_actor(tenant.id, "u-auditor", role="auditor"), "may grant")):
        err = await rpc_error(decide(actor))
        assert err.code == "FORBIDDEN" and message in err.message, (actor.user_id, err.message)
    approved = await decide(_actor(tenant.id, "u-second"))
    assert approved.status == "approved" and approved.decided_by == "u-second"
    user = await stub.GetUser(auth_pb2.GetUserRequest(tenant_id=tenant.id, id=candidate.id))
    assert list(user.roles) == ["nurse", "admin"]  # the admin role replaced, other roles kept
    err = await rpc_error(decide(_actor(tenant.id, "u-third")))
    assert err.code == "UNPROCESSABLE_ENTITY"
    err = await rpc_error(stub.RequestPromotion(auth_pb2.RequestPromotionRequest(
        tenant_id=tenant.id, user_id=candidate.id, role="super_admin", actor=requester)))
    assert err.code == "FORBIDDEN"


async def test_invitation_tokens_are_never_stored_or_listed(auth, tenant, secrets_never_logged):
    stub = auth.stub
    created = await stub.CreateInvitation(auth_pb2.CreateInvitationRequest(
        tenant_id=tenant.id, email="Inv@Example.org", role="operator", actor=_actor(tenant.id, "u-inviter")))
    token = created.link.split("token=")[1]
    secrets_never_logged.append(token)
    assert created.invitation.email == "inv@example.org" and created.invitation.invited_by == "u-inviter"
    listed = await stub.ListInvitations(auth_pb2.ListInvitationsRequest(tenant_id=tenant.id))
    assert token.encode() not in listed.SerializeToString()
    err = await rpc_error(stub.CreateInvitation(auth_pb2.CreateInvitationRequest(
        tenant_id=tenant.id, email="x@example.org", role="root", actor=_actor(tenant.id, "u-inviter"))))
    assert err.code == "VALIDATION_ERROR" and "role" in err.details
    accepted = await stub.AcceptInvitation(auth_pb2.AcceptInvitationRequest(token=token))
    secrets_never_logged.append(accepted.api_key)
    p = (await stub.Authenticate(_key(accepted.api_key))).principal
    assert p.user_id == accepted.user.id and list(p.roles) == ["operator"] and list(p.permissions) == [
        "admin", "health"]


@pytest.fixture
async def two_pools(db_url):
    settings = load_settings(Settings, env="test", database_url=db_url, api_key_pepper=PEPPER, jwks_json=JWKS_JSON,
                             jwt_issuer=ISSUER, jwt_audience=AUDIENCE, admin_jwks_json=JWKS_JSON,
                             admin_jwt_issuer=ADMIN_ISSUER, admin_jwt_audience="admin-console")
    running = await build(settings, port=0)
    from radiant.auth.v1 import auth_pb2_grpc
    channel = internal_channel(running.address)
    yield auth_pb2_grpc.AuthServiceStub(channel)
    await channel.close()
    await running.stop(0)


async def test_admin_pool_tokens_beside_user_pool_tokens(two_pools, tenant, secrets_never_logged):
    def bearer(payload):
        token = sign(payload)
        secrets_never_logged.append(token)
        return auth_pb2.AuthenticateRequest(bearer_token=token)

    admin = claims(tenant.id, iss=ADMIN_ISSUER, aud="admin-console", **{"cognito:groups": ["operator", "ops-team"],
                                                                        "custom:role": "clinician"})
    p = (await two_pools.Authenticate(bearer(admin))).principal
    assert list(p.roles) == ["operator"] and list(p.groups) == ["operator", "ops-team"] and p.is_admin
    assert list(p.permissions) == ["completions", "embeddings", "admin", "health"]
    user = claims(tenant.id)  # the user pool: custom:role is the role, groups stay groups
    p = (await two_pools.Authenticate(bearer(user))).principal
    assert list(p.roles) == ["clinician"]
    # Each pool's audience is its own.
    err = await rpc_error(two_pools.Authenticate(bearer(claims(tenant.id, iss=ADMIN_ISSUER))))
    assert err.message == "token audience does not match"
    err = await rpc_error(two_pools.Authenticate(bearer(claims(tenant.id, aud="admin-console"))))
    assert err.message == "token audience does not match"
    err = await rpc_error(two_pools.Authenticate(bearer(claims(tenant.id, iss="https://elsewhere.example.org"))))
    assert err.message == "token issuer does not match"


def test_half_configured_pools_are_refused():
    with pytest.raises(ConfigError) as exc:
        load_settings(Settings, env="test", admin_jwks_json=JWKS_JSON)
    assert "RADIANT_ADMIN_JWT_ISSUER" in str(exc.value)
    with pytest.raises(ConfigError) as exc:
        load_settings(Settings, env="test", jwt_issuer=ISSUER, admin_jwt_issuer=ISSUER)
    assert "must differ" in str(exc.value)
    with pytest.raises(ConfigError) as exc:
        load_settings(Settings, env="test", identity_driver="cognito")
    assert "RADIANT_COGNITO_ADMIN_POOL_ID" in str(exc.value) and "RADIANT_SES_SENDER" in str(exc.value)
