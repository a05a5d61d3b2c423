"""The control loop: desired state from the registry's Watch stream (a snapshot, then every change), a full resync
every `resync_seconds` (models re-listed from the registry, every platform read in batches, every model reconciled),
and a work queue with one reconcile at a time per model.

A model is queued when it changes (its observed state alone, written by this operator, does not count), when it is
still converging (`converge_seconds`), when its idle window ends, and after a transient failure (exponential backoff
per model). Everything a decision needs is read again each time: the in-memory copy of the catalogue is only a cache
of the registry, so a restarted operator picks up where the last one stopped."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

from prometheus_client import Gauge, Histogram
from radiant.common.v1 import common_pb2
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.operator.demand import DemandClient
from services.operator.drivers import DriverError
from services.operator.reconciler import Reconciler
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call
from services.runtime.tasks import cancel_and_wait

log = logging.getLogger("radiant.operator")

MODELS = Gauge("radiant_operator_models", "Self-hosted models this operator manages")
RESYNC_SECONDS = Histogram("radiant_operator_resync_seconds", "Time of one full resync",
                           buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
_MAX_BACKOFF = 60.0
_PAGE = 500
_WATCH_SECONDS = 3600.0


def _comparable(model: pb.Model) -> bytes:
    """The model without what this operator writes itself (observed state, the update time it moves)."""
    copy = pb.Model()
    copy.CopyFrom(model)
    copy.ClearField("observed")
    copy.ClearField("updated_at")
    return copy.SerializeToString(deterministic=True)


class Controller:
    def __init__(self, registry: registry_pb2_grpc.RegistryServiceStub, demand: DemandClient,
                 reconciler: Reconciler, *, resync_seconds: float, workers: int) -> None:
        self.registry = registry
        self.demand = demand
        self.reconciler = reconciler
        self.resync_seconds = resync_seconds
        self.workers = workers
        self.models: dict[str, pb.Model] = {}
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._queued: set[str] = set()
        self._running: set[str] = set()
        self._again: set[str] = set()
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._failures: dict[str, int] = {}
        self._tasks: list[asyncio.Task] = []
        self.resyncs = 0  # completed full resyncs (tests and benchmarks wait on it)

    # --- lifecycle ----------------------------------------------------------------------------------------------
    async def run(self) -> None:
        """Until cancelled (leadership lost, shutdown)."""
        self._tasks = [asyncio.create_task(self._worker()) for _ in range(self.workers)]
        self._tasks.append(asyncio.create_task(self._watch()))
        try:
            while True:
                try:
                    await self.resync()
                except Exception as exc:  # noqa: BLE001 - logged; the next resync tries again
                    log.warning("resync failed", extra={"error_type": type(exc).__name__, "error": str(exc)[:300]})
                await asyncio.sleep(self.resync_seconds)
        finally:
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
            await cancel_and_wait(*self._tasks)

    # --- desired state ------------------------------------------------------------------------------------------
    def _upsert(self, model: pb.Model) -> bool:
        """Store the registry's copy; True when something other than the observed state changed."""
        before = self.models.get(model.id)
        if not self.reconciler.manages(model):
            if before is not None:
                del self.models[model.id]
            return False
        self.models[model.id] = model
        MODELS.set(len(self.models))
        return before is None or _comparable(before) != _comparable(model)

    async def _watch(self) -> None:
        backoff = 0.5
        while True:
            try:
                # Long-lived, with a deadline all the same (the channel default would cut it): reconnect with a snapshot.
                stream = self.registry.Watch(pb.WatchRequest(include_snapshot=True), timeout=_WATCH_SECONDS)
                async for event in stream:
                    backoff = 0.5
                    if event.WhichOneof("entity") != "model":
                        continue
                    if event.kind == pb.ChangeEvent.KIND_DELETE:
                        self.models.pop(event.model.id, None)
                    elif self._upsert(event.model):
                        self.enqueue([event.model.id])
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reconnect; the resync covers the gap
                log.warning("registry watch interrupted; reconnecting", extra={"error_type": type(exc).__name__})
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 10.0)

    async def _list_models(self) -> list[pb.Model]:
        models: list[pb.Model] = []
        token = ""
        while True:
            resp = await call(self.registry.ListModels(pb.ListModelsRequest(
                page=common_pb2.PageRequest(page_size=_PAGE, page_token=token))), "registry")
            models.extend(resp.models)
            token = resp.page.next_page_token
            if not token:
                return models

    async def resync(self) -> None:
        """Re-read every model from the registry and reconcile them all, reading each platform in batches."""
        started = time.perf_counter()
        listed = [m for m in await self._list_models() if self.reconciler.manages(m)]
        for model_id in set(self.models) - {m.id for m in listed}:
            del self.models[model_id]
        for model in listed:
            self._upsert(model)
        demand = await self.demand.get([m.id for m in listed])
        by_kind: dict[int, list[pb.Model]] = {}
        for model in listed:
            by_kind.setdefault(model.deployment.kind, []).append(model)
        semaphore = asyncio.Semaphore(self.workers)

        async def one(model: pb.Model, actual) -> None:
            async with semaphore:
                if model.id in self._running or model.id in self._queued:
                    return  # a worker has it
                self._running.add(model.id)
                try:
                    await self._reconcile(model, demand, actual)
                finally:
                    self._running.discard(model.id)
                    if model.id in self._again:
                        self._again.discard(model.id)
                        self.enqueue([model.id])

        for kind, models in by_kind.items():
            actuals = await self.reconciler.drivers[kind].observe_many(models)
            await asyncio.gather(*(one(self.models.get(m.id, m), actuals.get(m.id)) for m in models))
        self.resyncs += 1
        elapsed = time.perf_counter() - started
        RESYNC_SECONDS.observe(elapsed)
        log.info("resync done", extra={"models": len(listed), "seconds": round(elapsed, 3)})

    # --- work queue ---------------------------------------------------------------------------------------------
    def enqueue(self, model_ids: Iterable[str]) -> None:
        for model_id in model_ids:
            if model_id in self._running:
                self._again.add(model_id)
            elif model_id not in self._queued:
                self._queued.add(model_id)
                self._queue.put_nowait(model_id)

    def _later(self, model_id: str, seconds: float) -> None:
        old = self._timers.pop(model_id, None)
        if old is not None:
            old.cancel()
        loop = asyncio.get_running_loop()
        self._timers[model_id] = loop.call_later(seconds, self._fire, model_id)

    def _fire(self, model_id: str) -> None:
        self._timers.pop(model_id, None)
        self.enqueue([model_id])

    async def _worker(self) -> None:
        while True:
            model_id = await self._queue.get()
            self._queued.discard(model_id)
            model = self.models.get(model_id)
            if model is None:
                continue
            self._running.add(model_id)
            try:
                demand = await self.demand.get([model_id])
                await self._reconcile(model, demand, None)
            finally:
                self._running.discard(model_id)
                if model_id in self._again:
                    self._again.discard(model_id)
                    self.enqueue([model_id])

    async def _reconcile(self, model: pb.Model, demand, actual) -> None:
        known = demand is not None
        try:
            outcome = await self.reconciler.reconcile(model, (demand or {}).get(model.id), actual,
                                                      demand_known=known)
        except DriverError as exc:
            failures = self._failures.get(model.id, 0) + 1
            self._failures[model.id] = failures
            delay = min(_MAX_BACKOFF, 0.5 * 2 ** (failures - 1))
            log.warning("reconcile failed; retrying", extra={"model_id": model.id, "error": exc.message[:300],
                                                             "retry_in": delay})
            self._later(model.id, delay)
            return
        except RadiantError as exc:
            log.warning("reconcile failed", extra={"model_id": model.id, "error_code": exc.code})
            self._later(model.id, self.reconciler.converge_seconds)
            return
        self._failures.pop(model.id, None)
        if outcome.recheck_in is not None:
            self._later(model.id, max(0.05, outcome.recheck_in))
