"""Stopping background tasks reliably."""
from __future__ import annotations

import asyncio


async def cancel_and_wait(*tasks: asyncio.Task, retry_seconds: float = 0.5) -> None:
    """Cancel the tasks and return once every one has finished.

    A cancellation that lands in a narrow window of a blocking Redis read can be swallowed by redis-py
    (redis/redis-py#2028): the task carries on and a plain ``cancel(); await task`` waits forever. Tasks still running
    after ``retry_seconds`` are cancelled again, until they are done. Their exceptions are retrieved (not raised).
    """
    pending = {t for t in tasks if not t.done()}
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=retry_seconds)
    for task in tasks:
        if not task.cancelled():
            task.exception()
