"""RouterService for internal gRPC callers: the same pipeline as the REST edge."""
from __future__ import annotations

import functools

import grpc
from google.protobuf.json_format import MessageToDict, ParseDict
from pydantic import ValidationError as PydanticValidationError

from radiant.common.v1 import common_pb2
from radiant.router.v1 import router_pb2, router_pb2_grpc
from services.router import access
from services.router.pipeline import request_logging
from services.router.pipeline.core import Pipeline
from services.router.formats.openai_schemas import ChatCompletionRequest
from services.runtime.context import current_request_id
from services.runtime.errors import RadiantError, ValidationError


def _metadata(context, name: str) -> list[str]:
    """Every value of a metadata key (a repeated credential is refused, as over HTTP)."""
    return [v for k, v in context.invocation_metadata() or () if k == name and isinstance(v, str)]


def _to_openai_message(msg: common_pb2.ChatMessage) -> dict:
    out: dict = {"role": msg.role}
    which = msg.WhichOneof("body")
    if which == "text":
        out["content"] = msg.text
    elif which == "parts":
        out["content"] = [{"type": "text", "text": p.text} if p.type == "text" else
                          {"type": "image_url", "image_url": {"url": p.image_url, **({"detail": p.detail} if p.detail else {})}}
                          for p in msg.parts.parts]
    if msg.tool_call_id:
        out["tool_call_id"] = msg.tool_call_id
    if msg.tool_calls:
        out["tool_calls"] = [{"id": t.id, "type": t.type or "function",
                              "function": {"name": t.function_name, "arguments": t.function_arguments}}
                             for t in msg.tool_calls]
    return out


def _request(msg: router_pb2.ChatCompletionRequest) -> ChatCompletionRequest:
    data = MessageToDict(msg, preserving_proto_field_name=True)
    data["messages"] = [_to_openai_message(m) for m in msg.messages]
    try:
        return ChatCompletionRequest.model_validate(data)
    except PydanticValidationError as exc:
        details: dict[str, list[str]] = {}
        for e in exc.errors():
            details.setdefault(".".join(str(p) for p in e["loc"]) or "request", []).append(e["msg"])
        raise ValidationError(f"Invalid request: {', '.join(details)}", details=details) from None


def _completion(body: dict, mapping_id: str, request_id: str) -> router_pb2.ChatCompletion:
    out = router_pb2.ChatCompletion(id=body["id"], model=body["model"], created=body["created"],
                                    phi_mapping_id=mapping_id, request_id=request_id)
    ParseDict(body["usage"], out.usage, ignore_unknown_fields=True)
    for c in body["choices"]:
        m = c.get("message") or {}
        choice = out.choices.add(index=c.get("index", 0), finish_reason=c.get("finish_reason") or "")
        choice.message.role = m.get("role", "assistant")
        choice.message.text = m.get("content") or ""
    return out


def _logged(operation: str, stream: bool = False):
    """One request-log record per call, as the HTTP edge writes them."""
    def wrap(fn):
        if not stream:
            @functools.wraps(fn)
            async def unary(self, request, context):
                with request_logging.logged(self.pipeline, "grpc", operation):
                    return await fn(self, request, context)
            return unary

        @functools.wraps(fn)
        async def streaming(self, request, context):
            with request_logging.logged(self.pipeline, "grpc", operation, stream=True) as progress:
                async for item in fn(self, request, context):
                    yield item
                    progress.sent = True
        return streaming
    return wrap


class RouterServicer(router_pb2_grpc.RouterServiceServicer):
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    async def _principal(self, context, action: str):
        return await access.authorize(self.pipeline, _metadata(context, "authorization"),
                                      _metadata(context, "x-api-key"), action)

    @_logged("chat")
    async def CreateChatCompletion(self, request, context):
        principal = await self._principal(context, "chat")
        outcome = await self.pipeline.chat(principal, _request(request))
        return _completion(outcome.body, outcome.mapping_id, current_request_id() or "")

    async def ListModels(self, request, context):
        await self._principal(context, "models.read")
        models = await self.pipeline.catalog.active_models()
        return router_pb2.ListModelsResponse(models=[router_pb2.ModelInfo(
            id=m.name, owned_by=m.provider_id, created=m.created_at.seconds, display_name=m.display_name,
            context_window=m.context_window, supports_streaming=m.supports_streaming) for m in models])

    @_logged("chat", stream=True)
    async def StreamChatCompletion(self, request, context):
        principal = await self._principal(context, "chat")
        req = _request(request)
        req.stream = True
        prepared = await self.pipeline.prepare(principal, req)
        async for chunk in self.pipeline.stream(prepared, include_usage=True):
            out = router_pb2.ChatCompletionChunk(id=chunk.get("id", ""), model=chunk.get("model", ""),
                                                 created=int(chunk.get("created") or 0))
            for c in chunk.get("choices") or ():
                delta = c.get("delta") or {}
                out.choices.add(index=int(c.get("index") or 0), role=delta.get("role") or "",
                                content=delta.get("content") or "", finish_reason=c.get("finish_reason") or "")
            if chunk.get("usage"):
                ParseDict(chunk["usage"], out.usage, ignore_unknown_fields=True)
            yield out

    @_logged("embeddings")
    async def CreateEmbeddings(self, request, context):
        await self._principal(context, "embeddings")
        raise _unimplemented("CreateEmbeddings")


def _unimplemented(name: str) -> RadiantError:
    err = RadiantError(f"{name} is not implemented yet")
    err.grpc_status = grpc.StatusCode.UNIMPLEMENTED  # type: ignore[misc]
    return err
