"""The API-key lifecycle end to end with the official openai SDK, against two router replicas: create (the secret
once), use, rotate (the old secret works during the grace period, then 401), revoke (401 at once on every replica),
expiry; permissions (a key without completions cannot chat); every step in the audit log, never a secret."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import openai
import pytest

from tests.eventually import eventually
from tests.router.admin.conftest import World

MESSAGES = [{"role": "user", "content": "Is the pharmacy open?"}]


@pytest.fixture(scope="module")
async def replicas(stack):
    """Two routers on the same services: each caches authentication decisions on its own."""
    _, port = await stack.start_router()
    return [stack.base_url, f"http://127.0.0.1:{port}"]


def _sdk(base_url: str, secret: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"{base_url}/v1", api_key=secret, max_retries=0)


async def _status(base_url: str, secret: str) -> int:
    try:
        await _sdk(base_url, secret).chat.completions.create(model="radiant-demo", messages=MESSAGES)
        return 200
    except openai.APIStatusError as exc:
        return exc.status_code


async def test_create_use_rotate_revoke(replicas, world: World, client_admin):
    admin, keys = client_admin
    r = await admin.post("/api/v2/admin/keys", json={"name": "ward app", "permissions": ["completions"], "tier": 3})
    assert r.status_code == 201, r.text
    created = r.json()["data"]
    secret, key = created["secret"], created["key"]
    assert secret.startswith(key["prefix"] + "_") and key["permissions"] == ["completions"] and key["tier"] == 3
    for base in replicas:  # used on both replicas (each now caches the decision)
        answer = await _sdk(base, secret).chat.completions.create(model="radiant-demo", messages=MESSAGES)
        assert answer.choices[0].message.content
    listed = (await admin.get("/api/v2/admin/keys")).json()["data"]["keys"]
    mine = next(k for k in listed if k["id"] == key["id"])
    assert {"prefix", "name", "permissions", "tier", "created_at", "last_used_at", "expires_at"} <= set(mine)
    assert mine["expires_at"] is None and secret not in str(listed)
    await eventually(lambda: admin.get(f"/api/v2/admin/keys/{key['id']}"),
                     lambda r: r.json()["data"]["key"]["last_used_at"] is not None)

    # Rotate with a grace period: both secrets work, then the old one stops.
    r = await admin.post(f"/api/v2/admin/keys/{key['id']}/rotate", json={"grace_period_seconds": 3})
    assert r.status_code == 201, r.text
    new_secret, new_key = r.json()["data"]["secret"], r.json()["data"]["key"]
    assert new_key["permissions"] == ["completions"] and new_key["name"] == "ward app"
    for base in replicas:
        assert await _status(base, secret) == 200  # still inside the grace period
        assert await _status(base, new_secret) == 200
    old = (await admin.get(f"/api/v2/admin/keys/{key['id']}")).json()["data"]["key"]
    assert old["replaced_by"] == new_key["id"] and old["expires_at"] and not old["revoked"]
    for base in replicas:
        assert await eventually(lambda: _status(base, secret), lambda s: s == 401, timeout=15) == 401
        assert await _status(base, new_secret) == 200
    with pytest.raises(openai.AuthenticationError) as exc:
        await _sdk(replicas[0], secret).chat.completions.create(model="radiant-demo", messages=MESSAGES)
    assert "grace period" in exc.value.message
    r = await admin.post(f"/api/v2/admin/keys/{key['id']}/rotate", json={})
    assert r.status_code == 422  # a rotated key is not rotated again

    # Revoke: refused at once on every replica, although both had the decision cached a moment ago.
    r = await admin.post(f"/api/v2/admin/keys/{new_key['id']}/revoke")
    assert r.status_code == 200 and r.json()["data"]["key"]["revoked"] is True
    for base in replicas:
        assert await _status(base, new_secret) == 401

    entries = (await admin.get("/api/v2/admin/audit-logs", params={"resource_type": "api_key"})).json()["data"]
    steps = [(e["action"], e["resource_id"]) for e in entries["entries"]]
    assert steps[:3] == [("api_key.revoke", new_key["id"]), ("api_key.rotate", key["id"]),
                         ("api_key.create", key["id"])]
    rotate = entries["entries"][1]
    assert rotate["before"]["replaced_by"] == "" and rotate["after"]["replaced_by"] == new_key["id"]
    assert rotate["details"]["replacement_key_id"] == new_key["id"]
    assert secret not in str(entries) and new_secret not in str(entries)
    revoke = entries["entries"][0]
    assert revoke["before"]["revoked"] is False and revoke["after"]["revoked"] is True


async def test_expiry(replicas, world: World, client_admin):
    admin, _ = client_admin
    expires = (datetime.now(timezone.utc) + timedelta(seconds=3)).isoformat()
    r = await admin.post("/api/v2/admin/keys", json={"name": "temp", "expires_at": expires})
    assert r.status_code == 201, r.text
    secret = r.json()["data"]["secret"]
    assert await _status(replicas[1], secret) == 200
    assert await eventually(lambda: _status(replicas[1], secret), lambda s: s == 401, timeout=15) == 401
    r = await admin.post("/api/v2/admin/keys", json={"name": "past", "expires_at": "2020-01-01T00:00:00Z"})
    assert r.status_code == 400 and "expires_at" in r.json()["error"]["details"]
    r = await admin.post("/api/v2/admin/keys", json={"name": "bad", "expires_at": "tomorrow"})
    assert r.status_code == 400 and "expires_at" in r.json()["error"]["details"]


async def test_permissions_decide_what_a_key_may_do(stack, world: World, client_admin):
    admin, _ = client_admin
    embed_only = (await admin.post("/api/v2/admin/keys", json={"name": "vectors", "permissions": ["embeddings"]})
                  ).json()["data"]["secret"]
    sdk = _sdk(stack.base_url, embed_only)
    with pytest.raises(openai.PermissionDeniedError) as exc:
        await sdk.chat.completions.create(model="radiant-demo", messages=MESSAGES)
    assert "completions" in exc.value.message
    vectors = await sdk.embeddings.create(model="radiant-demo-embedding", input=["hello"])
    assert len(vectors.data) == 1
    async with httpx.AsyncClient(base_url=stack.base_url, headers={"Authorization": f"Bearer {embed_only}"}) as c:
        assert (await c.post("/v1/messages", json={"model": "radiant-demo", "max_tokens": 5, "messages": [
            {"role": "user", "content": "hi"}]})).status_code == 403
        assert (await c.post("/api/v2/sessions", json={"model": "radiant-demo"})).status_code == 403
        assert (await c.get("/api/v2/health/ready")).status_code == 403
        assert (await c.get("/v1/models")).status_code == 200  # listing models needs no permission
        assert (await c.get("/api/v2/admin/users")).status_code == 403
    health = (await admin.post("/api/v2/admin/keys", json={"name": "probe", "permissions": ["health"]})
              ).json()["data"]["secret"]
    async with httpx.AsyncClient(base_url=stack.base_url, headers={"Authorization": f"Bearer {health}"}) as c:
        r = await c.get("/api/v2/health/ready")
        assert r.status_code == 200 and r.json()["data"]["status"] in ("ready", "degraded")
    r = await admin.post("/api/v2/admin/keys", json={"name": "x", "permissions": ["everything"]})
    assert r.status_code == 400 and "permissions" in r.json()["error"]["details"]


@pytest.fixture
async def client_admin(stack, world: World):
    async with httpx.AsyncClient(base_url=stack.base_url, headers=world.who["admin"].headers, timeout=20) as c:
        yield c, world
