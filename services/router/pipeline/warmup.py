"""Cold self-hosted models. A Kubernetes or SageMaker model with no ready replica cannot answer: the router asks the
registry for a warm-up (the operator watches for it and scales up), then either holds the request until a replica is
ready (up to a configured time) or answers 503 with Retry-After = the model's warm-up time. A switched-off model
(thermal state OFF) answers 503 without a warm-up. Both errors let the request fall back to the next model."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from radiant.registry.v1 import registry_pb2
from services.router.pipeline.resilience import allow_fallback
from services.router.pipeline.upstreams import Upstreams
from services.runtime import metrics
from services.runtime.errors import RadiantError, ServiceUnavailableError
from services.runtime.grpc_client import call

log = logging.getLogger("radiant.router")

_SELF_HOSTED = (registry_pb2.DEPLOYMENT_KIND_KUBERNETES, registry_pb2.DEPLOYMENT_KIND_SAGEMAKER)
# Repeated warm-up requests for the same model within this many seconds are not sent again.
_REQUEST_DEBOUNCE_SECONDS = 10.0


def is_off(model: registry_pb2.Model) -> bool:
    return model.thermal_state == registry_pb2.THERMAL_STATE_OFF


def is_cold(model: registry_pb2.Model) -> bool:
    """Self-hosted with no ready replica observed (also when the operator has not reported yet). A COLD thermal
    state with a replica still up is served: the replica is there."""
    return model.deployment.kind in _SELF_HOSTED and model.observed.ready_replicas <= 0


class Warmup:
    def __init__(self, upstreams: Upstreams, hold_seconds: float, poll_seconds: float, default_warmup_seconds: int,
                 *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.up = upstreams
        self.hold_seconds = hold_seconds
        self.poll_seconds = poll_seconds
        self.default_warmup_seconds = default_warmup_seconds
        self.sleep = sleep
        self.clock = clock
        self._requested: dict[str, float] = {}

    async def ready(self, model: registry_pb2.Model) -> registry_pb2.Model:
        """The model, once it can answer (possibly after holding); raises 503 when it cannot now."""
        if is_off(model):
            raise allow_fallback(ServiceUnavailableError(
                f"The model '{model.name}' is switched off; ask an administrator to turn it on"))
        if not is_cold(model):
            return model
        await self._request(model)
        deadline = self.clock() + self.hold_seconds
        while self.clock() < deadline:
            await self.sleep(min(self.poll_seconds, max(0.0, deadline - self.clock())))
            model = await call(self.up.registry.GetModel(registry_pb2.GetModelRequest(id=model.id)), "registry")
            if is_off(model):
                break
            if not is_cold(model):
                return model
        warmup = model.thermal_config.warmup_time_seconds or self.default_warmup_seconds
        raise allow_fallback(ServiceUnavailableError(
            f"The model '{model.name}' is warming up; retry in about {warmup} seconds", retry_after=warmup))

    async def _request(self, model: registry_pb2.Model) -> None:
        now = self.clock()
        if now - self._requested.get(model.id, -_REQUEST_DEBOUNCE_SECONDS) < _REQUEST_DEBOUNCE_SECONDS:
            return
        try:
            await call(self.up.registry.RequestWarmup(registry_pb2.RequestWarmupRequest(model_id=model.id)),
                       "registry")
        except RadiantError as exc:
            # Still answer with the warm-up time: the next request asks again.
            log.warning("warm-up request failed", extra={"model_id": model.id, "error_code": exc.code})
            metrics.WARMUP_REQUESTS.labels(model.name, "failed").inc()
            return
        metrics.WARMUP_REQUESTS.labels(model.name, "requested").inc()
        self._requested[model.id] = now
        if len(self._requested) > 10_000:
            self._requested.clear()
        log.info("warm-up requested", extra={"model_id": model.id})
