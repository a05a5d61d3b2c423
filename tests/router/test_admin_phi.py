"""Admin REST API for the tenant PHI policy: roles, validation, effect on requests, audit trail."""
import grpc

from radiant.metering.v1 import metering_pb2, metering_pb2_grpc
from tests.grpc_helpers import internal_channel

URL = "/api/v2/admin/phi/policy"


async def test_admin_reads_and_changes_policy_and_it_takes_effect(stack, http, tenant_id):
    key = await stack.new_tenant_key(tenant_id, roles=("admin",))
    h = {"Authorization": f"Bearer {key}"}
    r = await http.get(URL, headers=h)
    assert r.status_code == 200 and r.json()["data"]["is_default"] and r.json()["data"]["mode"] == "auto"
    r = await http.put(URL, headers=h, json={"categories": {"PHONE": False}, "secrets_action": "reject",
                                             "reidentification": {"mapping_ttl_hours": 2}})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["categories"]["PHONE"] is False and data["secrets_action"] == "reject" and not data["is_default"]
    chat = await http.post("/v1/chat/completions", headers=h, json={"model": "radiant-demo", "messages": [
        {"role": "user", "content": "Call John Smith at 617-555-0134"}]})
    assert chat.status_code == 200
    sent = (await http.get(stack.demo_app_requests_url)).json()[-1]["messages"][0]["content"]
    assert "617-555-0134" in sent and "John Smith" not in sent
    secret = await http.post("/v1/chat/completions", headers=h, json={"model": "radiant-demo", "messages": [
        {"role": "user", "content": "key: AKIAIOSFODNN7EXAMPLE"}]})
    assert secret.status_code == 400 and secret.json()["error"]["code"] == "sensitive_data_detected"
    async with internal_channel(stack.services["metering"].address) as ch:
        logs = await metering_pb2_grpc.MeteringServiceStub(ch).ListAuditLogs(
            metering_pb2.ListAuditLogsRequest(tenant_id=tenant_id))
    assert [e.action for e in logs.entries] == ["phi_policy.updated"]
    r = await http.delete(URL, headers=h)
    assert r.status_code == 200 and r.json()["data"]["is_default"]


async def test_policy_validation_errors(http, tenant_id, stack):
    h = {"Authorization": f"Bearer {await stack.new_tenant_key(tenant_id)}"}
    r = await http.put(URL, headers=h, json={"mode": "sometimes"})
    assert r.status_code == 400 and "mode" in r.json()["error"]["details"]
    r = await http.put(URL, headers=h, json={"categories": {"SHOE_SIZE": True}})
    assert r.status_code == 400 and r.json()["success"] is False and "SHOE_SIZE" in str(r.json()["error"])
    r = await http.put(URL, headers=h, json={"reidentification": {"mapping_ttl_hours": 0}})
    assert r.status_code == 400 and "reidentification.mapping_ttl_hours" in r.json()["error"]["details"]


async def test_non_admins_and_other_tenants_are_refused(http, stack, tenant_id):
    user_key = await stack.new_tenant_key(tenant_id, roles=("user",))
    r = await http.get(URL, headers={"Authorization": f"Bearer {user_key}"})
    assert r.status_code == 403
    admin_key = await stack.new_tenant_key(tenant_id + "-b")
    r = await http.get(URL, params={"tenant_id": tenant_id}, headers={"Authorization": f"Bearer {admin_key}"})
    assert r.status_code == 403 and "tenant" in r.json()["error"]["message"].lower()
