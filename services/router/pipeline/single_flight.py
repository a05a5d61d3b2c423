"""Concurrent identical calls share one in-flight call: a burst of requests with one credential that finds no cached
decision asks auth once, not once per request. A waiter that is cancelled (its client left) does not cancel the call
the others wait for; an error reaches every waiter, and the next call after it starts afresh."""
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

    def _done(self, key: Hashable, future: asyncio.Future[T]) -> None:
        self._calls.pop(key, None)
        if not future.cancelled():
            future.exception()  # retrieved: every waiter may have left
