"""Records that leave the request path are queued in memory and written by one background task, many per round trip:
it waits up to `linger_seconds` for a batch to gather, unless an urgent record arrives (e.g. a settlement that frees a
concurrency slot) or the writer is drained; whatever queued meanwhile goes along. The answer never waits for it."""
from __future__ import annotations

import asyncio
import contextvars
import logging
from typing import Generic, TypeVar

from services.runtime.tasks import cancel_and_wait

T = TypeVar("T")
log = logging.getLogger("radiant.router")


class BatchWriter(Generic[T]):
    def __init__(self, linger_seconds: float = 0.0, max_batch: int = 500) -> None:
        self.linger_seconds = linger_seconds
        self.max_batch = max_batch
        self._queue: list[T] = []
        self._wake = asyncio.Event()
        self._urgent = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task | None = None

    async def write(self, batch: list[T]) -> None:
        """Write one batch (a record no store takes is counted and logged there)."""
        raise NotImplementedError

    def enqueue(self, item: T, urgent: bool = False) -> None:
        self._queue.append(item)
        self._idle.clear()
        if urgent:
            self._urgent.set()
        self._wake.set()
        if self._task is None:
            # A context of its own: the batch belongs to no single request (nor carries its principal).
            self._task = asyncio.get_running_loop().create_task(self._run(), context=contextvars.Context())

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            if self.linger_seconds and not self._urgent.is_set():
                try:
                    await asyncio.wait_for(self._urgent.wait(), self.linger_seconds)
                except TimeoutError:
                    pass
            self._wake.clear()
            self._urgent.clear()
            while self._queue:
                batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
                try:
                    await self.write(batch)
                except Exception as exc:  # noqa: BLE001 - the writer must outlive any one batch
                    log.error("a batch of records could not be written", extra={"error_type": type(exc).__name__,
                                                                                 "records": len(batch)})
            self._idle.set()

    async def drain(self) -> None:
        """Write what is queued at once, then stop."""
        if self._task is None:
            return
        if self._queue:
            self._urgent.set()
            self._wake.set()
        await self._idle.wait()
        await cancel_and_wait(self._task)
        self._task = None
