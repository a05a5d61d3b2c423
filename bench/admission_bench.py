"""What admission costs per request, in isolation: the client CPU (the router's share) and wall time of metering's
admission library against real Redis, next to a trivial Redis call (the floor of one round trip on this machine),
and the Redis server time per call (INFO commandstats of EVALSHA and XADD: on a shared Redis, other clients' calls of
those count too). Sequential calls, one client.

    RADIANT_REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python -m bench.admission_bench [--calls 3000]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid

from radiant.common.v1 import common_pb2
from radiant.registry.v1 import registry_pb2

from services.metering.admission import Admission, billed_pico, estimate
from services.metering.admission.rules import principal_scopes
from services.runtime.redis_client import create_redis

PRICING = registry_pb2.ModelPricing(input_per_million="0.50", output_per_million="1.50", billed_markup="0.20")
EVERYTHING = common_pb2.Limits(requests_per_minute=1_000_000, requests_per_hour=1_000_000, tokens_per_minute=10**12,
                               tokens_per_day=10**12, concurrent_requests=100_000, daily_budget="1000000",
                               monthly_budget="9000000")
STREAM = f"radiant:bench:admission:{uuid.uuid4().hex}"


def principal(limits: common_pb2.AppliedLimits) -> common_pb2.Principal:
    return common_pb2.Principal(tenant_id=f"bench-{uuid.uuid4().hex[:8]}", app_id="default", user_id="u-bench",
                                key_id="k-bench", tenant_status=common_pb2.TENANT_STATUS_ACTIVE, limits=limits)


async def server_usec(redis) -> int:
    stats = await redis.info("commandstats")
    return sum(v["usec"] for k, v in stats.items() if k in ("cmdstat_evalsha", "cmdstat_eval", "cmdstat_xadd"))


async def measure(redis, name: str, calls: int, make) -> str:
    for _ in range(50):
        await make()()
    thunks = [make() for _ in range(calls)]
    usec = await server_usec(redis)
    cpu, wall = time.process_time(), time.perf_counter()
    for thunk in thunks:
        await thunk()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    server = (await server_usec(redis) - usec) / calls
    return f"| {name} | {cpu / calls * 1e6:.0f} | {wall / calls * 1e6:.0f} | {server:.0f} |"


async def main(calls: int) -> None:
    redis = create_redis(os.environ.get("RADIANT_REDIS_URL", "redis://127.0.0.1:6379/0"))
    admission = Admission(redis, 600)
    trivial = redis.register_script("return 1")
    one = principal(common_pb2.AppliedLimits(key=common_pb2.Limits(requests_per_minute=1_000_000)))
    every = principal(common_pb2.AppliedLimits(tenant=EVERYTHING, app=EVERYTHING, user=EVERYTHING, key=EVERYTHING))
    tokens, cost = estimate(30, 64, PRICING)
    billed = billed_pico(30, 20, PRICING)
    scopes = principal_scopes(every)
    counters = admission.counters
    record = b"x" * 300  # about the size of a usage event

    def admit(p):
        return lambda: (lambda rid=uuid.uuid4().hex: admission.admit(p, rid, tokens=tokens, cost_pico=cost))

    def settle_and_publish():
        rid = uuid.uuid4().hex

        async def run():
            await admission.admit(every, rid, tokens=tokens, cost_pico=cost)
            key, args = counters.settle_call(scopes, rid, 50, billed)
            async with redis.pipeline(transaction=False) as pipe:
                pipe.evalsha(counters.script.sha, 1, key, *args)
                pipe.xadd(STREAM, {b"r": record})
                out = await pipe.execute(raise_on_error=False)
            counters.parse_settlement(out[0], scopes)
        return run

    rows = ["| call | client CPU us | wall us | Redis server us |", "|---|---|---|---|",
            await measure(redis, "trivial EVALSHA (floor of one round trip)", calls,
                          lambda: lambda: trivial(keys=["k"], args=["a"])),
            await measure(redis, "XADD of a usage event (what every request already does)", calls,
                          lambda: lambda: redis.xadd(STREAM, {b"r": record})),
            await measure(redis, "admit, one limit (key requests/min)", calls, admit(one)),
            await measure(redis, "admit, every limit at every level (4 scopes x 7)", calls, admit(every)),
            await measure(redis, "admit + settle pipelined with the XADD, every limit", calls, settle_and_publish)]
    print("\n".join(rows))
    await redis.delete(STREAM)
    await redis.aclose()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=3000)
    asyncio.run(main(ap.parse_args().calls))
