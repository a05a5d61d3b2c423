"""Fan-out of registry changes to this replica's Watch subscribers (fanout.py carries them between replicas).

Each subscriber has its own bounded asyncio.Queue. Publishing never waits: when a subscriber's queue is full, that
subscriber is dropped (it gets an UNAVAILABLE status telling it to reconnect with a snapshot), so a slow reader can
never block writers. Revisions increase by one per change; they start at the current time in microseconds so they
keep increasing across restarts of this process."""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import AsyncIterator, Callable

from radiant.registry.v1 import registry_pb2 as pb

from services.runtime.errors import ServiceUnavailableError

log = logging.getLogger("radiant.registry")

_CLOSED = object()


@dataclass(frozen=True)
class _Disconnected:
    """Queued instead of events: the stream ends with UNAVAILABLE and this message."""
    message: str


@dataclass(eq=False)
class Subscription:
    queue: asyncio.Queue
    revision: int  # the revision current when the subscription started

    async def events(self) -> AsyncIterator[pb.ChangeEvent]:
        while True:
            item = await self.queue.get()
            if item is _CLOSED:
                return
            if isinstance(item, _Disconnected):
                raise ServiceUnavailableError(f"{item.message}; reconnect with include_snapshot=true")
            yield item


class Broadcaster:
    def __init__(self, queue_size: int) -> None:
        self.queue_size = queue_size
        self.revision = time.time_ns() // 1000
        self._subs: set[Subscription] = set()
        # Called with every change written through this replica (the cross-replica fan-out publishes it).
        self.on_publish: list[Callable[[pb.ChangeEvent], None]] = []

    @property
    def subscribers(self) -> int:
        return len(self._subs)

    def subscribe(self) -> Subscription:
        # One slot more than queue_size is reserved for the overflow/close marker.
        sub = Subscription(asyncio.Queue(maxsize=self.queue_size + 1), self.revision)
        self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        self._subs.discard(sub)

    def publish(self, *, model: pb.Model | None = None, provider: pb.Provider | None = None,
                kind: int = pb.ChangeEvent.KIND_UPSERT) -> int:
        """Send an UPSERT (or DELETE) of one entity to every subscriber (here and, through on_publish, on the other
        replicas); returns its revision. Never blocks."""
        event = pb.ChangeEvent(kind=kind, model=model, provider=provider)
        revision = self.deliver(event)
        for hook in self.on_publish:
            hook(event)
        return revision

    def deliver(self, event: pb.ChangeEvent) -> int:
        """Fan one change out to this replica's subscribers under a new local revision."""
        self.revision += 1
        event.revision = self.revision
        for sub in list(self._subs):
            if sub.queue.qsize() >= self.queue_size:
                self._drop(sub, _Disconnected(
                    f"watch subscriber fell more than {self.queue_size} events behind and was disconnected"))
                log.warning("watch subscriber too slow, disconnected", extra={"queue_size": self.queue_size})
            else:
                sub.queue.put_nowait(event)
        return self.revision

    def disconnect_all(self, reason: str) -> None:
        """Drop every subscriber (UNAVAILABLE: reconnect with a snapshot), e.g. when changes may have been missed."""
        if self._subs:
            log.warning("watch subscribers disconnected", extra={"subscribers": len(self._subs), "reason": reason})
        for sub in list(self._subs):
            self._drop(sub, _Disconnected(f"watch stream interrupted: {reason}"))

    def close(self) -> None:
        """End every stream cleanly (server shutdown)."""
        for sub in list(self._subs):
            self._drop(sub, _CLOSED)

    def _drop(self, sub: Subscription, marker: object) -> None:
        self._subs.discard(sub)
        while not sub.queue.empty():  # make room for the marker; the dropped events are not needed any more
            sub.queue.get_nowait()
        sub.queue.put_nowait(marker)
