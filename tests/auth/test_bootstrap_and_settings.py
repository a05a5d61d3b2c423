"""The bootstrap key of `radiant up`, and start-up configuration checks."""
from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa
from radiant.auth.v1 import auth_pb2

from services.auth.bootstrap import BootstrapError, ensure_bootstrap_key
from services.auth.models import ApiKey
from services.auth.settings import DEV_PEPPER, Settings
from services.runtime.config import ConfigError, load_settings
from services.runtime.db import create_engine
from tests.auth.conftest import JWKS_JSON, PEPPER, rpc_error


async def test_bootstrap_key_is_idempotent_and_admin(auth, secrets_never_logged):
    plaintext = f"dev-bootstrap-{uuid.uuid4().hex}"
    secrets_never_logged.extend([plaintext, PEPPER])
    await ensure_bootstrap_key(auth.db_url, PEPPER, plaintext)
    await ensure_bootstrap_key(auth.db_url, PEPPER, plaintext)  # second run: no change, no error
    p = (await auth.stub.Authenticate(auth_pb2.AuthenticateRequest(api_key=plaintext))).principal
    assert p.tenant_id == "default" and p.is_super_admin and list(p.roles) == ["super_admin"] and p.tier == 1
    assert list(p.permissions) == ["completions", "embeddings", "admin", "health"]
    engine = create_engine(auth.db_url)
    try:
        async with engine.connect() as conn:
            count = (await conn.execute(sa.select(sa.func.count()).select_from(ApiKey).where(
                ApiKey.id == p.key_id))).scalar_one()
    finally:
        await engine.dispose()
    assert count == 1
    keys = await auth.stub.ListApiKeys(auth_pb2.ListApiKeysRequest(tenant_id="default"))
    assert p.key_id in [k.id for k in keys.keys]


async def test_bootstrap_refuses_to_revive_a_revoked_key(auth, secrets_never_logged):
    plaintext = f"rad_{uuid.uuid4().hex[:12]}_{'Q' * 43}"
    secrets_never_logged.append(plaintext)
    await ensure_bootstrap_key(auth.db_url, PEPPER, plaintext)
    p = (await auth.stub.Authenticate(auth_pb2.AuthenticateRequest(api_key=plaintext))).principal
    assert p.key_id == plaintext[4:16]  # a rad_-formatted bootstrap key keeps its embedded id
    await auth.stub.RevokeApiKey(auth_pb2.RevokeApiKeyRequest(tenant_id="default", id=p.key_id))
    with pytest.raises(BootstrapError, match="revoked") as info:
        await ensure_bootstrap_key(auth.db_url, PEPPER, plaintext)
    assert plaintext not in str(info.value)
    err = await rpc_error(auth.stub.Authenticate(auth_pb2.AuthenticateRequest(api_key=plaintext)))
    assert err.message == "API key has been revoked"


def test_prod_requires_pepper(monkeypatch):
    monkeypatch.delenv("RADIANT_API_KEY_PEPPER", raising=False)
    with pytest.raises(ConfigError) as info:
        load_settings(Settings, env="prod")
    assert "RADIANT_API_KEY_PEPPER" in str(info.value)
    monkeypatch.setenv("RADIANT_ENV", "prod")
    monkeypatch.setenv("RADIANT_API_KEY_PEPPER", DEV_PEPPER)
    with pytest.raises(ConfigError, match="RADIANT_API_KEY_PEPPER"):
        load_settings(Settings)
    monkeypatch.setenv("RADIANT_API_KEY_PEPPER", "a-real-production-pepper-value")
    settings = load_settings(Settings)
    assert settings.api_key_pepper.get_secret_value() == "a-real-production-pepper-value"
    assert "a-real-production-pepper-value" not in repr(settings)


def test_dev_defaults_pepper_with_a_warning(monkeypatch, caplog):
    monkeypatch.delenv("RADIANT_API_KEY_PEPPER", raising=False)
    settings = load_settings(Settings, env="dev")
    assert settings.api_key_pepper.get_secret_value() == DEV_PEPPER and settings.grpc_port == 50051
    assert any("RADIANT_API_KEY_PEPPER" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def test_jwks_json_from_file_and_bad_values(tmp_path):
    path = tmp_path / "jwks.json"
    path.write_text(JWKS_JSON)
    assert load_settings(Settings, jwks_json=str(path), api_key_pepper="p").jwks_json == str(path)
    for bad in ("{not json", json.dumps({"nokeys": []}), str(tmp_path / "missing.json")):
        with pytest.raises(ConfigError, match="RADIANT_JWKS_JSON"):
            load_settings(Settings, jwks_json=bad, api_key_pepper="p")
    with pytest.raises(ConfigError, match="RADIANT_AUTH_CACHE_SECONDS"):
        load_settings(Settings, auth_cache_seconds=-1, api_key_pepper="p")
