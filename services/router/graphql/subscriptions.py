"""The seed's Subscription type: onChatResponse(sessionId) streams the deltas of the caller's own streamed chats in
that session (services.router.graphql.chat_streams) until the client unsubscribes."""
from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from services.router.graphql.types import ChatStreamResponse
from services.router.pipeline.sessions import session_id as canonical_session_id


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def on_chat_response(self, info: strawberry.Info,
                               session_id: strawberry.ID) -> AsyncGenerator[ChatStreamResponse | None, None]:
        ctx = info.context
        principal = await ctx.principal("chat")
        sid = canonical_session_id(session_id, "sessionId")
        async with ctx.streams.subscribe(principal, sid) as deltas:
            while True:
                yield await deltas.get()
