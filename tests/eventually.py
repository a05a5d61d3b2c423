"""Polling for effects that land asynchronously (usage events go through a stream); bounded, never a timing assertion."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable


async def eventually(fetch: Callable[[], Awaitable[Any]], ok: Callable[[Any], bool], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await fetch()
        if ok(value) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.05)


def eventually_sync(fetch: Callable[[], Any], ok: Callable[[Any], bool], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if ok(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)
