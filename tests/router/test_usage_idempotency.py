"""Issue 11.2: usage is keyed by the id the gateway mints for each request, never by the client's X-Request-Id (which
is kept on the record for correlation). A client reusing one id, or another tenant choosing it first, can no longer
erase usage."""
from __future__ import annotations

import asyncio

import grpc
from radiant.metering.v1 import metering_pb2, metering_pb2_grpc

from tests.grpc_helpers import internal_channel
from tests.eventually import eventually

BODY = {"model": "radiant-demo", "messages": [{"role": "user", "content": "hello there"}]}


async def _records(stack, tenant_id: str, count: int) -> list[metering_pb2.UsageRecord]:
    async with internal_channel(stack.services["metering"].address) as ch:
        stub = metering_pb2_grpc.MeteringServiceStub(ch)

        async def fetch():
            return list((await stub.ListUsageRecords(metering_pb2.ListUsageRecordsRequest(
                tenant_id=tenant_id, page={"page_size": 100}))).records)
        await eventually(fetch, lambda r: len(r) >= count)
        await asyncio.sleep(0.3)  # anything more than `count` would have landed with the rest
        return await fetch()


async def test_twenty_chats_with_one_client_request_id_are_twenty_usage_rows(stack, http, api_key, tenant_id):
    headers = {"Authorization": f"Bearer {api_key}", "X-Request-Id": "client-chosen-id-1"}
    for _ in range(20):
        r = await http.post("/v1/chat/completions", headers=headers, json=BODY)
        assert r.status_code == 200 and r.headers["x-request-id"] == "client-chosen-id-1"
    rows = await _records(stack, tenant_id, 20)
    assert len(rows) == 20
    assert {r.client_request_id for r in rows} == {"client-chosen-id-1"}
    assert len({r.request_id for r in rows}) == 20 and "client-chosen-id-1" not in {r.request_id for r in rows}
    report = (await http.get("/api/v2/usage", headers=headers)).json()["data"]
    assert report["totalRequests"] == 20


async def test_another_tenant_using_the_same_id_first_does_not_unbill_this_one(stack, http, api_key, tenant_id):
    other_tenant = f"{tenant_id}-b"
    other_key = await stack.new_tenant_key(other_tenant)
    shared = {"X-Request-Id": "shared-id-42"}
    r = await http.post("/v1/chat/completions", headers={**shared, "Authorization": f"Bearer {other_key}"}, json=BODY)
    assert r.status_code == 200
    r = await http.post("/v1/chat/completions", headers={**shared, "Authorization": f"Bearer {api_key}"}, json=BODY)
    assert r.status_code == 200
    [b] = await _records(stack, other_tenant, 1)
    [a] = await _records(stack, tenant_id, 1)
    assert a.client_request_id == b.client_request_id == "shared-id-42" and a.request_id != b.request_id
    for key in (api_key, other_key):
        report = (await http.get("/api/v2/usage", headers={"Authorization": f"Bearer {key}"})).json()["data"]
        assert report["totalRequests"] == 1 and report["totalBilled"] != "0"


async def test_streams_and_embeddings_are_keyed_by_the_gateway_id_too(stack, http, api_key, tenant_id):
    headers = {"Authorization": f"Bearer {api_key}", "X-Request-Id": "same-again"}
    for _ in range(2):
        r = await http.post("/v1/chat/completions", headers=headers, json={**BODY, "stream": True})
        assert r.status_code == 200
        r = await http.post("/v1/embeddings", headers=headers, json={"model": "radiant-demo-embedding",
                                                                     "input": "hello"})
        assert r.status_code == 200
    rows = await _records(stack, tenant_id, 4)
    assert sorted(r.request_type for r in rows) == ["chat.completion.stream"] * 2 + ["embedding"] * 2
    assert len({r.request_id for r in rows}) == 4 and {r.client_request_id for r in rows} == {"same-again"}
