"""PHI through the whole pipeline: the provider sees placeholders only, the caller gets the original values back,
usage is metered and reported for the caller's tenant only."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx

from tests.eventually import eventually
from tests.grpc_helpers import internal_channel

PROMPT = ("Patient John Smith, DOB 03/14/1962, phone (617) 555-0134, SSN 123-45-6789, "
          "asks whether to double his lisinopril dose.")
ORIGINALS = ["John Smith", "03/14/1962", "(617) 555-0134", "123-45-6789"]


async def _provider_saw(stack) -> list[dict]:
    async with httpx.AsyncClient() as c:
        return (await c.get(stack.demo_app_requests_url)).json()


async def test_provider_sees_placeholders_and_caller_gets_originals(stack, http, api_key, tenant_id):
    async with httpx.AsyncClient() as c:
        await c.delete(stack.demo_app_requests_url)
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"}, json={
        "model": "radiant-demo", "messages": [{"role": "system", "content": "You are terse."},
                                               {"role": "user", "content": PROMPT}]})
    assert r.status_code == 200, r.text
    seen = await _provider_saw(stack)
    assert len(seen) == 1
    sent = str(seen[0])
    for value in ORIGINALS:
        assert value not in sent
    assert "[PHI_NAME_1]" in sent and "[PHI_SSN_1]" in sent and "lisinopril" in sent
    answer = r.json()["choices"][0]["message"]["content"]
    for value in ORIGINALS:
        assert value in answer

    start = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    end = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    async def report():
        rep = await http.get("/api/v2/usage", params={"start": start, "end": end},
                             headers={"Authorization": f"Bearer {api_key}"})
        assert rep.status_code == 200, rep.text
        return rep.json()["data"]

    data = await eventually(report, lambda d: d["totalRequests"] == 1)
    usage = r.json()["usage"]
    assert data["tenantId"] == tenant_id and data["totalRequests"] == 1
    [row] = data["breakdown"]
    assert row["providerId"] == stack.demo_provider_id and row["modelId"]
    assert row["providerName"] == "demo" and row["modelName"] == "radiant-demo"
    assert row["modelDisplayName"] == "Radiant Demo"

    # Without a period: the current calendar month (UTC) up to now, which holds this request too.
    rep = await http.get("/api/v2/usage", headers={"Authorization": f"Bearer {api_key}"})
    month = rep.json()["data"]
    assert rep.status_code == 200 and month["totalRequests"] == 1 and month["breakdown"] == data["breakdown"]
    assert month["start"] == datetime.now(timezone.utc).strftime("%Y-%m-01T00:00:00Z")
    assert row["inputTokens"] == usage["prompt_tokens"] and row["outputTokens"] == usage["completion_tokens"]
    cost = Decimal(usage["prompt_tokens"]) / 1_000_000 * Decimal("0.50") + \
        Decimal(usage["completion_tokens"]) / 1_000_000 * Decimal("1.50")
    assert Decimal(data["totalCost"]) == cost
    assert Decimal(data["totalBilled"]) == cost * Decimal("1.20")


async def test_usage_is_tenant_scoped(stack, http, api_key):
    other = await stack.new_tenant_key("other-" + api_key[-6:].lower().replace("_", "x").replace("-", "x"))
    await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {other}"},
                    json={"model": "radiant-demo", "messages": [{"role": "user", "content": "hi"}]})
    start = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    end = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()

    async def report(key):
        rep = await http.get("/api/v2/usage", params={"start": start, "end": end},
                             headers={"Authorization": f"Bearer {key}"})
        return rep.json()["data"]

    # Once the other tenant's record has landed, it still does not show in this tenant's report.
    await eventually(lambda: report(other), lambda d: d["totalRequests"] == 1)
    assert (await report(api_key))["totalRequests"] == 0


async def test_secrets_and_policy_violations(stack, http, api_key):
    h = {"Authorization": f"Bearer {api_key}"}
    r = await http.post("/v1/chat/completions", headers=h, json={
        "model": "radiant-demo", "enable_phi": False, "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 403 and "enable_phi" in r.json()["error"]["message"] + str(r.json()["error"])
    r = await http.post("/v1/chat/completions", headers=h, json={
        "model": "radiant-demo", "phi_categories": ["BLOOD_TYPE"], "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 400 and "phi_categories" in r.json()["error"]["details"]
    key = "AKIAIOSFODNN7EXAMPLE"
    r = await http.post("/v1/chat/completions", headers=h, json={
        "model": "radiant-demo", "messages": [{"role": "user", "content": f"my key is {key}"}]})
    assert r.status_code == 200
    assert key not in str((await _provider_saw(stack))[-1]) and key in r.json()["choices"][0]["message"]["content"]


async def test_suspended_tenant_is_not_admitted(stack, http, tenant_id):
    import grpc
    from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
    from radiant.common.v1 import common_pb2
    key = await stack.new_tenant_key(tenant_id)
    async with internal_channel(stack.services["auth"].address) as ch:
        await auth_pb2_grpc.AuthServiceStub(ch).UpdateTenant(auth_pb2.UpdateTenantRequest(
            id=tenant_id, status=common_pb2.TENANT_STATUS_SUSPENDED))
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {key}"},
                        json={"model": "radiant-demo", "messages": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 403 and "suspended" in r.json()["error"]["message"]
