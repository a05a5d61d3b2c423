"""Demand on self-hosted models: routers record it with metering's DemandRecorder, the operator reads it with
DemandService.GetDemand. A request counts while it is in flight or held; a crashed router's requests stop counting
when their lease ends."""
from __future__ import annotations

import asyncio
import time
import uuid

import grpc
import pytest
from radiant.metering.v1 import demand_pb2, demand_pb2_grpc

from services.metering.demand import DemandRecorder
from services.metering.server import build
from services.metering.settings import Settings
from services.runtime.redis_client import create_redis
from tests.eventually import eventually
from tests.grpc_helpers import internal_channel, error_code
from tests.harness import free_port


async def _service(db_url: str, redis_url: str):
    running = await build(Settings(database_url=db_url, redis_url=redis_url, grpc_port=0, health_interval_seconds=60,
                                   usage_stream=f"radiant:usage:test:{uuid.uuid4().hex}"), port=0)
    channel = internal_channel(running.address)
    return running, channel, demand_pb2_grpc.DemandServiceStub(channel)


@pytest.fixture
async def demand(pg_url, redis_url):
    running, channel, stub = await _service(pg_url, redis_url)
    redis = create_redis(redis_url)
    yield stub, redis
    await redis.aclose()
    await channel.close()
    await running.stop(0)


async def test_requests_in_flight_and_held_are_counted_over_every_router(demand):
    stub, redis = demand
    model, other = str(uuid.uuid4()), str(uuid.uuid4())
    router_a, router_b = DemandRecorder(redis), DemandRecorder(redis)
    before = time.time()
    await router_a.started(model, "req-1")
    await router_b.started(model, "req-2")
    await router_b.held(model, "req-3")
    resp = await stub.GetDemand(demand_pb2.GetDemandRequest(model_ids=[model, other]))
    first, second = resp.models
    assert (first.model_id, first.in_flight, first.held) == (model, 2, 1)
    assert first.last_request_at.ToMilliseconds() / 1000 >= before - 1
    assert (second.model_id, second.in_flight, second.held) == (other, 0, 0)
    assert not second.HasField("last_request_at")
    await router_a.finished(model, "req-1")
    await router_b.released(model, "req-3")
    await router_b.started(model, "req-3")
    [now] = (await stub.GetDemand(demand_pb2.GetDemandRequest(model_ids=[model]))).models
    assert (now.in_flight, now.held) == (2, 0)


async def test_a_request_that_never_ends_stops_counting_after_its_lease(demand):
    stub, redis = demand
    model = str(uuid.uuid4())
    crashed_router = DemandRecorder(redis, lease_seconds=0.3)
    await crashed_router.started(model, "lost")
    [live] = (await stub.GetDemand(demand_pb2.GetDemandRequest(model_ids=[model]))).models
    assert live.in_flight == 1

    async def current():
        return (await stub.GetDemand(demand_pb2.GetDemandRequest(model_ids=[model]))).models[0]

    gone = await eventually(current, lambda d: d.in_flight == 0, timeout=10)
    assert gone.in_flight == 0 and gone.HasField("last_request_at")


@pytest.mark.parametrize("ids, field", [([""], "model_ids"), (["x" * 257], "model_ids"),
                                        ([str(i) for i in range(5001)], "model_ids")])
async def test_bad_requests_are_refused_naming_the_field(demand, ids, field):
    stub, _ = demand
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetDemand(demand_pb2.GetDemandRequest(model_ids=ids))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and error_code(err.value) == "VALIDATION_ERROR"


async def test_without_redis_demand_is_unavailable_not_zero(pg_url):
    running, channel, stub = await _service(pg_url, f"redis://127.0.0.1:{free_port()}/0")
    try:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await asyncio.wait_for(stub.GetDemand(demand_pb2.GetDemandRequest(model_ids=["m"])), 20)
        assert err.value.code() == grpc.StatusCode.UNAVAILABLE and "demand is unknown" in err.value.details()
    finally:
        await channel.close()
        await running.stop(0)
