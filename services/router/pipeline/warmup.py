"""Cold self-hosted models. A Kubernetes, SageMaker or local model with no ready replica cannot answer: the router asks
the registry for a warm-up (the operator watches for it and scales up), then holds the request until a replica is ready
(up to `hold_seconds`), or answers 503 with Retry-After = the model's warm-up time when holding is off, when the hold
runs out, or at once when `max_held` requests already wait for that model on this router. A switched-off model
(thermal state OFF) answers 503 without a warm-up. These errors let the request fall back to the next model.

Held requests of one model share one poll of the registry (every `poll_seconds`); they count as demand (metering's
`held` set) so the operator keeps waking the model while anyone waits."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from radiant.registry.v1 import registry_pb2
from services.router.pipeline.demand import RequestDemand
from services.router.pipeline.resilience import allow_fallback
from services.router.pipeline.upstreams import Upstreams
from services.runtime import metrics
from services.runtime.errors import RadiantError, ServiceUnavailableError
from services.runtime.grpc_client import call
from services.runtime.tasks import cancel_and_wait

log = logging.getLogger("radiant.router")

SELF_HOSTED = (registry_pb2.DEPLOYMENT_KIND_KUBERNETES, registry_pb2.DEPLOYMENT_KIND_SAGEMAKER,
               registry_pb2.DEPLOYMENT_KIND_LOCAL)
# Repeated warm-up requests for the same model within this many seconds are not sent again.
_REQUEST_DEBOUNCE_SECONDS = 10.0


def is_self_hosted(model: registry_pb2.Model) -> bool:
    return model.deployment.kind in SELF_HOSTED


def is_off(model: registry_pb2.Model) -> bool:
    return model.thermal_state == registry_pb2.THERMAL_STATE_OFF


def is_cold(model: registry_pb2.Model) -> bool:
    """Self-hosted with no ready replica observed (also when the operator has not reported yet). A COLD thermal
    state with a replica still up is served: the replica is there."""
    return is_self_hosted(model) and model.observed.ready_replicas <= 0


class _Waiter:
    """One registry poll per cold model, shared by every request held for it."""

    def __init__(self, warmup: "Warmup", model: registry_pb2.Model) -> None:
        self.held = 0
        self.result: asyncio.Future[registry_pb2.Model] = asyncio.get_running_loop().create_future()
        self.task = asyncio.create_task(self._poll(warmup, model.id))

    async def _poll(self, warmup: "Warmup", model_id: str) -> None:
        while True:
            await asyncio.sleep(warmup.poll_seconds)
            try:
                model = await call(warmup.up.registry.GetModel(registry_pb2.GetModelRequest(id=model_id)), "registry")
            except RadiantError as exc:
                log.warning("warm-up poll failed", extra={"model_id": model_id, "error_code": exc.code})
                continue
            if is_off(model) or not is_cold(model):
                self.result.set_result(model)
                return


class Warmup:
    def __init__(self, upstreams: Upstreams, hold_seconds: float, poll_seconds: float, default_warmup_seconds: int,
                 max_held: int = 64, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.up = upstreams
        self.hold_seconds = hold_seconds
        self.poll_seconds = poll_seconds
        self.default_warmup_seconds = default_warmup_seconds
        self.max_held = max_held
        self.clock = clock
        self._requested: dict[str, float] = {}
        self._waiters: dict[str, _Waiter] = {}

    def held(self, model_id: str) -> int:
        """Requests this router holds for the model now."""
        waiter = self._waiters.get(model_id)
        return waiter.held if waiter else 0

    async def ready(self, model: registry_pb2.Model, *, demand: RequestDemand | None = None,
                    on_hold: Callable[[], None] | None = None) -> registry_pb2.Model:
        """The model, once it can answer (possibly after holding); raises 503 when it cannot now. `on_hold` is called
        when the request starts waiting (a stream then sends keep-alives)."""
        if is_off(model):
            raise _switched_off(model)
        if not is_cold(model):
            return model
        await self._request(model)
        if self.hold_seconds <= 0:
            raise self._warming(model)
        waiter = self._waiters.get(model.id)
        if waiter is not None and waiter.held >= self.max_held:
            raise self._warming(model, f"; {waiter.held} requests already wait for it")
        if waiter is None:
            waiter = self._waiters[model.id] = _Waiter(self, model)
        waiter.held += 1
        if demand is not None:
            await demand.hold(model)
        if on_hold is not None:
            on_hold()
        try:
            now = await asyncio.wait_for(asyncio.shield(waiter.result), self.hold_seconds)
        except TimeoutError:
            raise self._warming(model) from None
        finally:
            waiter.held -= 1
            if waiter.held == 0 and self._waiters.get(model.id) is waiter:
                del self._waiters[model.id]
                await cancel_and_wait(waiter.task)
            if demand is not None:
                await demand.release(model)
        if is_off(now):
            raise _switched_off(now)
        return now

    def _warming(self, model: registry_pb2.Model, why: str = "") -> RadiantError:
        warmup = model.thermal_config.warmup_time_seconds or self.default_warmup_seconds
        return allow_fallback(ServiceUnavailableError(
            f"The model '{model.name}' is warming up{why}; retry in about {warmup} seconds", retry_after=warmup))

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

    async def close(self) -> None:
        tasks = [w.task for w in self._waiters.values()]
        self._waiters.clear()
        await cancel_and_wait(*tasks)


def _switched_off(model: registry_pb2.Model) -> RadiantError:
    return allow_fallback(ServiceUnavailableError(
        f"The model '{model.name}' is switched off; ask an administrator to turn it on"))
