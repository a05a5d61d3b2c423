"""OpenAI-compatible /v1 routes."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import orjson
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import StreamingResponse

from radiant.registry.v1 import registry_pb2
from services.router.edge import deps, model_views
from services.router.edge import response_models as rm
from services.router.edge.responses import JSON
from services.router.pipeline.core import KEEPALIVE
from services.router.formats.openai_schemas import NAME_CHARS, ChatCompletionRequest, EmbeddingRequest
from services.runtime.errors import NotFoundError, RadiantError, ValidationError
from services.runtime.grpc_client import call

router = APIRouter(prefix="/v1")
KEEPALIVE_COMMENT = b": keep-alive\n\n"
log = logging.getLogger("radiant.router")


def reject_streaming(req: ChatCompletionRequest) -> None:
    if req.stream:
        raise ValidationError("Streaming is available on /v1/chat/completions only; send stream=false here",
                              details={"stream": ["must be false on this route"]})


async def sse(first: dict | None, chunks: AsyncIterator[dict]) -> AsyncIterator[bytes]:
    try:
        chunk = first
        while chunk is not None:
            # While a warm-up holds the request: an SSE comment, which clients ignore and proxies see as traffic.
            yield KEEPALIVE_COMMENT if chunk is KEEPALIVE else b"data: " + orjson.dumps(chunk) + b"\n\n"
            chunk = await anext(chunks, None)
    except RadiantError as err:
        # Headers are gone already: report the failure in the stream, as OpenAI does.
        log.warning("stream failed", extra={"error_code": err.code})
        yield b"data: " + orjson.dumps(err.to_openai()) + b"\n\n"
        return
    finally:
        await chunks.aclose()
    yield b"data: [DONE]\n\n"


@router.post("/chat/completions", responses={200: {
    "model": rm.ChatCompletion, "description": "A chat.completion, or chat.completion.chunk events when stream is true",
    "content": {"text/event-stream": {"schema": {"type": "string"}}}}})
async def chat_completions(req: ChatCompletionRequest, principal=Depends(deps.allow("chat")),
                           pipeline=Depends(deps.pipeline)):
    if req.stream:
        prepared = await pipeline.prepare(principal, req)
        include_usage = bool(req.stream_options and req.stream_options.include_usage)
        chunks = pipeline.stream(prepared, include_usage, keepalive=True)
        # Failures before the first chunk (provider down, rate limited, every fallback failed) are plain HTTP errors
        # with their status and Retry-After; later ones are reported inside the stream. A request held for a cold
        # model's warm-up starts the stream with keep-alives, so a failure after them is reported in the stream too.
        first = await anext(chunks, None)
        return StreamingResponse(sse(first, chunks), media_type="text/event-stream",
                                 headers={"cache-control": "no-cache", "x-accel-buffering": "no"})
    outcome = await pipeline.chat(principal, req)
    return JSON(outcome.body)


@router.post("/embeddings", responses=rm.ok(rm.EmbeddingList))
async def embeddings(req: EmbeddingRequest, principal=Depends(deps.allow("embeddings")), pipeline=Depends(deps.pipeline)):
    return JSON(await pipeline.embed(principal, req))


@router.get("/models", responses=rm.ok(rm.ModelList))
async def list_models(principal=Depends(deps.allow("models.read")), pipeline=Depends(deps.pipeline)):
    """Models the caller's tenant can use now."""
    may_use = await model_views.tenant_access(pipeline, principal)
    active = registry_pb2.STATUS_ACTIVE
    models, providers = await asyncio.gather(model_views.all_models(pipeline.up, status=active),
                                             model_views.all_providers(pipeline.up, status=active))
    return JSON({"object": "list", "data": [
        model_views.openai_model(m, providers[m.provider_id]) for m in models
        if m.provider_id in providers and may_use(m, providers[m.provider_id])]})


@router.get("/models/{model:path}", responses=rm.ok(rm.ModelObject))
async def retrieve_model(model: Annotated[str, Path(max_length=256, pattern=NAME_CHARS)],
                         principal=Depends(deps.allow("models.read")), pipeline=Depends(deps.pipeline)):
    unknown = NotFoundError(f"The model '{model}' does not exist or you do not have access to it",
                            details={"model": ["unknown model"]})
    try:
        found = await call(pipeline.up.registry.GetModel(registry_pb2.GetModelRequest(name=model)), "registry")
    except NotFoundError:
        raise unknown from None
    provider = await pipeline.catalog.provider(found.provider_id)
    may_use = await model_views.tenant_access(pipeline, principal)
    if not model_views.callable_now(found, provider) or not may_use(found, provider):
        raise unknown
    return JSON(model_views.openai_model(found, provider))
