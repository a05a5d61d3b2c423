"""MCP-style context injection: a tenant that enables the product-catalogue provider gets its own matching products
as a system message after PHI sanitization; other tenants get nothing injected, and never another tenant's products."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from services.router.context.product_catalog import NAME as CATALOGUE, query_words
from services.router.context.registry import CONTEXT_HEADER
from tests.router.policy.support import Tenants, auth_header, clear_provider_requests, provider_requests

MONITOR = {"product_id": "bp-100", "name": "Omron Blood Pressure Monitor", "category": "Health Devices",
           "brand": "Omron", "price": Decimal("59.99"), "availability": "in-stock", "rating": Decimal("4.6"),
           "description": "Upper-arm cuff, stores 100 readings"}
SCALE = {"product_id": "sc-7", "name": "Smart Scale", "category": "Health Devices", "brand": "Withings",
         "price": Decimal("99.00"), "availability": "limited", "description": "Weight and body composition"}
HEARING = {"product_id": "ha-1", "name": "Smith Hearing Aid", "category": "Audiology", "brand": "Smith",
           "description": "Behind-the-ear"}


@pytest.fixture
def tenants(stack) -> Tenants:
    return Tenants(stack)


@pytest.fixture
def catalogue(stack):
    return stack.router_app.state.pipeline.context.providers[CATALOGUE]


async def _sent(stack, http, key: str, messages: list[dict], **extra) -> list[dict]:
    """The messages the provider received for one chat request."""
    await clear_provider_requests(stack)
    r = await http.post("/v1/chat/completions", headers=auth_header(key),
                        json={"model": "radiant-demo", "messages": messages, **extra})
    assert r.status_code == 200, r.text
    [body] = await provider_requests(stack)
    return body["messages"]


def _context(messages: list[dict]) -> list[str]:
    return [m["content"] for m in messages if m["role"] == "system" and m["content"].startswith(CONTEXT_HEADER)]


async def test_enabled_tenant_gets_matching_products_after_sanitization(stack, http, tenants, tenant_id, catalogue):
    key = await tenants.tenant_with_key(tenant_id, context_providers=[CATALOGUE])
    for product in (MONITOR, SCALE, HEARING):
        await catalogue.put(tenant_id, product)
    sent = await _sent(stack, http, key, [
        {"role": "system", "content": "You are a pharmacy assistant."},
        {"role": "user", "content": "Which blood pressure monitor should John Smith (SSN 123-45-6789) buy?"}])
    assert [m["role"] for m in sent] == ["system", "system", "user"]  # after the client's system prompt
    [context] = _context(sent)
    assert "Omron Blood Pressure Monitor (Omron, Health Devices): $59.99, in-stock, rated 4.6/5" in context
    assert "Smart Scale" not in context  # shares no word with the question
    # The user's words reach matching sanitized: "Smith" was only in the patient's name, so no hearing aid.
    assert "Hearing" not in context
    assert "John Smith" not in str(sent) and "[PHI_NAME_1]" in sent[2]["content"]


async def test_ranking_prefers_name_matches_and_caps_the_list(stack, http, tenants, tenant_id, catalogue):
    key = await tenants.tenant_with_key(tenant_id, context_providers=[CATALOGUE])
    for i in range(8):
        await catalogue.put(tenant_id, {"product_id": f"cuff-{i}", "name": f"Cuff model {i}",
                                        "description": "blood pressure accessory"})
    await catalogue.put(tenant_id, MONITOR)
    [context] = _context(await _sent(stack, http, key, [{"role": "user", "content": "blood pressure monitor"}]))
    lines = [line for line in context.splitlines() if line.startswith("- ")]
    assert len(lines) == 5 and lines[0].startswith("- Omron Blood Pressure Monitor")


async def test_tenant_that_did_not_enable_the_provider_gets_nothing(stack, http, tenants, tenant_id, catalogue):
    key = await tenants.tenant_with_key(tenant_id)
    await catalogue.put(tenant_id, MONITOR)
    sent = await _sent(stack, http, key, [{"role": "user", "content": "Which blood pressure monitor?"}])
    assert _context(sent) == [] and len(sent) == 1


async def test_never_another_tenants_products(stack, http, tenants, tenant_id, catalogue):
    key = await tenants.tenant_with_key(tenant_id, context_providers=[CATALOGUE])
    other = f"{tenant_id}-other"
    await tenants.create(other, context_providers=[CATALOGUE])
    await catalogue.put(other, MONITOR)
    await catalogue.put(tenant_id, SCALE)
    sent = await _sent(stack, http, key, [{"role": "user", "content": "blood pressure monitor or a smart scale?"}])
    [context] = _context(sent)
    assert "Smart Scale" in context and "Omron" not in context
    nothing = await _sent(stack, http, key, [{"role": "user", "content": "blood pressure monitor please"}])
    assert _context(nothing) == []


async def test_streaming_requests_get_context_too(stack, http, tenants, tenant_id, catalogue):
    key = await tenants.tenant_with_key(tenant_id, context_providers=[CATALOGUE])
    await catalogue.put(tenant_id, MONITOR)
    await clear_provider_requests(stack)
    async with http.stream("POST", "/v1/chat/completions", headers=auth_header(key), json={
            "model": "radiant-demo", "stream": True, "messages": [{"role": "user", "content": "Omron monitor?"}]}) as r:
        assert r.status_code == 200
        await r.aread()
    [body] = await provider_requests(stack)
    assert len(_context(body["messages"])) == 1


async def test_injected_context_is_not_stored_in_the_session(stack, http, tenants, tenant_id, catalogue):
    key = await tenants.tenant_with_key(tenant_id, context_providers=[CATALOGUE])
    await catalogue.put(tenant_id, MONITOR)
    sid = str(uuid.uuid4())
    sent = await _sent(stack, http, key, [{"role": "user", "content": "Omron monitor?"}], session_id=sid)
    assert len(_context(sent)) == 1
    session = (await http.get(f"/api/v2/sessions/{sid}", headers=auth_header(key))).json()["data"]
    assert [m["role"] for m in session["messages"]] == ["user", "assistant"]


class _Broken:
    name = f"broken-{uuid.uuid4().hex[:6]}"

    async def context(self, tenant_id: str, query: str) -> str | None:
        raise RuntimeError("catalogue backend down")

    async def close(self) -> None:
        return None


async def test_failing_or_unknown_providers_do_not_fail_the_request(stack, http, tenants, tenant_id, catalogue):
    broken = _Broken()
    stack.router_app.state.pipeline.context.register(broken)
    key = await tenants.tenant_with_key(tenant_id, context_providers=[broken.name, "not-installed", CATALOGUE])
    await catalogue.put(tenant_id, MONITOR)
    [context] = _context(await _sent(stack, http, key, [{"role": "user", "content": "Omron monitor?"}]))
    assert "Omron" in context


def test_query_words_skip_placeholders_and_filler():
    assert query_words("Which blood-pressure MONITOR would [PHI_NAME_1] like? the the") == [
        "blood-pressure", "monitor", "like"]


async def test_admin_rest_manages_the_callers_catalogue(stack, http, tenants, tenant_id):
    await tenants.create(tenant_id, context_providers=[CATALOGUE])
    admin_key = await tenants.key(tenant_id, roles=("admin",))
    admin = auth_header(admin_key)
    base = "/api/v2/admin/context/products"
    r = await http.put(f"{base}/bp-100", headers=admin, json={
        "name": "Omron Blood Pressure Monitor", "brand": "Omron", "price": "59.99", "rating": 4.6})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["price"] == "59.99" and r.json()["data"]["availability"] == "in-stock"
    sent = await _sent(stack, http, admin_key, [{"role": "user", "content": "omron?"}])
    assert "Omron Blood Pressure Monitor (Omron): $59.99" in _context(sent)[0]

    listed = (await http.get(base, headers=admin)).json()["data"]
    assert [p["productId"] for p in listed["products"]] == ["bp-100"] and listed["pagination"]["total"] == 1
    await tenants.create(f"{tenant_id}-x")
    other_admin = auth_header(await tenants.key(f"{tenant_id}-x", roles=("admin",)))
    assert (await http.get(base, headers=other_admin)).json()["data"]["products"] == []
    assert (await http.delete(f"{base}/bp-100", headers=other_admin)).status_code == 404

    for bad, field in (({"name": ""}, "name"), ({"name": "x", "price": "-1"}, "price"),
                       ({"name": "x", "rating": 7}, "rating"), ({"name": "x", "colour": "red"}, "colour"),
                       ({"name": "x", "description": "nul\u0000byte"}, "description")):
        r = await http.put(f"{base}/bp-2", headers=admin, json=bad)
        assert r.status_code == 400 and any(field in k for k in r.json()["error"]["details"]), r.text
    assert (await http.put(f"{base}/bad id!", headers=admin, json={"name": "x"})).status_code == 400

    assert (await http.delete(f"{base}/bp-100", headers=admin)).status_code == 200
    assert (await http.delete(f"{base}/bp-100", headers=admin)).status_code == 404


async def test_catalogue_admin_needs_an_admin(stack, http, tenant_id):
    key = await stack.new_tenant_key(tenant_id, roles=())
    r = await http.get("/api/v2/admin/context/products", headers=auth_header(key))
    assert r.status_code == 403
    r = await http.put("/api/v2/admin/context/products/p1", headers=auth_header(key), json={"name": "x"})
    assert r.status_code == 403
