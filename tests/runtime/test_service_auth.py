"""Service-to-service authentication on real servers (phi, metering, auth on Postgres + Redis): who may call, for whom,
and what a call may name."""
from __future__ import annotations

import json
import time
import uuid

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2, metering_pb2_grpc
from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.auth.server import build as build_auth
from services.auth.settings import Settings as AuthSettings
from services.metering.server import build as build_metering
from services.metering.settings import Settings as MeteringSettings
from services.phi.server import build as build_phi
from services.phi.settings import Settings as PhiSettings
from services.runtime.config import ConfigError, load_settings
from services.runtime.service_auth import (PRINCIPAL_TOKEN_HEADER, PUBLIC_KEYS_VAR, SERVICE_TOKEN_HEADER, Minter,
                                           Verifier, public_keys)
from tests.grpc_helpers import TEST_KEYS, error_code, internal_channel, internal_metadata, minter, principal_token

TENANT_A = common_pb2.Principal(tenant_id="t-a", user_id="u-a", roles=["user"])
ADMIN_A = common_pb2.Principal(tenant_id="t-a", user_id="adm-a", roles=["admin"], is_admin=True)
NOTE = "Patient Eleanor Rigby, SSN 219-09-9999."


@pytest.fixture
async def phi(pg_url, redis_url):
    running = await build_phi(load_settings(PhiSettings, database_url=pg_url, redis_url=redis_url, env="test"),
                              port=0)
    yield running
    await running.stop(0)


async def _sanitized(address: str, principal=TENANT_A) -> phi_pb2.SanitizeResponse:
    async with internal_channel(address, principal=principal) as ch:
        return await phi_pb2_grpc.PhiServiceStub(ch).Sanitize(phi_pb2.SanitizeRequest(tenant_id="t-a", texts=[NOTE]))


async def _code(awaitable) -> grpc.StatusCode:
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await awaitable
    return exc.value.code()


async def test_a_call_without_a_service_token_is_refused_and_health_stays_open(phi):
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    async with grpc.aio.insecure_channel(phi.address) as ch:
        stub = phi_pb2_grpc.PhiServiceStub(ch)
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.Reidentify(phi_pb2.ReidentifyRequest(tenant_id="t-a", mapping_id="m", texts=["x"]))
        assert exc.value.code() == grpc.StatusCode.UNAUTHENTICATED and error_code(exc.value) == "UNAUTHORIZED"
        assert "no service token" in exc.value.details()
        reply = await health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(service=""))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


async def test_forged_expired_and_misaddressed_service_tokens_are_refused(phi):
    request = phi_pb2.SanitizeRequest(tenant_id="t-a", texts=["hello"])
    principal = (PRINCIPAL_TOKEN_HEADER, principal_token(TENANT_A))
    forged = Minter("router", Ed25519PrivateKey.generate())
    now = int(time.time())
    expired = jwt.encode({"iss": "router", "aud": "phi", "typ": "service", "iat": now - 900, "exp": now - 600},
                         minter("router")._key, algorithm="EdDSA", headers={"kid": "router"})
    async with grpc.aio.insecure_channel(phi.address) as ch:
        stub = phi_pb2_grpc.PhiServiceStub(ch)
        for token, why in ((forged.service_token("phi"), "not valid"), (expired, "expired"),
                           (minter("router").service_token("metering"), "not valid"), ("garbage", "not valid")):
            with pytest.raises(grpc.aio.AioRpcError) as exc:
                await stub.Sanitize(request, metadata=((SERVICE_TOKEN_HEADER, token), principal))
            assert exc.value.code() == grpc.StatusCode.UNAUTHENTICATED and why in exc.value.details()
        # The same request with a genuine token goes through.
        ok = await stub.Sanitize(request, metadata=((SERVICE_TOKEN_HEADER, minter("router").service_token("phi")),
                                                    principal))
        assert ok.texts == ["hello"]


async def test_only_the_architectures_callers_reach_a_service(phi):
    async with internal_channel(phi.address, identity="operator", principal=TENANT_A) as ch:
        code = await _code(phi_pb2_grpc.PhiServiceStub(ch).Sanitize(phi_pb2.SanitizeRequest(tenant_id="t-a",
                                                                                            texts=["x"])))
    assert code == grpc.StatusCode.PERMISSION_DENIED


async def test_a_call_for_a_request_needs_auths_principal_token(phi):
    async with internal_channel(phi.address, principal=None) as ch:
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await phi_pb2_grpc.PhiServiceStub(ch).Sanitize(phi_pb2.SanitizeRequest(tenant_id="t-a", texts=["x"]))
    assert exc.value.code() == grpc.StatusCode.UNAUTHENTICATED and "no principal token" in exc.value.details()
    # A principal token that the router signed itself (not auth) is not one.
    claims = {"iss": "router", "aud": "radiant", "typ": "principal", "iat": int(time.time()),
              "exp": int(time.time()) + 60, "tid": "t-a", "roles": ["admin"], "adm": True, "sa": True}
    self_made = jwt.encode(claims, minter("router")._key, algorithm="EdDSA", headers={"kid": "router"})
    async with grpc.aio.insecure_channel(phi.address) as ch:
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await phi_pb2_grpc.PhiServiceStub(ch).Sanitize(
                phi_pb2.SanitizeRequest(tenant_id="t-a", texts=["x"]),
                metadata=((SERVICE_TOKEN_HEADER, minter("router").service_token("phi")),
                          (PRINCIPAL_TOKEN_HEADER, self_made)))
    assert exc.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_a_principal_acts_only_for_its_own_tenant(phi):
    sanitized = await _sanitized(phi.address)
    assert "219-09-9999" not in sanitized.texts[0]
    other = common_pb2.Principal(tenant_id="t-b", user_id="u-b", roles=["admin"], is_admin=True)
    async with internal_channel(phi.address, principal=other) as ch:
        stub = phi_pb2_grpc.PhiServiceStub(ch)
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.Reidentify(phi_pb2.ReidentifyRequest(tenant_id="t-a", mapping_id=sanitized.mapping_id,
                                                            texts=sanitized.texts, for_response=True))
        assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "tenant its principal does not belong to" in exc.value.details()
        assert await _code(stub.PutPolicy(phi_pb2.PutPolicyRequest(policy=phi_pb2.PhiPolicy(
            tenant_id="t-a", mode=phi_pb2.PHI_MODE_DISABLED)))) == grpc.StatusCode.PERMISSION_DENIED

        async def stream():
            yield phi_pb2.ReidentifyStreamRequest(start=phi_pb2.StreamStart(tenant_id="t-a",
                                                                            mapping_id=sanitized.mapping_id))
            yield phi_pb2.ReidentifyStreamRequest(chunk=phi_pb2.StreamChunk(text=sanitized.texts[0]))

        with pytest.raises(grpc.aio.AioRpcError) as exc:
            async for _ in stub.ReidentifyStream(stream()):
                pass
        assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # Its own tenant's answer is restored.
    async with internal_channel(phi.address, principal=TENANT_A) as ch:
        restored = await phi_pb2_grpc.PhiServiceStub(ch).Reidentify(phi_pb2.ReidentifyRequest(
            tenant_id="t-a", mapping_id=sanitized.mapping_id, texts=sanitized.texts, for_response=True))
    assert restored.texts == [NOTE]


async def test_claiming_an_admin_needs_an_admin_principal(phi):
    """Standalone re-identification needs approval (an admin) by default: the caller's claim counts only when the
    principal token it carries is an admin's."""
    sanitized = await _sanitized(phi.address)
    request = phi_pb2.ReidentifyRequest(tenant_id="t-a", mapping_id=sanitized.mapping_id, texts=sanitized.texts,
                                        caller_is_admin=True)
    async with internal_channel(phi.address, principal=TENANT_A) as ch:
        assert await _code(phi_pb2_grpc.PhiServiceStub(ch).Reidentify(request)) == grpc.StatusCode.PERMISSION_DENIED
    async with internal_channel(phi.address, principal=ADMIN_A) as ch:
        assert (await phi_pb2_grpc.PhiServiceStub(ch).Reidentify(request)).texts == [NOTE]


async def test_a_request_may_not_claim_more_than_its_principal(pg_url, redis_url):
    running = await build_metering(load_settings(MeteringSettings, database_url=pg_url, redis_url=redis_url,
                                                 env="test"), port=0)
    try:
        async with internal_channel(running.address, principal=TENANT_A) as ch:
            stub = metering_pb2_grpc.MeteringServiceStub(ch)
            ok = await stub.GetLimits(metering_pb2.GetLimitsRequest(principal=TENANT_A))
            assert ok is not None
            for claimed in (ADMIN_A, common_pb2.Principal(tenant_id="t-a", roles=["user"], is_super_admin=True),
                            common_pb2.Principal(tenant_id="t-b", roles=["user"])):
                assert await _code(stub.GetLimits(metering_pb2.GetLimitsRequest(principal=claimed))) \
                    == grpc.StatusCode.PERMISSION_DENIED
        # The router's own records need no principal; the operator may read demand but not admit requests.
        async with internal_channel(running.address, principal=None) as ch:
            written = await metering_pb2_grpc.MeteringServiceStub(ch).WriteAuditLog(metering_pb2.AuditLogEntry(
                tenant_id="t-a", admin_id="adm-a", action="model.update", resource_type="model", resource_id="m"))
            assert written.id and written.tenant_id == "t-a"
        async with internal_channel(running.address, identity="operator", principal=None) as ch:
            assert await _code(metering_pb2_grpc.MeteringServiceStub(ch).Admit(
                metering_pb2.AdmitRequest(principal=TENANT_A))) == grpc.StatusCode.UNAUTHENTICATED
    finally:
        await running.stop(0)


async def test_auth_signs_a_principal_token_and_platform_calls_need_a_super_admin(pg_url, redis_url):
    running = await build_auth(load_settings(AuthSettings, database_url=pg_url, redis_url=redis_url, env="test"),
                               port=0)
    tenant = f"svc-{uuid.uuid4().hex[:8]}"
    try:
        async with internal_channel(running.address) as ch:  # a platform super admin
            stub = auth_pb2_grpc.AuthServiceStub(ch)
            await stub.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant, name="Service auth"))
            created = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant, name="k"))
        async with internal_channel(running.address, principal=None) as ch:
            decision = await auth_pb2_grpc.AuthServiceStub(ch).Authenticate(
                auth_pb2.AuthenticateRequest(api_key=created.secret))
        claims = Verifier("phi", public_keys(TEST_KEYS)).principal(decision.principal_token)
        assert claims.tenant_id == tenant == decision.principal.tenant_id
        assert claims.roles == frozenset(decision.principal.roles) and not claims.is_super_admin
        tenant_admin = common_pb2.Principal(tenant_id=decision.principal.tenant_id, roles=["admin"], is_admin=True)
        async with internal_channel(running.address, principal=tenant_admin) as ch:
            assert await _code(auth_pb2_grpc.AuthServiceStub(ch).ListTenants(auth_pb2.ListTenantsRequest())) \
                == grpc.StatusCode.PERMISSION_DENIED
        async with internal_channel(running.address) as ch:  # a platform super admin
            assert (await auth_pb2_grpc.AuthServiceStub(ch).ListTenants(auth_pb2.ListTenantsRequest())).tenants
    finally:
        await running.stop(0)


async def test_a_server_without_keys_refuses_to_start(pg_url, redis_url, monkeypatch):
    monkeypatch.delenv(PUBLIC_KEYS_VAR)
    with pytest.raises(ConfigError) as exc:
        await build_phi(load_settings(PhiSettings, database_url=pg_url, redis_url=redis_url, env="test"), port=0)
    assert PUBLIC_KEYS_VAR in str(exc.value)
    monkeypatch.setenv(PUBLIC_KEYS_VAR, '{"router": "not-a-key"}')
    with pytest.raises(ConfigError) as exc:
        public_keys()
    assert PUBLIC_KEYS_VAR in str(exc.value) and "not-a-key" not in str(exc.value)


def test_sync_metadata_helper_matches_the_channel():
    metadata = dict(internal_metadata("phi", principal=TENANT_A))
    verifier = Verifier("phi", public_keys(TEST_KEYS))
    assert verifier.service(metadata[SERVICE_TOKEN_HEADER]) == "router"
    assert verifier.principal(metadata[PRINCIPAL_TOKEN_HEADER]).tenant_id == "t-a"


def test_pem_keys_as_terraform_makes_them_are_accepted():
    """terraform/modules/secrets stores tls_private_key PEMs (PKCS#8 private, SubjectPublicKeyInfo public)."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

    keys = {identity: Ed25519PrivateKey.generate() for identity in ("router", "auth")}
    env = {"RADIANT_SERVICE_KEY": keys["router"].private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                               NoEncryption()).decode(),
           PUBLIC_KEYS_VAR: json.dumps({identity: key.public_key().public_bytes(
               Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode() for identity, key in keys.items()})}
    token = Minter.from_env("router", env).service_token("phi")
    assert Verifier("phi", public_keys(env)).service(token) == "router"
    with pytest.raises(ConfigError) as exc:
        Minter.from_env("router", {"RADIANT_SERVICE_KEY": "-----BEGIN PRIVATE KEY-----\nbroken\n"})
    assert "RADIANT_SERVICE_KEY" in str(exc.value) and "broken" not in str(exc.value)


def test_every_tenant_named_at_any_depth_is_checked():
    """Repeated nested messages too (each record of a batch), and nothing is refused for a super admin."""
    from services.runtime.errors import ForbiddenError
    from services.runtime.service_auth import Caller, PrincipalClaims
    from services.runtime.service_guard import check_request

    member = Caller("router", PrincipalClaims("t-a", "u-a", frozenset({"user"}), False, False, 0))
    ok = metering_pb2.RecordRequestLogsRequest(records=[metering_pb2.RequestLog(tenant_id="t-a")] * 2)
    check_request(member, ok)
    mixed = metering_pb2.RecordRequestLogsRequest(records=[metering_pb2.RequestLog(tenant_id="t-a"),
                                                           metering_pb2.RequestLog(tenant_id="t-b")])
    with pytest.raises(ForbiddenError):
        check_request(member, mixed)
    check_request(Caller("router", PrincipalClaims("", "root", frozenset({"super_admin"}), True, True, 0)), mixed)
