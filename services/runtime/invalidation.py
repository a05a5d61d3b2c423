"""Following a Redis pub/sub invalidation channel, for caches kept across replicas (auth decisions in the router, PHI
policies in phi). The cache may only serve entries while `Follower.subscribed` is true: a message missed while the
subscription was down could otherwise keep a stale entry (a revoked key, a protection switched off) alive."""
from __future__ import annotations

import asyncio
import logging
from typing import Callable

import redis.asyncio as aioredis

log = logging.getLogger("radiant.invalidation")


class Follower:
    def __init__(self, channel: str, on_message: Callable[[bytes], None], on_lost: Callable[[], None],
                 what: str) -> None:
        self.channel = channel
        self.on_message = on_message
        self.on_lost = on_lost  # drop everything cached: messages may be missed from now on
        self.what = what
        self.subscribed = False

    def _lost(self) -> None:
        self.subscribed = False
        self.on_lost()

    async def run(self, redis: aioredis.Redis) -> None:
        """Runs for the life of the process; resubscribes with backoff."""
        backoff = 0.5
        while True:
            try:
                async with redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self.subscribed = True
                    backoff = 0.5
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.on_message(message["data"])
            except asyncio.CancelledError:
                self._lost()
                raise
            except Exception as exc:  # noqa: BLE001 - any failure: stop caching until subscribed again
                log.warning(f"{self.what} invalidation channel lost; caching paused",
                            extra={"error_type": type(exc).__name__})
            self._lost()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 10)
