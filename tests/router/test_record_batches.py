"""Usage events and request-log records wait in memory for a batch to gather; stopping the router (drain) writes
every queued record at once, so a restart loses none, and each lands in its stream exactly once."""
import uuid

from radiant.metering.v1 import metering_pb2
from services.metering.admission import Admission
from services.router.pipeline.request_log_publisher import RequestLogPublisher
from services.router.pipeline.usage_publisher import UsagePublisher
from services.runtime.redis_client import create_redis
from services.runtime.usage_events import FIELD


class _NoMetering:
    """Never reached while Redis takes the records."""


async def _entries(redis, stream: str) -> list:
    return await redis.xrange(stream)


async def test_queued_usage_events_are_all_written_when_the_router_stops(redis_url):
    redis, stream = create_redis(redis_url), f"radiant:usage:test:{uuid.uuid4().hex}"
    publisher = UsagePublisher(redis, stream, _NoMetering(), Admission(redis, 600), linger_seconds=60)
    ids = [f"req-{i}" for i in range(50)]
    try:
        for request_id in ids:
            publisher.record(metering_pb2.RecordUsageRequest(request_id=request_id, tenant_id="t-batch",
                                                             model_id="m"))
        await publisher.drain()  # long before the 60 s linger is up
        entries = await _entries(redis, stream)
        written = [metering_pb2.RecordUsageRequest.FromString(fields[FIELD]).request_id for _, fields in entries]
        assert sorted(written) == sorted(ids)
    finally:
        await redis.delete(stream)
        await redis.aclose()


async def test_queued_request_log_records_are_all_written_when_the_router_stops(redis_url):
    redis, stream = create_redis(redis_url), f"radiant:requests:test:{uuid.uuid4().hex}"
    publisher = RequestLogPublisher(redis, stream, _NoMetering(), linger_seconds=60)
    ids = [uuid.uuid4().hex for _ in range(30)]
    try:
        for record_id in ids:
            publisher.publish(metering_pb2.RequestLog(id=record_id, tenant_id="t-batch"))
        await publisher.drain()
        assert len(await _entries(redis, stream)) == len(ids)
    finally:
        await redis.delete(stream)
        await redis.aclose()
