"""The request log in metering: records from the stream written once each (duplicates, restarts and a consumer
killed mid-load included), invalid ones dead-lettered, reads per tenant with filters and pages, on Postgres and
SQLite."""
from __future__ import annotations

import asyncio
import uuid
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone

import grpc
import pytest
import redis.asyncio as aioredis
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2 as pb
from radiant.metering.v1 import metering_pb2_grpc

from services.metering.server import build
from services.metering.settings import Settings
from services.runtime.request_log_events import FIELD, GROUP
from services.runtime.timeutil import to_ts
from services.runtime.usage_events import dead_letter_stream
from tests.grpc_helpers import internal_channel
from tests.eventually import eventually
from tests.metering.helpers import DEMO_PRICING, expect_error


def record(tenant_id: str, **kw) -> pb.RequestLog:
    values = dict(id=uuid.uuid4().hex, tenant_id=tenant_id, user_id="u-1", api_key_id="key-1", surface="openai",
                  operation="chat", model="radiant-demo", model_id="m-1", provider_id="p-1", status="success",
                  http_status=200, latency_ms=12, usage=common_pb2.TokenUsage(prompt_tokens=1000,
                                                                              completion_tokens=2000),
                  pricing=DEMO_PRICING, phi_categories={"NAME": 2, "SSN": 1})
    values.update(kw)
    return pb.RequestLog(**values)


@pytest.fixture
async def env(db_url, redis_url):
    stream = f"radiant:requests:test:{uuid.uuid4().hex}"
    client = aioredis.from_url(redis_url)
    settings = Settings(database_url=db_url, redis_url=redis_url, grpc_port=0, health_interval_seconds=60,
                        usage_stream=f"radiant:usage:test:{uuid.uuid4().hex}", request_log_stream=stream,
                        usage_consumer_name="test-consumer", request_log_retention_interval_seconds=0,
                        usage_batch_size=50)
    yield stream, client, settings
    await client.delete(stream, dead_letter_stream(stream))
    await client.aclose()


@asynccontextmanager
async def running(settings):
    server = await build(settings, port=0)
    try:
        async with internal_channel(server.address) as ch:
            yield metering_pb2_grpc.MeteringServiceStub(ch)
    finally:
        await server.stop(0)


async def publish(client, stream: str, records: list[pb.RequestLog]) -> None:
    async with client.pipeline(transaction=False) as pipe:
        for r in records:
            pipe.xadd(stream, {FIELD: r.SerializeToString()})
        await pipe.execute()


async def listed(stub, tenant_id, **filters):
    return await stub.ListRequestLogs(pb.ListRequestLogsRequest(tenant_id=tenant_id, **filters))


async def test_records_from_the_stream_are_written_once_with_their_cost(env, tenant_id):
    stream, client, settings = env
    records = [record(tenant_id) for _ in range(3)]
    for r in [*records, records[0]]:  # the last is a producer retry of the first
        await client.xadd(stream, {FIELD: r.SerializeToString()})
    async with running(settings) as stub:
        page = await eventually(lambda: listed(stub, tenant_id),
                                lambda p: {r.id for r in p.records} == {r.id for r in records})
        assert page.page.total == 3
        got = page.records[0]
        # 1000 * 0.50 / 1e6 + 2000 * 1.50 / 1e6, and the markup of 20 %
        assert (got.cost, got.billed_amount) == ("0.0035", "0.0042")
        assert dict(got.phi_categories) == {"NAME": 2, "SSN": 1}
        assert got.expires_at.ToDatetime().date() == datetime.now(timezone.utc).date() + timedelta(days=31)
        assert await eventually(lambda: client.xlen(stream), lambda n: n == 0) == 0


async def test_tenant_retention_sets_the_expiry_and_invalid_records_are_dead_lettered(env, tenant_id):
    stream, client, settings = env
    await client.xadd(stream, {FIELD: record(tenant_id, retention_days=7).SerializeToString()})
    await client.xadd(stream, {FIELD: record(tenant_id, status="maybe").SerializeToString()})
    await client.xadd(stream, {FIELD: b"not a protobuf"})
    async with running(settings) as stub:
        page = await eventually(lambda: listed(stub, tenant_id), lambda p: p.page.total == 1)
        assert page.records[0].expires_at.ToDatetime().date() == datetime.now(timezone.utc).date() + timedelta(days=8)
        assert await eventually(lambda: client.xlen(dead_letter_stream(stream)), lambda n: n == 2) == 2


async def test_reads_are_per_tenant_with_filters_and_pages(env, tenant_id):
    stream, client, settings = env
    other = f"t-{uuid.uuid4().hex[:12]}"
    now = datetime.now(timezone.utc)
    mine = [record(tenant_id, created_at=to_ts(now - timedelta(minutes=i)), user_id=f"u-{i % 2}",
                   status="success" if i % 3 else "blocked", error_code="" if i % 3 else "RATE_LIMITED",
                   http_status=200 if i % 3 else 429, model="radiant-demo" if i < 6 else "other-model")
            for i in range(9)]
    async with running(settings) as stub:
        resp = await stub.RecordRequestLogs(pb.RecordRequestLogsRequest(records=[*mine, record(other)]))
        assert resp.recorded == 10
        again = await stub.RecordRequestLogs(pb.RecordRequestLogsRequest(records=mine[:2]))
        assert again.recorded == 0
        assert (await listed(stub, tenant_id)).page.total == 9
        assert (await listed(stub, other)).page.total == 1
        blocked = await listed(stub, tenant_id, status="blocked")
        assert {r.id for r in blocked.records} == {mine[i].id for i in (0, 3, 6)}
        assert all(r.error_code == "RATE_LIMITED" and r.http_status == 429 for r in blocked.records)
        assert (await listed(stub, tenant_id, user_id="u-1")).page.total == 4
        assert (await listed(stub, tenant_id, model="other-model")).page.total == 3
        window = await listed(stub, tenant_id, start=to_ts(now - timedelta(minutes=4, seconds=30)),
                              end=to_ts(now - timedelta(minutes=1, seconds=30)))
        assert [r.id for r in window.records] == [mine[i].id for i in (2, 3, 4)]  # newest first
        first = await listed(stub, tenant_id, page=common_pb2.PageRequest(page_size=4))
        second = await listed(stub, tenant_id, page=common_pb2.PageRequest(page_size=4,
                                                                           page_token=first.page.next_page_token))
        assert [r.id for r in first.records] + [r.id for r in second.records] == [r.id for r in mine[:8]]
        got = await stub.GetRequestLog(pb.GetRequestLogRequest(tenant_id=tenant_id, id=mine[0].id))
        assert got.id == mine[0].id
        await expect_error(stub.GetRequestLog(pb.GetRequestLogRequest(tenant_id=other, id=mine[0].id)),
                           grpc.StatusCode.NOT_FOUND)
        await expect_error(listed(stub, tenant_id, status="weird"), grpc.StatusCode.INVALID_ARGUMENT)


async def test_a_listing_taken_while_batches_commit_counts_exactly_the_rows_it_could_page(env, tenant_id):
    stream, client, settings = env
    records = [record(tenant_id) for _ in range(400)]
    await publish(client, stream, records)
    async with running(settings) as stub:
        seen = []
        while not seen or seen[-1] < len(records):
            page = await listed(stub, tenant_id, page=common_pb2.PageRequest(page_size=500))
            assert page.page.total == len(page.records)
            seen.append(page.page.total)
        assert len(seen) > 1, "the listings should have overlapped the consumer's batches"


async def test_killing_the_consumer_mid_load_loses_and_duplicates_nothing(env, tenant_id):
    stream, client, settings = env
    records = [record(tenant_id) for _ in range(600)]
    await publish(client, stream, records)
    # A consumer that committed a batch and died before acknowledging it.
    await client.xgroup_create(stream, GROUP, id="0", mkstream=True)
    server = await build(settings, port=0)
    async with internal_channel(server.address) as ch:
        stub = metering_pb2_grpc.MeteringServiceStub(ch)
        # Killed while the stream still holds most of the load.
        await eventually(lambda: listed(stub, tenant_id), lambda p: p.page.total > 0, timeout=30)
        killed_at = (await listed(stub, tenant_id)).page.total
    await server.stop(0)
    assert killed_at < len(records)
    # Entries it read but never acknowledged stay pending for this consumer name; the restart re-reads them.
    async with running(settings) as stub:
        page = await eventually(lambda: listed(stub, tenant_id), lambda p: p.page.total == len(records), timeout=60)
        assert page.page.total == len(records)
        assert await eventually(lambda: client.xlen(stream), lambda n: n == 0) == 0
    ids = []
    async with running(settings) as stub:
        token = ""
        while True:
            page = await listed(stub, tenant_id, page=common_pb2.PageRequest(page_size=500, page_token=token))
            ids += [r.id for r in page.records]
            token = page.page.next_page_token
            if not token:
                break
    assert sorted(ids) == sorted(r.id for r in records)
