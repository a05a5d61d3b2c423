"""Mappings made by phi's library in another process go to phi's vault (StoreMappings: phi encrypts them, the key
never leaves phi) in batches, off the request path. The request restores its own answer from the mapping it holds;
the stored copy serves later re-identification (sessions, `phi_mapping_id`). A batch phi cannot take is kept and sent
again with backoff, so a phi restart loses nothing; only what outgrows `max_queued` while phi stays away is dropped
(logged, as a failed write in phi is: that mapping id then reads as expired). A batch gathers for up to
`linger_seconds`, unless someone waits for the handover (`flush`, before reading a mapping back): then at once."""
from __future__ import annotations

import asyncio
import contextvars
import logging
from collections import deque
from typing import Awaitable, Callable

from radiant.phi.v1 import phi_pb2
from services.runtime import metrics
from services.runtime.errors import RadiantError, ValidationError
from services.runtime.tasks import cancel_and_wait

log = logging.getLogger("radiant.phi")

Store = Callable[[phi_pb2.StoreMappingsRequest], Awaitable[phi_pb2.StoreMappingsResponse]]


class MappingHandoff:
    def __init__(self, store: Store, *, linger_seconds: float = 0.05, max_batch: int = 500,
                 max_queued: int = 100_000, max_backoff: float = 5.0) -> None:
        self.store = store
        self.linger_seconds = linger_seconds
        self.max_batch = max_batch
        self.max_queued = max_queued
        self.max_backoff = max_backoff
        self._queue: deque[phi_pb2.StoredMapping] = deque()
        self._wake = asyncio.Event()
        self._urgent = asyncio.Event()
        self._flushing = 0
        self._empty = asyncio.Event()
        self._empty.set()
        self._task: asyncio.Task | None = None

    def put(self, tenant_id: str, mapping_id: str, mapping: dict[str, str], ttl_seconds: int) -> None:
        if len(self._queue) >= self.max_queued:
            self._queue.popleft()
            metrics.PHI_MAPPINGS_LOST.inc()
            log.error("PHI mapping dropped: phi has not taken mappings for too long")
        self._queue.append(phi_pb2.StoredMapping(tenant_id=tenant_id, mapping_id=mapping_id, mapping=mapping,
                                                 ttl_seconds=ttl_seconds))
        self._empty.clear()
        self._wake.set()
        if self._task is None:
            # A context of its own: these calls act for no request (nor carry the first request's principal).
            self._task = asyncio.get_running_loop().create_task(self._run(), context=contextvars.Context())

    async def flush(self, timeout: float = 2.0) -> None:
        """Wait until what is queued now is with phi (a read of a mapping made here then finds it), or `timeout`;
        a batch still gathering goes at once."""
        if self._empty.is_set():
            return
        self._flushing += 1  # while anyone waits, batches go back to back
        self._urgent.set()
        try:
            await asyncio.wait_for(self._empty.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            self._flushing -= 1

    async def _run(self) -> None:
        backoff = 0.1
        while True:
            await self._wake.wait()
            if self.linger_seconds and not self._urgent.is_set():  # gather a batch: one call for many requests
                try:
                    await asyncio.wait_for(self._urgent.wait(), self.linger_seconds)
                except TimeoutError:
                    pass
            self._wake.clear()
            if not self._flushing:
                self._urgent.clear()
            # What gathered goes now, up to its newest mapping; what is queued while it is sent gathers for the next
            # batch (else a slow call would be followed by another at once, and the linger would not count).
            last = self._queue[-1] if self._queue else None
            while self._queue:
                batch = [self._queue[i] for i in range(min(self.max_batch, len(self._queue)))]
                ends = next((i for i, m in enumerate(batch) if m is last), None)
                if ends is not None:
                    batch = batch[:ends + 1]
                try:
                    await self.store(phi_pb2.StoreMappingsRequest(mappings=batch))
                except RadiantError as exc:
                    if isinstance(exc, ValidationError):  # sending the same batch again cannot help
                        metrics.PHI_MAPPINGS_LOST.inc(len(batch))
                        log.error("phi refused PHI mappings", extra={"error_code": exc.code, "mappings": len(batch)})
                    else:
                        log.warning("phi did not take PHI mappings; retrying", extra={"error_code": exc.code,
                                                                                       "mappings": len(batch)})
                        await asyncio.sleep(backoff)
                        backoff = min(backoff * 2, self.max_backoff)
                        continue
                backoff = 0.1
                sent = {id(m) for m in batch}
                while self._queue and id(self._queue[0]) in sent:  # the oldest may have been dropped meanwhile
                    self._queue.popleft()
                if ends is not None:
                    break
            if self._queue:
                self._wake.set()
            else:
                self._empty.set()

    async def close(self, timeout: float = 5.0) -> None:
        """Hand over what is queued (for up to `timeout`), then stop."""
        if self._task is None:
            return
        await self.flush(timeout)
        await cancel_and_wait(self._task)
        self._task = None
