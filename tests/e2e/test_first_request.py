"""End to end: every service as its own process (services.stack.Stack), real Postgres and Redis, the official
`openai` SDK as the client."""
from __future__ import annotations

import json
import os
import signal
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import grpc
import httpx
import jwt
import openai
import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from services.stack.config import free_ports_env
from services.stack.launcher import Stack
from tests.grpc_helpers import internal_metadata
from tests.conftest import _create_pg_database, _drop_pg_database
from tests.eventually import eventually_sync

PROMPT = ("Please write a short note for Patient Jonathan Whitfield, date of birth 04/17/1958, "
          "phone 617-555-0186, SSN 219-09-9999, about his blood pressure follow-up.")
ORIGINALS = ["Jonathan Whitfield", "04/17/1958", "617-555-0186", "219-09-9999"]


def _rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(key, kid: str) -> dict:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


@pytest.fixture(scope="module")
def signing_key():
    return _rsa_key()


@pytest.fixture(scope="module")
def stack(redis_url, signing_key, tmp_path_factory):
    db_name, db_url = _create_pg_database()
    api_key = "e2e-" + os.urandom(12).hex()
    env = {**free_ports_env(), "RADIANT_DATABASE_URL": db_url, "RADIANT_REDIS_URL": redis_url,
           "RADIANT_BOOTSTRAP_API_KEY": api_key, "RADIANT_ENV": "test",
           "RADIANT_USAGE_STREAM": f"radiant:usage:e2e:{os.urandom(8).hex()}",
           "RADIANT_REQUEST_LOG_STREAM": f"radiant:requests:e2e:{os.urandom(8).hex()}",
           "RADIANT_JWKS_JSON": json.dumps({"keys": [_jwk(signing_key, "e2e-kid")]})}
    s = Stack(env, tmp_path_factory.mktemp("stack"))
    s.start()
    try:
        yield s, api_key, db_url
    finally:
        s.stop()
        _drop_pg_database(db_name)


@pytest.fixture(scope="module")
def client(stack):
    s, api_key, _ = stack
    return openai.OpenAI(base_url=f"{s.http_url}/v1", api_key=api_key, max_retries=0, timeout=20)


def _demo_requests(s) -> list[dict]:
    return httpx.get(f"{s.demo_provider_url.rstrip('/').removesuffix('/v1')}/_demo/requests").json()


def test_phi_round_trip_and_usage(stack, client):
    s, api_key, db_url = stack
    httpx.delete(f"{s.demo_provider_url.rstrip('/').removesuffix('/v1')}/_demo/requests")
    completion = client.chat.completions.create(model="radiant-demo", messages=[{"role": "user", "content": PROMPT}])
    answer = completion.choices[0].message.content
    for value in ORIGINALS:
        assert value in answer, answer
    received = json.dumps(_demo_requests(s))
    for value in ORIGINALS:
        assert value not in received
    assert "[PHI_NAME_1]" in received and "[PHI_SSN_1]" in received and "blood pressure" in received

    def usage_row():
        with psycopg.connect(db_url) as conn:
            return conn.execute("SELECT input_tokens, output_tokens, cost, billed_amount FROM usage_records "
                                "WHERE tenant_id = 'default'").fetchone()

    row = eventually_sync(usage_row, lambda r: r is not None)
    assert row is not None, "no usage record was written"
    assert (row[0], row[1]) == (completion.usage.prompt_tokens, completion.usage.completion_tokens)
    cost = Decimal(row[0]) / 1_000_000 * Decimal("0.50") + Decimal(row[1]) / 1_000_000 * Decimal("1.50")
    assert Decimal(row[2]) == cost and Decimal(row[3]) == cost * Decimal("1.20")

    now = datetime.now(timezone.utc)
    report = httpx.get(f"{s.http_url}/api/v2/usage", headers={"Authorization": f"Bearer {api_key}"}, params={
        "start": (now - timedelta(hours=1)).isoformat(), "end": (now + timedelta(hours=1)).isoformat()}).json()
    assert report["success"] and report["data"]["tenantId"] == "default"
    assert Decimal(report["data"]["totalCost"]) == cost and Decimal(report["data"]["totalBilled"]) == cost * Decimal("1.20")
    assert report["data"]["breakdown"][0]["inputTokens"] == completion.usage.prompt_tokens


def test_models_listed(client):
    assert "radiant-demo" in {m.id for m in client.models.list()}


def test_bad_api_keys_are_401(stack):
    s, api_key, _ = stack
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{s.http_url}/v1", api_key="not-a-key", max_retries=0).models.list()
    r = httpx.post(f"{s.http_url}/v1/chat/completions", json={"model": "radiant-demo", "messages": []})
    assert r.status_code == 401 and r.json()["error"]["type"] == "authentication_error"
    # A revoked key.
    with grpc.insecure_channel(s.grpc_addrs["auth"]) as ch:
        stub = auth_pb2_grpc.AuthServiceStub(ch)
        created = stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id="default", name="to-revoke"),
                                    metadata=internal_metadata("auth"))
        live = openai.OpenAI(base_url=f"{s.http_url}/v1", api_key=created.secret, max_retries=0)
        assert live.models.list().data
        stub.RevokeApiKey(auth_pb2.RevokeApiKeyRequest(tenant_id="default", id=created.key.id),
                          metadata=internal_metadata("auth"))
    with pytest.raises(openai.AuthenticationError) as exc:
        live.models.list()
    assert "revoked" in str(exc.value)


def _token(key, kid: str, **claims) -> str:
    now = int(time.time())
    body = {"sub": "user-1", "email": "clinician@example.org", "cognito:groups": ["users"],
            "custom:tenantId": "default", "iat": now, "exp": now + 300, **claims}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": kid})


def test_jwts(stack, signing_key):
    s, _, _ = stack
    good = openai.OpenAI(base_url=f"{s.http_url}/v1", api_key=_token(signing_key, "e2e-kid"), max_retries=0)
    assert good.chat.completions.create(model="radiant-demo", messages=[{"role": "user", "content": "hi"}]).choices
    expired = _token(signing_key, "e2e-kid", exp=int(time.time()) - 60, iat=int(time.time()) - 400)
    forged = _token(_rsa_key(), "e2e-kid")
    for token, needle in ((expired, "expired"), (forged, "")):
        with pytest.raises(openai.AuthenticationError) as exc:
            openai.OpenAI(base_url=f"{s.http_url}/v1", api_key=token, max_retries=0).models.list()
        assert needle in str(exc.value)


def test_unknown_model_404(client):
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])


@pytest.mark.parametrize("kwargs,fields", [
    ({"messages": []}, ["messages"]),
    ({"messages": [{"role": "user", "content": "hi"}], "temperature": 3}, ["temperature"]),
    ({"messages": [{"role": "user", "content": "hi"}], "max_tokens": 0}, ["max_tokens"]),
    ({"messages": [{"role": "user", "content": 42}], "temperature": "hot"}, ["messages.0.content", "temperature"]),
])
def test_invalid_bodies_400_name_fields(client, kwargs, fields):
    with pytest.raises(openai.BadRequestError) as exc:
        client.chat.completions.create(model="radiant-demo", **kwargs)
    details = exc.value.body["details"]
    for f in fields:
        assert f in details, details


def test_logs_hold_no_phi_or_secrets(stack):
    s, api_key, _ = stack
    logs = "".join(p.read_text(errors="replace") for p in s.log_dir.glob("*.log"))
    assert logs, "services wrote no logs"
    for value in [*ORIGINALS, api_key]:
        assert value not in logs


def test_phi_down_fails_closed_and_readyz_degrades(stack, client):
    """Last in this module: it kills the phi process."""
    s, _, _ = stack
    assert httpx.get(f"{s.http_url}/readyz").status_code == 200
    demo = s.demo_provider_url.rstrip("/").removesuffix("/v1")
    httpx.delete(f"{demo}/_demo/requests")
    os.kill(s.pids["phi"], signal.SIGKILL)
    with pytest.raises(openai.InternalServerError) as exc:
        client.chat.completions.create(model="radiant-demo", messages=[{"role": "user", "content": PROMPT}])
    assert exc.value.status_code == 503 and "PHI protection is unavailable" in str(exc.value)
    assert httpx.get(f"{demo}/_demo/requests").json() == []
    r = eventually_sync(lambda: httpx.get(f"{s.http_url}/readyz"), lambda r: r.status_code == 503)
    assert r.status_code == 503 and r.json()["failing"] == ["phi"]
