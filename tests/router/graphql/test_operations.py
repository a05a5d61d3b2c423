"""The seed's GraphQL operations against the in-process stack: the catalogue, chat (PHI replaced before the provider
and restored in the answer), sessions, usage and the catalogue updates, each giving what the REST edge gives."""
from __future__ import annotations

import httpx
import orjson

from tests.eventually import eventually
from tests.router.graphql.conftest import gql

PHI_TEXT = "Patient John Smith, SSN 123-45-6789, called about his results."

MODELS = """query ($limit: Int, $next: String) {
  models(limit: $limit, nextToken: $next) { totalCount nextToken
    items { id name displayName type specialty status thermalState pricing { inputTokens billedMarkup }
            provider { id name type status } } } }"""


async def test_models_list_the_catalogue_the_tenant_may_use_with_their_providers(stack, world):
    admin = world.who["admin"]
    r = await gql(stack, admin, MODELS, {"limit": 100})
    assert r.status_code == 200, r.text
    page = r.json()["data"]["models"]
    demo = next(m for m in page["items"] if m["name"] == "radiant-demo")
    assert demo["status"] == "ACTIVE" and demo["type"] == "EXTERNAL" and demo["provider"]["name"] == "demo"
    assert page["totalCount"] == len(page["items"])
    async with httpx.AsyncClient(base_url=stack.base_url) as http:
        rest = (await http.get("/api/v2/models", params={"limit": 100}, headers=admin.headers)).json()
    assert {m["id"] for m in page["items"]} == {m["id"] for m in rest["data"]["models"]}

    first = (await gql(stack, admin, MODELS, {"limit": 1})).json()["data"]["models"]
    assert len(first["items"]) == 1 and first["nextToken"]
    second = (await gql(stack, admin, MODELS, {"limit": 1, "next": first["nextToken"]})).json()["data"]["models"]
    assert second["items"][0]["id"] != first["items"][0]["id"]


async def test_one_model_and_one_provider_with_its_models(stack, world):
    admin = world.who["admin"]
    models = (await gql(stack, admin, MODELS, {"limit": 100})).json()["data"]["models"]["items"]
    demo = next(m for m in models if m["name"] == "radiant-demo")
    r = await gql(stack, admin, """query ($id: ID!, $p: ID!) { model(id: $id) { id name }
        provider(id: $p) { name hipaaCompliant authType models { name } }
        providers(status: ACTIVE) { items { id status } } }""", {"id": demo["id"], "p": demo["provider"]["id"]})
    data = r.json()["data"]
    assert data["model"] == {"id": demo["id"], "name": "radiant-demo"}
    assert "radiant-demo" in {m["name"] for m in data["provider"]["models"]}
    assert data["providers"]["items"] and all(p["status"] == "ACTIVE" for p in data["providers"]["items"])
    missing = await gql(stack, admin, "{ model(id: \"no-such-model\") { id } }")
    assert missing.json() == {"data": {"model": None}}


CHAT = """mutation ($input: ChatInput!) { chat(input: $input) {
  id sessionId model finishReason createdAt message { role content } usage { promptTokens completionTokens totalTokens }
} }"""


async def test_chat_replaces_phi_before_the_provider_and_restores_it_in_the_answer(stack, world):
    plain = world.who["plain"]
    r = await gql(stack, plain, CHAT, {"input": {"model": "radiant-demo",
                                                 "messages": [{"role": "user", "content": PHI_TEXT}]}})
    assert r.status_code == 200, r.text
    chat = r.json()["data"]["chat"]
    assert "John Smith" in chat["message"]["content"] and "123-45-6789" in chat["message"]["content"]
    assert chat["message"]["role"] == "assistant" and chat["usage"]["totalTokens"] > 0 and chat["sessionId"]
    async with httpx.AsyncClient() as http:
        seen = orjson.dumps((await http.get(stack.demo_app_requests_url)).json()).decode()
    assert "123-45-6789" not in seen and "[PHI_SSN_1]" in seen

    # The chat was stored in its session, which the caller reads back with the PHI restored.
    session = await gql(stack, plain, "query ($id: ID!) { session(id: $id) { id model messages { role content } } }",
                        {"id": chat["sessionId"]})
    messages = session.json()["data"]["session"]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"] and messages[0]["content"] == PHI_TEXT


async def test_chat_input_is_validated_like_the_rest_body(stack, world):
    r = await gql(stack, world.who["plain"], CHAT, {"input": {"model": "radiant-demo", "messages": [
        {"role": "user", "content": "hi"}], "temperature": 7}})
    body = r.json()
    assert r.status_code == 400 and body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert "temperature" in body["errors"][0]["extensions"]["details"]


async def test_session_lifecycle(stack, world):
    plain = world.who["plain"]
    created = (await gql(stack, plain, """mutation { createSession(input: {model: "radiant-demo", title: "Visit",
        metadata: "{\\"ward\\": 3}"}) { id userId tenantId title model metadata messages { content } } }""")).json()
    session = created["data"]["createSession"]
    assert session["title"] == "Visit" and orjson.loads(session["metadata"]) == {"ward": 3}
    assert session["tenantId"] == world.a and session["userId"] == plain.user_id and session["messages"] == []

    updated = (await gql(stack, plain, """mutation ($id: ID!) { updateSession(input: {id: $id, title: "Follow-up"})
        { title } }""", {"id": session["id"]})).json()
    assert updated["data"]["updateSession"]["title"] == "Follow-up"
    listed = (await gql(stack, plain, "query ($u: ID!) { sessions(userId: $u, limit: 100) { totalCount items { id } } }",
                        {"u": plain.user_id})).json()["data"]["sessions"]
    assert session["id"] in {s["id"] for s in listed["items"]}

    assert (await gql(stack, plain, "mutation ($id: ID!) { deleteSession(id: $id) }",
                      {"id": session["id"]})).json()["data"] == {"deleteSession": True}
    gone = await gql(stack, plain, "query ($id: ID!) { session(id: $id) { id } }", {"id": session["id"]})
    assert gone.json()["data"] == {"session": None}
    again = await gql(stack, plain, "mutation ($id: ID!) { deleteSession(id: $id) }", {"id": session["id"]})
    assert again.status_code == 404 and again.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_usage_reports_the_tenants_chats(stack, world):
    admin = world.who["admin"]
    await gql(stack, admin, CHAT, {"input": {"model": "radiant-demo", "messages": [{"role": "user",
                                                                                    "content": "Count me"}]}})
    query = """query ($t: ID!) { usage(tenantId: $t, startDate: "2000-01-01T00:00:00Z", endDate: "2100-01-01T00:00:00Z")
        { tenantId totalCost totalBilled breakdown { modelId providerId requests inputTokens outputTokens cost } } }"""

    async def report():
        return (await gql(stack, admin, query, {"t": world.a})).json()["data"]["usage"]

    usage = await eventually(report, lambda u: sum(b["requests"] for b in u["breakdown"]) >= 1)
    assert usage["tenantId"] == world.a and sum(b["requests"] for b in usage["breakdown"]) >= 1
    assert all(b["inputTokens"] > 0 for b in usage["breakdown"])


async def test_the_request_log_records_graphql_chats(stack, world):
    plain = world.who["plain"]
    chat = (await gql(stack, plain, CHAT, {"input": {"model": "radiant-demo", "messages": [
        {"role": "user", "content": "Log me"}]}})).json()["data"]["chat"]

    async def records():
        async with httpx.AsyncClient(base_url=stack.base_url) as http:
            r = await http.get("/api/v2/requests", params={"surface": "graphql", "limit": 100}, headers=plain.headers)
        return [row for row in r.json()["data"]["requests"] if row["sessionId"] == chat["sessionId"]]

    found = await eventually(records, lambda rows: len(rows) >= 1)
    assert len(found) == 1 and found[0]["surface"] == "graphql" and found[0]["status"] == "success"
    assert found[0]["model"] == "radiant-demo" and found[0]["usage"]["totalTokens"] == chat["usage"]["totalTokens"]


async def test_an_operator_switches_a_model_to_cold_and_the_change_is_audited(stack, world):
    operator = world.who["operator"]
    models = (await gql(stack, operator, MODELS, {"limit": 100})).json()["data"]["models"]["items"]
    warm = next(m for m in models if m["thermalState"] == "WARM")
    switch = """mutation ($id: ID!, $s: ThermalState) { updateModel(input: {id: $id, thermalState: $s})
        { id thermalState } }"""
    r = await gql(stack, operator, switch, {"id": warm["id"], "s": "COLD"})
    assert r.json()["data"]["updateModel"] == {"id": warm["id"], "thermalState": "COLD"}
    async with httpx.AsyncClient(base_url=stack.base_url) as http:
        rest = (await http.get(f"/api/v2/models/{warm['id']}", headers=operator.headers)).json()
        audit = (await http.get("/api/v2/admin/audit-logs", params={"action": "model.update"},
                                headers=world.who["admin"].headers)).json()["data"]["entries"]
    assert rest["data"]["model"]["thermalState"] == "COLD"
    entry = next(e for e in audit if e["resource_id"] == warm["id"])
    assert entry["actor_role"] == "operator"
    assert entry["before"]["thermal_state"] == "WARM" and entry["after"]["thermal_state"] == "COLD"
    await gql(stack, operator, switch, {"id": warm["id"], "s": "WARM"})
