"""Fixtures for auth tests: an in-process auth server per database, RSA signing keys served via jwks_json, and a
guard that fails a test when any log record contains a credential it registered."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from radiant.auth.v1 import auth_pb2, auth_pb2_grpc

from services.auth.server import build
from services.auth.settings import Settings
from services.runtime.config import load_settings
from services.runtime.errors import RadiantError, from_grpc_error
from services.runtime.logs import JsonFormatter
from tests.grpc_helpers import internal_channel

PEPPER = "test-pepper-5f1c0d7a9e3b"
KID = "test-kid-1"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test"
AUDIENCE = "test-client-id"


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _rsa()
OTHER_KEY = _rsa()  # same kid, different key: its signatures must not verify


def _jwks(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {"keys": [{**jwk, "kid": kid, "alg": "RS256", "use": "sig"}]}


JWKS_JSON = json.dumps(_jwks(SIGNING_KEY, KID))


def public_pem(key: rsa.RSAPrivateKey = SIGNING_KEY) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def claims(tenant_id: str, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"sub": "user-sub-123", "email": "dr.who@example.com", "cognito:groups": ["admin", "clinicians"],
            "custom:tenantId": tenant_id, "custom:appId": "thinktank", "custom:role": "clinician",
            "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 3600, "token_use": "id"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload: dict[str, Any], key: rsa.RSAPrivateKey = SIGNING_KEY, kid: str | None = KID) -> str:
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid} if kid else None)


def raw_token(header: dict[str, Any], payload: dict[str, Any], hs_secret: bytes | None = None) -> str:
    """Hand-built token (PyJWT refuses to make the forgeries we want to test)."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    sig = b64(hmac.new(hs_secret, signing_input.encode(), hashlib.sha256).digest()) if hs_secret else ""
    return f"{signing_input}.{sig}"


@dataclass
class AuthEnv:
    stub: auth_pb2_grpc.AuthServiceStub
    settings: Settings
    db_url: str


@pytest.fixture(scope="module")
async def auth(db_url: str):
    settings = load_settings(Settings, env="test", database_url=db_url, api_key_pepper=PEPPER, jwks_json=JWKS_JSON,
                             jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
    running = await build(settings, port=0)
    channel = internal_channel(running.address)
    try:
        yield AuthEnv(auth_pb2_grpc.AuthServiceStub(channel), settings, db_url)
    finally:
        await channel.close()
        await running.stop(0)


@pytest.fixture
async def tenant(auth: AuthEnv, tenant_id: str) -> auth_pb2.Tenant:
    return await auth.stub.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="Acme Health", tier=2))


async def rpc_error(call) -> RadiantError:
    """Await a call that must fail and return the taxonomy error (with field details) it carried."""
    try:
        await call
    except grpc.aio.AioRpcError as exc:
        err = from_grpc_error(exc, "auth")
        err.grpc_code = exc.code()  # type: ignore[attr-defined]
        return err
    raise AssertionError("the call succeeded but should have failed")


@pytest.fixture(autouse=True)
def secrets_never_logged(caplog):
    """Tests add every credential they handle; after the test no captured log line may contain one."""
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="radiant")
    seen: list[str] = []
    yield seen
    formatter = JsonFormatter("auth")
    records = caplog.get_records("setup") + caplog.get_records("call")  # caplog.records is the teardown phase here
    assert records or not seen, "log capture is not working"
    lines = [formatter.format(r) for r in records] + [r.getMessage() for r in records]
    for secret in seen:
        leaked = [line for line in lines if secret in line]
        assert not leaked, "a credential appeared in a log line"
