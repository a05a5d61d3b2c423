"""Cognito-style JWT verification: RS256 against the configured JWKS, claim mapping, and every way a token fails."""
from __future__ import annotations

import time

import grpc
import jwt
from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2

from tests.auth.conftest import KID, OTHER_KEY, claims, public_pem, raw_token, rpc_error, sign


def _bearer(token: str) -> auth_pb2.AuthenticateRequest:
    return auth_pb2.AuthenticateRequest(bearer_token=token)


async def _rejected(auth, token: str) -> str:
    err = await rpc_error(auth.stub.Authenticate(_bearer(token)))
    assert err.grpc_code == grpc.StatusCode.UNAUTHENTICATED
    assert err.code == "UNAUTHORIZED"
    return err.message


async def test_valid_token_maps_every_claim(auth, tenant, secrets_never_logged):
    payload = claims(tenant.id, **{"cognito:groups": ["super_admin", "clinicians"]})
    token = sign(payload)
    secrets_never_logged.append(token)
    p = (await auth.stub.Authenticate(_bearer(token))).principal
    assert p.tenant_id == tenant.id and p.app_id == "thinktank"
    assert p.user_id == "user-sub-123" and p.email == "dr.who@example.com"
    assert list(p.groups) == ["super_admin", "clinicians"] and list(p.roles) == ["clinician"]
    assert p.is_admin and p.is_super_admin
    assert p.tier == 2 and p.tenant_status == common_pb2.TENANT_STATUS_ACTIVE
    assert p.auth_method == common_pb2.AUTH_METHOD_JWT and not p.key_id
    assert p.expires_at.seconds == payload["exp"]


async def test_alternative_claim_names_and_defaults(auth, tenant, secrets_never_logged):
    payload = claims(None, **{"custom:tenantId": None, "custom:tenant_id": tenant.id, "custom:appId": None,
                              "custom:app_id": "launchboard", "email": None, "cognito:username": "jdoe",
                              "custom:role": None, "cognito:groups": ["operator"]})
    token = sign(payload)
    secrets_never_logged.append(token)
    p = (await auth.stub.Authenticate(_bearer(token))).principal
    assert (p.tenant_id, p.app_id, p.email, list(p.roles)) == (tenant.id, "launchboard", "jdoe", [])
    assert p.is_admin and not p.is_super_admin

    plain = sign(claims(tenant.id, **{"custom:appId": None, "cognito:groups": None}))
    p = (await auth.stub.Authenticate(_bearer(plain))).principal
    assert p.app_id == "default" and list(p.groups) == [] and not p.is_admin

    # Cognito access tokens carry client_id instead of aud.
    access = sign(claims(tenant.id, aud=None, client_id="test-client-id", token_use="access"))
    assert (await auth.stub.Authenticate(_bearer(access))).principal.tenant_id == tenant.id


async def test_suspended_tenant_authenticates_deleted_does_not(auth, tenant):
    await auth.stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant.id,
                                                              status=common_pb2.TENANT_STATUS_SUSPENDED))
    token = sign(claims(tenant.id))
    p = (await auth.stub.Authenticate(_bearer(token))).principal
    assert p.tenant_status == common_pb2.TENANT_STATUS_SUSPENDED
    await auth.stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant.id, status=common_pb2.TENANT_STATUS_DELETED))
    assert await _rejected(auth, token) == "tenant has been deleted"


async def test_expired_token(auth, tenant):
    now = int(time.time())
    assert await _rejected(auth, sign(claims(tenant.id, iat=now - 7200, exp=now - 3600))) == "token has expired"


async def test_missing_exp(auth, tenant):
    assert await _rejected(auth, sign(claims(tenant.id, exp=None))) == "token has no exp claim"


async def test_wrong_signature_same_kid(auth, tenant):
    assert await _rejected(auth, sign(claims(tenant.id), key=OTHER_KEY)) == "invalid token signature"


async def test_unknown_kid(auth, tenant):
    assert await _rejected(auth, sign(claims(tenant.id), kid="rotated-away")) == "unknown signing key"
    assert await _rejected(auth, sign(claims(tenant.id), kid=None)) == "unknown signing key"


async def test_alg_none(auth, tenant):
    token = jwt.encode(claims(tenant.id), None, algorithm="none", headers={"kid": KID})
    assert "algorithm" in await _rejected(auth, token)
    assert "algorithm" in await _rejected(auth, raw_token({"alg": "none", "kid": KID}, claims(tenant.id)))


async def test_hs256_with_public_key_as_secret(auth, tenant):
    forged = raw_token({"alg": "HS256", "typ": "JWT", "kid": KID}, claims(tenant.id), hs_secret=public_pem())
    assert "algorithm" in await _rejected(auth, forged)


async def test_header_says_rs256_but_signed_with_hmac(auth, tenant):
    forged = raw_token({"alg": "RS256", "kid": KID}, claims(tenant.id), hs_secret=public_pem())
    assert await _rejected(auth, forged) == "invalid token signature"


async def test_missing_tenant_claim(auth, tenant):
    assert await _rejected(auth, sign(claims(tenant.id, **{"custom:tenantId": None}))) == "token has no tenant"


async def test_unknown_tenant(auth):
    assert await _rejected(auth, sign(claims("t-does-not-exist"))) == "unknown tenant"
    assert await _rejected(auth, sign(claims("Not A Valid Id!"))) == "unknown tenant"


async def test_issuer_and_audience_are_checked(auth, tenant):
    assert await _rejected(auth, sign(claims(tenant.id, iss="https://evil.example"))) == "token issuer does not match"
    assert await _rejected(auth, sign(claims(tenant.id, aud="another-client"))) == "token audience does not match"


async def test_malformed_and_empty_tokens(auth):
    assert await _rejected(auth, "not.a.jwt") == "malformed token"
    assert await _rejected(auth, "garbage") == "malformed token"
    assert await _rejected(auth, "") == "missing bearer token"
