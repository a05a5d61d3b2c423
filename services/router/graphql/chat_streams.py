"""Where `chat(input: {stream: true})` hands its deltas to the `onChatResponse(sessionId)` subscriptions of the same
caller (tenant and user) and session. Deltas hold PHI restored for the caller, so they never leave this process (no
Redis pub/sub): a client sends the mutation over the same graphql-ws connection as its subscription, or to the same
replica. A subscriber that falls behind by more than QUEUE_SIZE deltas loses the oldest, never blocks the chat."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from radiant.common.v1 import common_pb2

QUEUE_SIZE = 1024


def key(principal: common_pb2.Principal, session_id: str) -> tuple[str, str, str]:
    return principal.tenant_id, principal.user_id, session_id


class ChatStreams:
    def __init__(self) -> None:
        self._subscribers: dict[tuple[str, str, str], set[asyncio.Queue]] = {}

    @asynccontextmanager
    async def subscribe(self, principal: common_pb2.Principal, session_id: str) -> AsyncIterator[asyncio.Queue]:
        k = key(principal, session_id)
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.setdefault(k, set()).add(queue)
        try:
            yield queue
        finally:
            queues = self._subscribers.get(k)
            if queues is not None:
                queues.discard(queue)
                if not queues:
                    del self._subscribers[k]

    def publish(self, principal: common_pb2.Principal, session_id: str, item) -> None:
        for queue in self._subscribers.get(key(principal, session_id), ()):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(item)
