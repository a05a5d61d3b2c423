"""OpenAI-compatible /v1 routes."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from services.router.responses import JSON

from services.router import deps
from services.router.schemas import ChatCompletionRequest
from services.runtime.errors import ValidationError

router = APIRouter(prefix="/v1")


def reject_streaming(req: ChatCompletionRequest) -> None:
    if req.stream:
        raise ValidationError("Streaming responses are not available yet; send stream=false",
                              details={"stream": ["must be false"]})


@router.post("/chat/completions")
async def chat_completions(req: ChatCompletionRequest, principal=Depends(deps.principal),
                           pipeline=Depends(deps.pipeline)):
    reject_streaming(req)
    outcome = await pipeline.chat(principal, req)
    return JSON(outcome.body)


@router.get("/models")
async def list_models(principal=Depends(deps.principal), pipeline=Depends(deps.pipeline)):
    models = await pipeline.catalog.active_models()
    return JSON({"object": "list", "data": [
        {"id": m.name, "object": "model", "created": m.created_at.seconds, "owned_by": m.provider_id}
        for m in models]})
