"""OpenAI-compatible /v1 routes."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import orjson
from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from services.router import deps
from services.router.pipeline import Pipeline, Prepared
from services.router.responses import JSON
from services.router.schemas import ChatCompletionRequest
from services.runtime.errors import RadiantError, ValidationError

router = APIRouter(prefix="/v1")
log = logging.getLogger("radiant.router")


def reject_streaming(req: ChatCompletionRequest) -> None:
    if req.stream:
        raise ValidationError("Streaming is available on /v1/chat/completions only; send stream=false here",
                              details={"stream": ["must be false on this route"]})


async def sse(pipeline: Pipeline, prepared: Prepared, include_usage: bool) -> AsyncIterator[bytes]:
    try:
        async for chunk in pipeline.stream(prepared, include_usage):
            yield b"data: " + orjson.dumps(chunk) + b"\n\n"
    except RadiantError as err:
        # Headers are gone already: report the failure in the stream, as OpenAI does.
        log.warning("stream failed", extra={"error_code": err.code})
        yield b"data: " + orjson.dumps(err.to_openai()) + b"\n\n"
        return
    yield b"data: [DONE]\n\n"


@router.post("/chat/completions")
async def chat_completions(req: ChatCompletionRequest, principal=Depends(deps.principal),
                           pipeline=Depends(deps.pipeline)):
    if req.stream:
        prepared = await pipeline.prepare(principal, req)
        include_usage = bool(req.stream_options and req.stream_options.include_usage)
        return StreamingResponse(sse(pipeline, prepared, include_usage), media_type="text/event-stream",
                                 headers={"cache-control": "no-cache", "x-accel-buffering": "no"})
    outcome = await pipeline.chat(principal, req)
    return JSON(outcome.body)


@router.get("/models")
async def list_models(principal=Depends(deps.principal), pipeline=Depends(deps.pipeline)):
    models = await pipeline.catalog.active_models()
    return JSON({"object": "list", "data": [
        {"id": m.name, "object": "model", "created": m.created_at.seconds, "owned_by": m.provider_id}
        for m in models]})
