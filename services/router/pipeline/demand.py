"""Demand on self-hosted models as this router sees it, recorded through metering's library code
(services.metering.demand: metering owns the keys and reads them for the operator). Per request: which self-hosted
models it is being answered by (in flight) and which it is held for (waiting for a warm-up); everything it recorded
is undone when the request ends, however it ends. External models record nothing (no cost on their path).

Recording is best effort: a Redis failure is logged and the request goes on (the operator then sees less demand; it
never scales down a model it cannot read demand for)."""
from __future__ import annotations

import asyncio
import logging

from redis.exceptions import RedisError

from radiant.registry.v1 import registry_pb2
from services.metering.demand import DemandRecorder
from services.runtime.context import current_gateway_id

log = logging.getLogger("radiant.router")

_SELF_HOSTED = (registry_pb2.DEPLOYMENT_KIND_KUBERNETES, registry_pb2.DEPLOYMENT_KIND_SAGEMAKER,
                registry_pb2.DEPLOYMENT_KIND_LOCAL)


class Demand:
    def __init__(self, recorder: DemandRecorder, timeout: float = 0.5) -> None:
        self.recorder = recorder
        self.timeout = timeout

    def request(self) -> "RequestDemand":
        return RequestDemand(self)

    async def _call(self, coro) -> None:
        try:
            await asyncio.wait_for(coro, self.timeout)
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("demand not recorded", extra={"error_type": type(exc).__name__})


class RequestDemand:
    """`async with demand.request() as d:` around one request's provider calls."""

    def __init__(self, demand: Demand) -> None:
        self.demand = demand
        self.request_id = current_gateway_id()
        self._in_flight: set[str] = set()

    async def __aenter__(self) -> "RequestDemand":
        return self

    async def __aexit__(self, *exc: object) -> None:
        for model_id in sorted(self._in_flight):
            await self.demand._call(self.demand.recorder.finished(model_id, self.request_id))
        self._in_flight.clear()

    async def started(self, model: registry_pb2.Model) -> None:
        if model.deployment.kind in _SELF_HOSTED and model.id not in self._in_flight:
            self._in_flight.add(model.id)
            await self.demand._call(self.demand.recorder.started(model.id, self.request_id))

    async def hold(self, model: registry_pb2.Model) -> None:
        await self.demand._call(self.demand.recorder.held(model.id, self.request_id))

    async def release(self, model: registry_pb2.Model) -> None:
        await self.demand._call(self.demand.recorder.released(model.id, self.request_id))
