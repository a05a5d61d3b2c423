"""Which HTTP requests are inference requests, the ones that get a request-log record (the edge's middleware,
services.router.edge.middleware, opens and finishes it, outside everything that may refuse the request)."""
from __future__ import annotations

import re

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
