"""One active operator: leader election with a coordination.k8s.io/v1 Lease in the release namespace, the way
client-go does it. A candidate takes the Lease when it is free, released, or has not been renewed for its duration
(measured on this candidate's own clock since it last saw the record change, so clock skew between pods does not
matter); every write carries the resourceVersion it read, so two candidates cannot both win. The leader renews every
`retry_seconds` and steps down (stops reconciling) when it could not renew for 2/3 of the lease duration, before
anyone else may take over; on shutdown it releases the Lease so the standby takes over at once."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

from prometheus_client import Gauge

from services.operator.drivers import DriverError
from services.operator.kube import MERGE_PATCH, Kube
from services.runtime.tasks import cancel_and_wait

log = logging.getLogger("radiant.operator")

IS_LEADER = Gauge("radiant_operator_leader", "1 while this operator holds the Lease and reconciles")


def _micro_time(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class LeaseElector:
    def __init__(self, kube: Kube, namespace: str, name: str, identity: str, lease_seconds: float,
                 retry_seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.kube = kube
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.lease_seconds = lease_seconds
        self.retry_seconds = retry_seconds
        self.clock = clock
        self.leading = False
        self._observed: tuple[str, str] | None = None  # (holder, renewTime) last seen
        self._observed_at = 0.0

    async def run(self, lead: Callable[[], Awaitable[None]]) -> None:
        """Forever: campaign; while leading, run `lead()` (cancelled when leadership is lost or on shutdown)."""
        try:
            while True:
                if await self._try_acquire_or_renew():
                    await self._lead(lead)
                await asyncio.sleep(self.retry_seconds)
        finally:
            await self._release()  # only if this candidate holds it

    async def _lead(self, lead: Callable[[], Awaitable[None]]) -> None:
        self._set_leading(True)
        task = asyncio.create_task(lead())
        renewed = self.clock()
        deadline = self.lease_seconds * 2 / 3
        try:
            while not task.done():
                await asyncio.wait({task}, timeout=self.retry_seconds)
                if task.done():
                    break
                if await self._try_acquire_or_renew():
                    renewed = self.clock()
                elif self.clock() - renewed > deadline or (self._observed and self._observed[0] != self.identity):
                    log.warning("leadership lost; stopping", extra={"lease": self.name})
                    break
        finally:
            await cancel_and_wait(task)
            if not task.cancelled() and task.exception() is not None:
                log.error("reconciler stopped", extra={"error_type": type(task.exception()).__name__})
            self._set_leading(False)

    def _set_leading(self, leading: bool) -> None:
        if leading != self.leading:
            log.info("leading" if leading else "standing by", extra={"lease": self.name, "identity": self.identity})
        self.leading = leading
        IS_LEADER.set(1 if leading else 0)

    async def _get(self) -> dict[str, Any] | None:
        try:
            return await self.kube.call(f"reading Lease {self.namespace}/{self.name}",
                                        self.kube.coordination.read_namespaced_lease, self.name, self.namespace)
        except DriverError as exc:
            if exc.status == 404:
                return None
            raise

    def _spec(self, lease: dict[str, Any] | None, acquire: bool) -> dict[str, Any]:
        now = _micro_time(datetime.now(timezone.utc))
        old = (lease or {}).get("spec") or {}
        transitions = int(old.get("leaseTransitions") or 0) + (1 if acquire and lease is not None else 0)
        return {"holderIdentity": self.identity, "leaseDurationSeconds": max(1, round(self.lease_seconds)),
                "acquireTime": now if acquire else old.get("acquireTime") or now, "renewTime": now,
                "leaseTransitions": transitions}

    async def _try_acquire_or_renew(self) -> bool:
        try:
            lease = await self._get()
            if lease is None:
                await self.kube.call(f"creating Lease {self.namespace}/{self.name}",
                                     self.kube.coordination.create_namespaced_lease, self.namespace,
                                     {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                      "metadata": {"name": self.name, "namespace": self.namespace},
                                      "spec": self._spec(None, True)})
                self._observe(self.identity, "created")
                return True
            spec = lease.get("spec") or {}
            holder = spec.get("holderIdentity") or ""
            self._observe(holder, str(spec.get("renewTime") or ""))
            duration = float(spec.get("leaseDurationSeconds") or self.lease_seconds)
            if holder and holder != self.identity and self.clock() - self._observed_at < duration:
                return False  # someone else holds it and renews it
            body = {"metadata": {"resourceVersion": lease["metadata"].get("resourceVersion")},
                    "spec": self._spec(lease, acquire=holder != self.identity)}
            if body["metadata"]["resourceVersion"] is None:
                del body["metadata"]
            await self.kube.call(f"updating Lease {self.namespace}/{self.name}",
                                 self.kube.coordination.patch_namespaced_lease, self.name, self.namespace, body,
                                 _content_type=MERGE_PATCH)
            self._observe(self.identity, body["spec"]["renewTime"])
            return True
        except DriverError as exc:  # a conflict (another candidate won) or the API is down: not leading now
            log.info("lease not acquired", extra={"lease": self.name, "error": exc.message[:200]})
            return False

    def _observe(self, holder: str, renew_time: str) -> None:
        if self._observed != (holder, renew_time):
            self._observed = (holder, renew_time)
            self._observed_at = self.clock()

    async def _release(self) -> None:
        """Hand the Lease over at once (graceful shutdown)."""
        try:
            lease = await self._get()
            if lease is None or (lease.get("spec") or {}).get("holderIdentity") != self.identity:
                return
            await self.kube.call(f"releasing Lease {self.namespace}/{self.name}",
                                 self.kube.coordination.patch_namespaced_lease, self.name, self.namespace,
                                 {"spec": {"holderIdentity": "", "leaseDurationSeconds": 1}},
                                 _content_type=MERGE_PATCH)
            log.info("lease released", extra={"lease": self.name})
        except DriverError as exc:
            log.warning("lease not released; the standby takes over when it expires", extra={"error": exc.message})
        finally:
            self._set_leading(False)
