"""Concurrent identical calls share one in-flight call: a burst of requests that finds an entry missing from a cache
(an authentication decision, a model, a tenant's PHI policy) makes one call, not one per request. A waiter that is
cancelled (its client left) does not cancel the call the others wait for; an error reaches every waiter, and the next
call after it starts afresh."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class SingleFlight(Generic[T]):
    def __init__(self) -> None:
        self._calls: dict[Hashable, asyncio.Future[T]] = {}

    async def run(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> T:
        future = self._calls.get(key)
        if future is None:
            future = self._calls[key] = asyncio.ensure_future(make())
            future.add_done_callback(lambda f, key=key: self._done(key, f))
        return await asyncio.shield(future)

    def forget(self, key: Hashable) -> None:
        """Callers from now on start a call of their own (the shared one may answer from before a change)."""
        self._calls.pop(key, None)

    def _done(self, key: Hashable, future: asyncio.Future[T]) -> None:
        if self._calls.get(key) is future:
            del self._calls[key]
        if not future.cancelled():
            future.exception()  # retrieved: every waiter may have left
