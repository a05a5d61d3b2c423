"""Usage events through the Redis Stream: recorded in batches, idempotent, nothing lost while metering is down,
invalid events set aside in the dead-letter stream."""
from __future__ import annotations

import uuid
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone

import grpc
import pytest
import redis.asyncio as aioredis
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2, metering_pb2_grpc

from services.metering.server import build
from services.metering.settings import Settings
from services.runtime.timeutil import to_ts
from services.runtime.usage_events import AUDIT_FIELD, FIELD, dead_letter_stream
from tests.grpc_helpers import internal_channel
from tests.eventually import eventually
from tests.metering.helpers import usage


@pytest.fixture
async def stream_env(db_url, redis_url):
    stream = f"radiant:usage:test:{uuid.uuid4().hex}"
    client = aioredis.from_url(redis_url)
    yield stream, client, Settings(database_url=db_url, redis_url=redis_url, grpc_port=0, usage_stream=stream,
                                   usage_consumer_name="test-consumer", health_interval_seconds=60)
    await client.delete(stream, dead_letter_stream(stream))
    await client.aclose()


@asynccontextmanager
async def running_metering(settings):
    running = await build(settings, port=0)
    try:
        async with internal_channel(running.address) as ch:
            yield metering_pb2_grpc.MeteringServiceStub(ch)
    finally:
        await running.stop(0)


async def _report(stub, tenant_id):
    now = datetime.now(timezone.utc)
    return await stub.GetUsageReport(metering_pb2.UsageReportRequest(
        tenant_id=tenant_id, start=to_ts(now - timedelta(hours=1)), end=to_ts(now + timedelta(hours=1))))


async def test_events_published_while_metering_is_down_are_recorded_once_it_starts(stream_env, tenant_id):
    stream, client, settings = stream_env
    events = [usage(tenant_id, prompt=10 + i) for i in range(5)]
    for e in events:
        await client.xadd(stream, {FIELD: e.SerializeToString()})
    await client.xadd(stream, {FIELD: events[0].SerializeToString()})   # a producer retry: same request id
    async with running_metering(settings) as stub:
        report = await eventually(lambda: _report(stub, tenant_id), lambda r: r.total_requests == 5)
        assert report.total_requests == 5
        assert sum(b.input_tokens for b in report.breakdown) == sum(10 + i for i in range(5))
        assert await eventually(lambda: client.xlen(stream), lambda n: n == 0) == 0


async def test_unacknowledged_events_are_reread_after_a_crash(stream_env, tenant_id):
    stream, client, settings = stream_env
    await client.xgroup_create(stream, "metering", id="0", mkstream=True)
    await client.xadd(stream, {FIELD: usage(tenant_id).SerializeToString()})
    # The consumer read the entry and died before committing/acknowledging it.
    await client.xreadgroup("metering", "test-consumer", {stream: ">"}, count=10)
    async with running_metering(settings) as stub:
        report = await eventually(lambda: _report(stub, tenant_id), lambda r: r.total_requests == 1)
        assert report.total_requests == 1


async def test_invalid_events_go_to_dead_letter(stream_env, tenant_id):
    stream, client, settings = stream_env
    bad = metering_pb2.RecordUsageRequest(request_id="r-" + uuid.uuid4().hex, tenant_id=tenant_id)  # no model/pricing
    await client.xadd(stream, {FIELD: bad.SerializeToString()})
    await client.xadd(stream, {FIELD: usage(tenant_id).SerializeToString()})
    async with running_metering(settings) as stub:
        report = await eventually(lambda: _report(stub, tenant_id), lambda r: r.total_requests == 1)
        assert report.total_requests == 1
        assert await eventually(lambda: client.xlen(dead_letter_stream(stream)), lambda n: n == 1) == 1


async def test_audit_events_on_the_stream_are_written_once(stream_env, tenant_id):
    """Budget thresholds raised on a router's request path reach the audit log through the same stream; a
    redelivered event (same id) is written once."""
    stream, client, settings = stream_env
    entry = metering_pb2.AuditLogEntry(id=str(uuid.uuid4()), tenant_id=tenant_id, action="budget.threshold",
                                       resource_type="budget", resource_id="tenant:x:monthly", request_id="gw-1")
    entry.details.update({"threshold_percent": 80})
    for _ in range(2):
        await client.xadd(stream, {AUDIT_FIELD: entry.SerializeToString()})
    await client.xadd(stream, {FIELD: usage(tenant_id).SerializeToString()})
    async with running_metering(settings) as stub:
        await eventually(lambda: _report(stub, tenant_id), lambda r: r.total_requests == 1)

        async def audited():
            return (await stub.ListAuditLogs(metering_pb2.ListAuditLogsRequest(tenant_id=tenant_id))).entries
        await eventually(audited, lambda e: len(e) >= 1)
        await eventually(lambda: client.xlen(stream), lambda n: n == 0)  # every entry handled, the duplicate too
        entries = await audited()
    assert [(e.id, e.action, e.request_id, e.details["threshold_percent"]) for e in entries] == [
        (entry.id, "budget.threshold", "gw-1", 80)]


async def test_spend_of_unsettled_events_is_counted_once(stream_env, tenant_id):
    """Events whose producer held no reservation (it settled nothing) have their spend added by the consumer, once
    per ledger record; events the producer settled are not counted again."""
    stream, client, settings = stream_env
    unsettled = usage(tenant_id, 1000, 2000, app_id="default", user_id="apikey:k1", key_id="k1")
    settled = usage(tenant_id, 5000, 5000, app_id="default", user_id="apikey:k1", key_id="k1",
                    admission_settled=True)
    for event in (unsettled, settled, unsettled):  # the third is a producer retry of the first
        await client.xadd(stream, {FIELD: event.SerializeToString()})
    principal = common_pb2.Principal(tenant_id=tenant_id, app_id="default", user_id="apikey:k1", key_id="k1",
                                     tenant_status=common_pb2.TENANT_STATUS_ACTIVE, limits=common_pb2.AppliedLimits(
                                         key=common_pb2.Limits(monthly_budget="100")))
    async with running_metering(settings) as stub:
        report = await eventually(lambda: _report(stub, tenant_id), lambda r: r.total_requests == 2)
        assert report.total_requests == 2

        async def spent():
            status = await stub.GetLimits(metering_pb2.GetLimitsRequest(principal=principal))
            return next(s.used for s in status.limits if s.dimension == "monthly_budget")
        # (1000 x 0.50 + 2000 x 1.50) / 1e6 x 1.2
        assert await eventually(spent, lambda v: v == "0.0042") == "0.0042"
