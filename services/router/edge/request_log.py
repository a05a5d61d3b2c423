"""Pure ASGI middleware that gives every inference request exactly one request-log record, whatever its outcome:
answered, refused before routing (413), by authentication, validation, policy, admission or the fail-closed
sanitizer, failed at the provider, failed inside a stream, or abandoned by the client (before the answer started:
499; during a stream: the status that was sent, with CLIENT_DISCONNECTED).

It runs outside RequestContextMiddleware, so the records of requests that one refuses are written too; the
gateway-minted id is read when the record is finished (the inner middleware set it in this task's context)."""
from __future__ import annotations

import asyncio
import re

from services.router.pipeline import request_record

# POST routes that are inference requests: path -> (surface, GenAI operation name).
_ROUTES = {
    "/v1/chat/completions": ("openai", "chat"),
    "/v1/embeddings": ("openai", "embeddings"),
    "/v1/messages": ("anthropic", "chat"),
    "/api/v2/chat/completions": ("v2", "chat"),
}
_BEDROCK = re.compile(r"/model/.+/(converse|converse-stream)")


def classify(method: str, path: str) -> tuple[str, str, bool] | None:
    """(surface, operation, streamed) of an inference route, None for every other route."""
    if method != "POST":
        return None
    found = _ROUTES.get(path.rstrip("/") or path)
    if found is not None:
        return (*found, False)
    match = _BEDROCK.fullmatch(path)
    if match is not None:
        return "bedrock", "chat", match.group(1) == "converse-stream"
    return None


class RequestLogMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        kind = classify(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if kind is None:
            return await self.app(scope, receive, send)
        record = request_record.begin(*kind)
        state = {"status": 0, "complete": False}

        async def watch_send(message):
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                state["complete"] = True
            await send(message)

        try:
            await self.app(scope, receive, watch_send)
        except asyncio.CancelledError:  # the server is shutting down, or the connection went away
            _publish(scope, record.finish(state["status"], disconnected=True))
            raise
        except Exception:  # unhandled: the outermost handler answers 500
            _publish(scope, record.finish(state["status"] or 500))
            raise
        _publish(scope, record.finish(state["status"], disconnected=not state["complete"]))


def _publish(scope, log_record) -> None:
    pipeline = getattr(scope["app"].state, "pipeline", None)
    if log_record is not None and pipeline is not None and pipeline.request_log is not None:
        pipeline.request_log.publish(log_record)
