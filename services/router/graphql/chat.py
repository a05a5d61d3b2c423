"""The seed's `chat` mutation on the router's pipeline: ChatInput becomes the same ChatCompletionRequest the REST
edge validates, so admission, PHI handling, policies, sessions and the request log are the REST ones. A chat belongs
to a session (the seed's ChatResponse.sessionId is required): without a sessionId it starts a new one. With
`stream: true` the deltas go to the caller's onChatResponse subscriptions of that session as they are generated and
the mutation answers with the whole message at the end."""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

from pydantic import ValidationError as PydanticValidationError

from services.router.edge.errors import validation_error
from services.router.formats.openai_schemas import ChatCompletionRequest
from services.router.graphql.context import GraphQLContext
from services.router.graphql.inputs import ChatInput, MessageInput
from services.router.graphql.types import ChatResponse, ChatStreamResponse, Message, TokenUsage
from services.router.pipeline import request_logging
from services.router.pipeline.core import KEEPALIVE
from services.runtime.context import gateway_id_var, new_request_id, request_id_var


def _content(m: MessageInput) -> str | list[dict]:
    if not m.images:
        return m.content
    parts: list[dict] = [{"type": "text", "text": m.content}]
    for image in m.images:
        url = image.url or (f"data:{image.media_type or 'image/png'};base64,{image.base64}" if image.base64 else "")
        parts.append({"type": "image_url", "image_url": {"url": url}})
    return parts


def _message(m: MessageInput) -> dict:
    role = "tool" if m.role.value == "function" else m.role.value
    out: dict = {"role": role, "content": _content(m)}
    if m.name is not None:
        out["name"] = m.name
    return out


def chat_request(data: ChatInput, session_id: str) -> ChatCompletionRequest:
    body = {"model": data.model, "messages": [_message(m) for m in data.messages], "session_id": session_id,
            "stream": bool(data.stream)}
    for name in ("max_tokens", "temperature", "enable_phi", "phi_categories"):
        if getattr(data, name) is not None:
            body[name] = getattr(data, name)
    try:
        return ChatCompletionRequest.model_validate(body)
    except PydanticValidationError as exc:
        raise validation_error(exc) from None


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


async def run(ctx: GraphQLContext, data: ChatInput) -> ChatResponse:
    # Each chat is its own request: its own gateway id (what it is billed and logged as), even when several
    # operations share one HTTP request or WebSocket.
    gateway_id_var.set(new_request_id())
    if request_id_var.get() is None:
        request_id_var.set(new_request_id())
    pipeline = ctx.pipeline
    with request_logging.logged(pipeline, "graphql", "chat", stream=bool(data.stream)) as progress:
        principal = await ctx.principal("chat")
        req = chat_request(data, data.session_id or str(uuid.uuid4()))
        if not req.stream:
            body = (await pipeline.chat(principal, req)).body
            choice = (body.get("choices") or [{}])[0]
            usage = body["usage"]
            return ChatResponse(id=body["id"], session_id=req.session_id, model=body["model"],
                                message=Message.from_view(choice.get("message") or {}),
                                usage=TokenUsage(prompt_tokens=usage["prompt_tokens"],
                                                 completion_tokens=usage["completion_tokens"],
                                                 total_tokens=usage["total_tokens"]),
                                finish_reason=choice.get("finish_reason"), created_at=_iso(body["created"]))
        prepared = await pipeline.prepare(principal, req)
        text: list[str] = []
        chat_id, model, finish, usage = "", prepared.model.name, None, {}
        async for chunk in pipeline.stream(prepared, include_usage=True):
            if chunk is KEEPALIVE:
                continue
            chat_id, model = chunk.get("id") or chat_id, chunk.get("model") or model  # a fallback answers as itself
            usage = chunk.get("usage") or usage
            for choice in chunk.get("choices") or ():
                delta = (choice.get("delta") or {}).get("content")
                finish = choice.get("finish_reason") or finish
                if delta or choice.get("finish_reason"):
                    text.append(delta or "")
                    ctx.streams.publish(principal, req.session_id, ChatStreamResponse(
                        id=chat_id, session_id=req.session_id, delta=delta, finish_reason=choice.get("finish_reason")))
                    progress.sent = True
        return ChatResponse(id=chat_id, session_id=req.session_id, model=model,
                            message=Message.from_view({"role": "assistant", "content": "".join(text)}),
                            usage=TokenUsage(prompt_tokens=usage.get("prompt_tokens", 0),
                                             completion_tokens=usage.get("completion_tokens", 0),
                                             total_tokens=usage.get("total_tokens", 0)),
                            finish_reason=finish, created_at=_iso(time.time()))
