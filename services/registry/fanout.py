"""Watch events across registry replicas: every change written through one replica is published on a Redis channel
and delivered to the Watch subscribers of every other replica, so a subscriber (the operator, a router) sees every
change whichever replica handled the write.

Publishing never blocks a write (a background task sends, in order). When the subscription to the channel is lost,
changes from other replicas may have been missed, so this replica's subscribers are disconnected (UNAVAILABLE) and
reconnect with a snapshot; subscribers that only need eventual consistency (the operator) also resync periodically."""
from __future__ import annotations

import asyncio
import logging
import uuid

import redis.asyncio as aioredis
from radiant.registry.v1 import registry_pb2 as pb

from services.registry.broadcaster import Broadcaster

log = logging.getLogger("radiant.registry")

_ORIGIN_BYTES = 16
_OUTBOX_SIZE = 10_000


class RedisFanout:
    def __init__(self, redis: aioredis.Redis, broadcaster: Broadcaster, channel: str) -> None:
        self.redis = redis
        self.broadcaster = broadcaster
        self.channel = channel
        self.origin = uuid.uuid4().bytes  # this replica; its own messages come back and are skipped
        self.subscribed = asyncio.Event()
        self._outbox: asyncio.Queue[bytes] = asyncio.Queue(maxsize=_OUTBOX_SIZE)
        broadcaster.on_publish.append(self._enqueue)

    def _enqueue(self, event: pb.ChangeEvent) -> None:
        try:
            self._outbox.put_nowait(self.origin + event.SerializeToString())
        except asyncio.QueueFull:
            log.warning("registry change not sent to the other replicas (outbox full); their watchers resync")

    async def send(self) -> None:
        """Runs for the life of the process: publishes queued changes in order, retrying while Redis is down."""
        backoff = 0.2
        while True:
            message = await self._outbox.get()
            while True:
                try:
                    await self.redis.publish(self.channel, message)
                    backoff = 0.2
                    break
                except aioredis.RedisError as exc:
                    log.warning("cannot publish a registry change; retrying", extra={"error_type": type(exc).__name__})
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)

    async def receive(self) -> None:
        """Runs for the life of the process: delivers the other replicas' changes; reconnects with backoff."""
        backoff = 0.2
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self.subscribed.set()
                    backoff = 0.2
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._deliver(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any failure: resubscribe, and make watchers resync
                log.warning("registry change channel lost", extra={"error_type": type(exc).__name__})
            if self.subscribed.is_set():
                self.subscribed.clear()
                self.broadcaster.disconnect_all("changes from other registry replicas may have been missed")
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    def _deliver(self, data: bytes) -> None:
        if data[:_ORIGIN_BYTES] == self.origin:
            return
        event = pb.ChangeEvent()
        try:
            event.ParseFromString(data[_ORIGIN_BYTES:])
        except Exception:  # noqa: BLE001 - not ours: ignore
            log.warning("ignored a malformed message on the registry change channel")
            return
        self.broadcaster.deliver(event)
