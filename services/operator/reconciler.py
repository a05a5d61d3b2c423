"""One level-triggered, idempotent reconcile of one model: read what runs (driver), decide what should (desired.py),
change only the difference, and write what was observed back to the registry when it changed."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from prometheus_client import Counter
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.operator.desired import Decision, Demand, decide
from services.operator.drivers import Actual, ConflictError, Driver, DriverError
from services.runtime import metrics
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call
from services.runtime.timeutil import to_ts, utcnow

log = logging.getLogger("radiant.operator")

# Reconciles, their duration and the replicas per model are the shared runtime's (services.runtime.metrics).
SCALE_CALLS = Counter("radiant_operator_scale_calls_total", "Scale calls made to a platform", ["driver", "direction"])

_CONFLICT_RETRIES = 3
PHASE_READY, PHASE_SCALING, PHASE_ZERO, PHASE_FAILED = "Ready", "Scaling", "ScaledToZero", "Failed"
_DRIVER_NAMES = {pb.DEPLOYMENT_KIND_KUBERNETES: "kubernetes", pb.DEPLOYMENT_KIND_SAGEMAKER: "sagemaker",
                 pb.DEPLOYMENT_KIND_LOCAL: "local"}


@dataclass(frozen=True, slots=True)
class Outcome:
    phase: str
    recheck_in: float | None  # look again after this many seconds (converging, or the idle window ends)
    skipped: bool = False     # nothing could be decided or asked (no thermal state; the platform is updating)


def _observed(phase: str, ready: int, desired: int, message: str) -> pb.ObservedState:
    return pb.ObservedState(ready_replicas=ready, desired_replicas=desired, phase=phase, message=message[:2048])


def _same(a: pb.ObservedState, b: pb.ObservedState) -> bool:
    return (a.ready_replicas, a.desired_replicas, a.phase, a.message) == \
        (b.ready_replicas, b.desired_replicas, b.phase, b.message)


class Reconciler:
    def __init__(self, registry: registry_pb2_grpc.RegistryServiceStub, drivers: dict[int, Driver], *,
                 idle_override: float | None, default_target: int, converge_seconds: float) -> None:
        self.registry = registry
        self.drivers = drivers
        self.idle_override = idle_override
        self.default_target = default_target
        self.converge_seconds = converge_seconds

    def manages(self, model: pb.Model) -> bool:
        return model.deployment.kind in self.drivers and bool(model.deployment.name)

    async def reconcile(self, model: pb.Model, demand: Demand | None, actual: Actual | DriverError | None = None,
                        *, demand_known: bool = True) -> Outcome:
        """`actual` may come from a batch read (resync); otherwise the driver is asked. Raises DriverError only for
        transient failures (the caller retries with backoff); permanent ones become phase Failed."""
        started = time.perf_counter()
        driver = self.drivers[model.deployment.kind]
        driver_name = _DRIVER_NAMES.get(model.deployment.kind, "?")
        try:
            outcome = await self._reconcile(model, driver, demand, actual, demand_known)
        except DriverError as exc:
            metrics.OPERATOR_RECONCILES.labels(model.name, "error").inc()
            if not exc.permanent:
                raise
            await self._report(model, _observed(PHASE_FAILED, 0, 0, exc.message))
            return Outcome(PHASE_FAILED, None)
        finally:
            metrics.OPERATOR_RECONCILE_DURATION.labels(driver_name).observe(time.perf_counter() - started)
        metrics.OPERATOR_RECONCILES.labels(model.name, "skipped" if outcome.skipped else "ok").inc()
        return outcome

    async def _reconcile(self, model: pb.Model, driver: Driver, demand: Demand | None,
                         actual: Actual | DriverError | None, demand_known: bool) -> Outcome:
        decision = decide(model, demand, time.time(), idle_override=self.idle_override,
                          default_target=self.default_target)
        for attempt in range(_CONFLICT_RETRIES + 1):
            if actual is None or attempt:
                actual = await driver.observe(model)
            if isinstance(actual, DriverError):
                raise actual
            target, notes = self._target(decision, actual, demand_known)
            if actual.busy or target == actual.desired:
                break
            try:
                await driver.scale(model, target, actual)
            except ConflictError:
                if attempt == _CONFLICT_RETRIES:
                    raise
                log.info("scale conflicted with another change; reading again", extra={"model_id": model.id})
                continue
            SCALE_CALLS.labels(_DRIVER_NAMES.get(model.deployment.kind, "?"),
                               "up" if target > actual.desired else "down").inc()
            log.info("scaled", extra={"model_id": model.id, "model": model.name, "from": actual.desired,
                                      "to": target, "reason": decision.reason})
            actual.desired = target
            break
        assert isinstance(actual, Actual)
        phase, message = self._phase(actual, target, decision, notes)
        metrics.OPERATOR_REPLICAS.labels(model.name, "desired").set(target)
        metrics.OPERATOR_REPLICAS.labels(model.name, "ready").set(actual.ready)
        await self._report(model, _observed(phase, actual.ready, target, message))
        recheck = self.converge_seconds if phase == PHASE_SCALING else None
        if decision.recheck_in is not None:
            recheck = min(recheck or decision.recheck_in, decision.recheck_in)
        return Outcome(phase, recheck, skipped=actual.busy or decision.replicas is None)

    @staticmethod
    def _target(decision: Decision, actual: Actual, demand_known: bool) -> tuple[int, list[str]]:
        notes: list[str] = []
        if decision.replicas is None:
            return actual.desired, notes
        target = decision.replicas
        if not demand_known and target < actual.desired:
            notes.append("demand unknown (metering unreachable): not scaling down")
            target = actual.desired
        if actual.ceiling is not None and target > actual.ceiling:
            notes.append(actual.ceiling_reason or f"the platform runs at most {actual.ceiling}")
            target = actual.ceiling
        if target < actual.floor:
            notes.append(actual.floor_reason or f"the platform keeps at least {actual.floor}")
            target = actual.floor
        return target, notes

    @staticmethod
    def _phase(actual: Actual, target: int, decision: Decision, notes: list[str]) -> tuple[str, str]:
        details = "; ".join([decision.reason, *notes])
        if actual.busy:
            return PHASE_SCALING, f"{actual.ready}/{target} ready: {actual.message or 'the platform is updating'}; " \
                                  f"{details}"
        if target == 0 and actual.ready == 0:
            return PHASE_ZERO, f"scaled to zero: {details}"
        if actual.ready == target:
            return PHASE_READY, f"{actual.ready}/{target} ready: {details}"
        why = f": {actual.message}" if actual.message else ""
        return PHASE_SCALING, f"{actual.ready}/{target} ready{why}; {details}"

    async def _report(self, model: pb.Model, observed: pb.ObservedState) -> None:
        if model.HasField("observed") and _same(model.observed, observed):
            return
        observed.observed_at.CopyFrom(to_ts(utcnow()))
        try:
            await call(self.registry.ReportObservedState(pb.ReportObservedStateRequest(
                model_id=model.id, observed=observed)), "registry")
        except RadiantError as exc:
            raise DriverError(f"cannot report to the registry: {exc.message}") from None
        model.observed.CopyFrom(observed)
        log.info("observed", extra={"model_id": model.id, "model": model.name, "phase": observed.phase,
                                    "ready": observed.ready_replicas, "desired": observed.desired_replicas})
