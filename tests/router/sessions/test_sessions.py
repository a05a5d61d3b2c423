"""Sessions: a chat request with session_id stores the conversation (placeholders only, 30-day TTL); the /api/v2/sessions
routes read it back with PHI restored while its mapping lives, and isolate sessions per tenant and user (404)."""
from __future__ import annotations

import uuid

import pytest
import redis.asyncio as aioredis

from tests.router.policy.support import Tenants, auth_header, clear_provider_requests, provider_requests

PROMPT = "Patient John Smith, SSN 123-45-6789, phone (617) 555-0134, asks about his lisinopril dose."
ORIGINALS = ["John Smith", "123-45-6789", "(617) 555-0134"]
THIRTY_DAYS = 30 * 24 * 3600


@pytest.fixture
async def raw_redis(redis_url):
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def tenants(stack) -> Tenants:
    return Tenants(stack)


@pytest.fixture
async def key(tenants, tenant_id) -> str:
    return await tenants.tenant_with_key(tenant_id)


async def _session_key(raw_redis, tenant_id: str, sid: str) -> bytes:
    found = [k async for k in raw_redis.scan_iter(match=f"radiant:session:{tenant_id}:*:{sid}")]
    assert len(found) == 1, found
    return found[0]


async def _chat(http, key: str, messages: list[dict], sid: str, **extra):
    return await http.post("/v1/chat/completions", headers=auth_header(key),
                           json={"model": "radiant-demo", "messages": messages, "session_id": sid, **extra})


async def _get(http, key: str, sid: str):
    return await http.get(f"/api/v2/sessions/{sid}", headers=auth_header(key))


async def test_chat_turn_is_stored_and_read_back_with_phi_restored(http, key, tenant_id, raw_redis):
    sid = str(uuid.uuid4())
    r = await _chat(http, key, [{"role": "system", "content": "Be brief."}, {"role": "user", "content": PROMPT}], sid)
    assert r.status_code == 200, r.text

    got = await _get(http, key, sid)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["success"] is True
    session = body["data"]
    assert session["id"] == sid and session["tenantId"] == tenant_id and session["model"] == "radiant-demo"
    assert session["messageCount"] == 3 and session["phiRestored"] is True and session["phiMappingId"]
    assert [m["role"] for m in session["messages"]] == ["system", "user", "assistant"]
    assert session["messages"][1]["content"] == PROMPT
    assert session["messages"][2]["content"] == r.json()["choices"][0]["message"]["content"]
    assert "John Smith" in session["messages"][2]["content"]
    assert session["createdAt"] and session["updatedAt"]

    stored = await raw_redis.hgetall(await _session_key(raw_redis, tenant_id, sid))
    raw = b" ".join(stored.values()).decode()
    for value in ORIGINALS:
        assert value not in raw
    assert "[PHI_NAME_1]" in raw and "[PHI_SSN_1]" in raw and "lisinopril" in raw


async def test_sessions_live_thirty_days(http, key, tenant_id, raw_redis):
    sid = str(uuid.uuid4())
    assert (await _chat(http, key, [{"role": "user", "content": "hello"}], sid)).status_code == 200
    ttl = await raw_redis.ttl(await _session_key(raw_redis, tenant_id, sid))
    assert THIRTY_DAYS - 120 < ttl <= THIRTY_DAYS
    index = [k async for k in raw_redis.scan_iter(match=f"radiant:sessions:{tenant_id}:*")]
    assert len(index) == 1 and THIRTY_DAYS - 120 < await raw_redis.ttl(index[0]) <= THIRTY_DAYS


async def test_expired_mapping_returns_placeholders_and_says_so(http, key, tenant_id, raw_redis):
    sid = str(uuid.uuid4())
    assert (await _chat(http, key, [{"role": "user", "content": PROMPT}], sid)).status_code == 200
    session = (await _get(http, key, sid)).json()["data"]
    deleted = await raw_redis.delete(f"radiant:phi:map:{tenant_id}:{session['phiMappingId']}")
    assert deleted == 1

    session = (await _get(http, key, sid)).json()["data"]
    assert session["phiRestored"] is False and session["phiRestoreReason"] == "mapping_expired"
    user = session["messages"][0]["content"]
    assert "[PHI_NAME_1]" in user and "John Smith" not in user


async def test_tenant_that_forbids_reidentification_reads_placeholders(stack, http, tenants, tenant_id):
    key = await tenants.tenant_with_key(tenant_id)
    admin = await tenants.key(tenant_id, roles=("admin",))
    r = await http.put("/api/v2/admin/phi/policy", headers=auth_header(admin),
                       json={"reidentification": {"allowed": False}})
    assert r.status_code == 200, r.text
    sid = str(uuid.uuid4())
    assert (await _chat(http, key, [{"role": "user", "content": PROMPT}], sid)).status_code == 200
    session = (await _get(http, key, sid)).json()["data"]
    assert session["phiRestored"] is False and session["phiRestoreReason"] == "not_allowed"
    assert "John Smith" not in str(session) and "[PHI_NAME_1]" in session["messages"][0]["content"]


async def test_each_turn_replaces_the_conversation_under_its_own_mapping(http, key, tenant_id):
    sid = str(uuid.uuid4())
    first = [{"role": "user", "content": "My name is Maria Garcia."}]
    r1 = await _chat(http, key, first, sid)
    created = (await _get(http, key, sid)).json()["data"]
    conversation = [*first, r1.json()["choices"][0]["message"],
                    {"role": "user", "content": "Call John Smith at (617) 555-0134."}]
    assert (await _chat(http, key, conversation, sid)).status_code == 200
    session = (await _get(http, key, sid)).json()["data"]
    assert session["messageCount"] == 4 and session["phiRestored"] is True
    assert session["createdAt"] == created["createdAt"] and session["updatedAt"] >= created["updatedAt"]
    assert session["phiMappingId"] != created["phiMappingId"]
    # Both names restore correctly although each turn numbered its placeholders from 1.
    assert session["messages"][0]["content"] == "My name is Maria Garcia."
    assert session["messages"][2]["content"] == "Call John Smith at (617) 555-0134."
    assert session["messages"][3]["content"] == "Call John Smith at (617) 555-0134."


async def test_streamed_answer_is_stored(http, key, tenant_id):
    sid = str(uuid.uuid4())
    async with http.stream("POST", "/v1/chat/completions", headers=auth_header(key), json={
            "model": "radiant-demo", "stream": True, "session_id": sid,
            "messages": [{"role": "user", "content": PROMPT}]}) as r:
        assert r.status_code == 200
        body = (await r.aread()).decode()
    assert body.rstrip().endswith("data: [DONE]")
    session = (await _get(http, key, sid)).json()["data"]
    assert [m["role"] for m in session["messages"]] == ["user", "assistant"]
    assert session["messages"][1]["content"] == PROMPT


async def test_session_id_must_be_a_uuid(stack, http, key):
    await clear_provider_requests(stack)
    r = await _chat(http, key, [{"role": "user", "content": "hi"}], "not-a-uuid")
    assert r.status_code == 400 and "session_id" in r.json()["error"]["details"]
    assert await provider_requests(stack) == []
    r = await http.get("/api/v2/sessions/not-a-uuid", headers=auth_header(key))
    assert r.status_code == 400 and "id" in r.json()["error"]["details"]


async def test_create_update_delete(http, key, tenant_id, raw_redis):
    h = auth_header(key)
    r = await http.post("/api/v2/sessions", headers=h, json={
        "model": "radiant-demo", "title": "Follow-up for John Smith", "metadata": {"caller": {"phone": "(617) 555-0134"},
                                                                               "tags": ["cardiology", 3]}})
    assert r.status_code == 201, r.text
    session = r.json()["data"]
    sid = session["id"]
    assert uuid.UUID(sid) and session["messages"] == [] and session["messageCount"] == 0
    assert session["title"] == "Follow-up for John Smith" and session["phiRestored"] is True
    assert session["metadata"] == {"caller": {"phone": "(617) 555-0134"}, "tags": ["cardiology", 3]}
    raw = b" ".join((await raw_redis.hgetall(await _session_key(raw_redis, tenant_id, sid))).values()).decode()
    assert "John Smith" not in raw and "555-0134" not in raw and "cardiology" in raw

    r = await http.patch(f"/api/v2/sessions/{sid}", headers=h, json={"title": "Renamed for Mary Jones"})
    assert r.status_code == 200, r.text
    patched = r.json()["data"]
    assert patched["title"] == "Renamed for Mary Jones"
    assert patched["metadata"] == session["metadata"]  # untouched, still restorable
    assert patched["updatedAt"] >= session["updatedAt"] and patched["createdAt"] == session["createdAt"]
    assert (await _get(http, key, sid)).json()["data"]["title"] == "Renamed for Mary Jones"

    metadata = {"ward": "4B", "contact": "mary.jones@example.com"}
    r = await http.patch(f"/api/v2/sessions/{sid}", headers=h, json={"metadata": metadata})
    assert r.json()["data"]["title"] == "Renamed for Mary Jones" and r.json()["data"]["metadata"] == metadata
    # One live mapping per label: the replaced ones were dropped.
    assert len([k async for k in raw_redis.scan_iter(match=f"radiant:phi:map:{tenant_id}:*")]) == 2

    r = await http.delete(f"/api/v2/sessions/{sid}", headers=h)
    assert r.status_code == 200 and r.json()["data"] == {"id": sid, "deleted": True}
    assert [k async for k in raw_redis.scan_iter(match=f"radiant:phi:map:{tenant_id}:*")] == []
    assert (await _get(http, key, sid)).status_code == 404
    assert (await http.delete(f"/api/v2/sessions/{sid}", headers=h)).status_code == 404
    r = await http.patch(f"/api/v2/sessions/{sid}", headers=h, json={"title": "back"})
    assert r.status_code == 404  # a PATCH never brings a deleted session back
    assert [k async for k in raw_redis.scan_iter(match=f"radiant:session:{tenant_id}:*:{sid}")] == []


@pytest.mark.parametrize("body,status,field", [
    ({}, 400, "model"),
    ({"model": "radiant-demo", "colour": "blue"}, 400, "colour"),
    ({"model": "radiant-demo", "title": "x" * 201}, 400, "title"),
    ({"model": "radiant-demo", "metadata": {"blob": "x" * 17_000}}, 400, "metadata"),
    ({"model": "radiant-demo", "metadata": ["not", "an", "object"]}, 400, "metadata"),
    ({"model": "gpt-17"}, 404, "model"),
])
async def test_create_validation(http, key, body, status, field):
    r = await http.post("/api/v2/sessions", headers=auth_header(key), json=body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert r.json()["success"] is False and any(field in k for k in error.get("details") or {field: 1}), error


async def test_create_applies_tenant_model_policies(http, tenants, tenant_id):
    key = await tenants.tenant_with_key(tenant_id, default_model="radiant-demo", blocked_models=["radiant-demo-x"])
    r = await http.post("/api/v2/sessions", headers=auth_header(key), json={"model": "default"})
    assert r.status_code == 201 and r.json()["data"]["model"] == "radiant-demo"
    other = await tenants.tenant_with_key(f"{tenant_id}-b", allowed_providers=["openai"])
    r = await http.post("/api/v2/sessions", headers=auth_header(other), json={"model": "radiant-demo"})
    assert r.status_code == 403 and "not allowed" in r.json()["error"]["message"]


async def test_patch_needs_a_field(http, key):
    sid = (await http.post("/api/v2/sessions", headers=auth_header(key), json={"model": "radiant-demo"})).json()["data"]["id"]
    r = await http.patch(f"/api/v2/sessions/{sid}", headers=auth_header(key), json={})
    assert r.status_code == 400


async def test_list_is_paginated_newest_first(http, key):
    h = auth_header(key)
    ids = [(await http.post("/api/v2/sessions", headers=h, json={"model": "radiant-demo", "title": f"s{i}"}))
           .json()["data"]["id"] for i in range(5)]
    r = await http.get("/api/v2/sessions", headers=h, params={"limit": 2})
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["pagination"] == {"limit": 2, "offset": 0, "total": 5, "hasMore": True}
    assert [s["id"] for s in data["sessions"]] == ids[::-1][:2]
    assert "messages" not in data["sessions"][0] and data["sessions"][0]["title"] == "s4"
    tail = (await http.get("/api/v2/sessions", headers=h, params={"limit": 2, "offset": 4})).json()["data"]
    assert [s["id"] for s in tail["sessions"]] == [ids[0]] and tail["pagination"]["hasMore"] is False
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert (await http.get("/api/v2/sessions", headers=h, params=params)).status_code == 400


async def test_sessions_are_isolated_per_user_and_tenant(http, tenants, tenant_id, key):
    sid = str(uuid.uuid4())
    assert (await _chat(http, key, [{"role": "user", "content": PROMPT}], sid)).status_code == 200
    same_tenant_other_user = await tenants.key(tenant_id)
    other_tenant = await tenants.tenant_with_key(f"{tenant_id}-other")
    for intruder in (same_tenant_other_user, other_tenant):
        h = auth_header(intruder)
        assert (await _get(http, intruder, sid)).status_code == 404
        assert (await http.patch(f"/api/v2/sessions/{sid}", headers=h, json={"title": "mine"})).status_code == 404
        assert (await http.delete(f"/api/v2/sessions/{sid}", headers=h)).status_code == 404
        assert (await http.get("/api/v2/sessions", headers=h)).json()["data"]["pagination"]["total"] == 0
        # Chatting with the same id starts the intruder's own session; the owner's stays as it was.
        assert (await _chat(http, intruder, [{"role": "user", "content": "hijack"}], sid)).status_code == 200
    owner = (await _get(http, key, sid)).json()["data"]
    assert owner["messages"][0]["content"] == PROMPT and owner["messageCount"] == 2


async def test_routes_need_credentials(http):
    r = await http.get("/api/v2/sessions")
    assert r.status_code == 401 and r.json()["success"] is False
