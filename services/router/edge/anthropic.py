"""Anthropic Messages API (`POST /v1/messages`) on the same pipeline as /v1/chat/completions: the request is
translated to the internal format, sanitized, admitted, sent to whichever provider serves the model, and the answer
translated back. Errors on this route use Anthropic's shape, so the anthropic SDK raises its own exception types."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

import orjson
import pydantic
from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from services.router.edge import deps
from services.router.pipeline import request_record, tokens
from services.router.formats import anthropic as fmt
from services.router.formats.anthropic_schemas import (CountTokensRequest, CountTokensResponse, ErrorResponse,
                                                       MessageResponse, MessagesRequest)
from services.router.edge.errors import validation_error
from services.router.edge.responses import JSON
from services.router.formats.openai_schemas import ChatCompletionRequest
from services.runtime.context import current_request_id
from services.runtime.errors import InternalError, RadiantError, ValidationError

log = logging.getLogger("radiant.router")

# Internal field -> the Anthropic parameter the caller sent, for errors raised on the translated request.
_FIELD_NAMES = {"stop": "stop_sequences", "user": "metadata.user_id", "parameters": "input_schema"}


def _request_id() -> dict[str, str]:
    # Anthropic's SDKs expose the `request-id` header as `_request_id` on results and errors.
    rid = current_request_id()
    return {"request-id": rid} if rid else {}


def _explained(err: ValidationError) -> ValidationError:
    """Anthropic's error object has only a message, so it names each field and what is wrong with it, like the
    API's own ("max_tokens: Field required"). A field whose sub-field is named too is left out: that is pydantic
    trying the other branch of a union (a string instead of a list of blocks)."""
    details = {field: msgs for field, msgs in err.details.items()
               if not any(other.startswith(f"{field}.") for other in err.details)}
    if not details:
        return err
    message = "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in details.items())
    return type(err)(message, details=details, headers=err.headers)


def error_response(err: RadiantError) -> JSON:
    request_record.note_error(err)
    if isinstance(err, ValidationError):
        err = _explained(err)
    if err.http_status >= 500:
        log.warning("request failed", extra={"error_code": err.code})
    return JSON(fmt.error_body(err), status_code=err.http_status, headers={**err.headers, **_request_id()})


class AnthropicErrorsRoute(APIRoute):
    """Renders every failure of the route (auth, validation, pipeline) in Anthropic's error shape; the app-wide
    handlers keep OpenAI's shape for the other /v1 routes."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return error_response(validation_error(exc))
            except RadiantError as err:
                return error_response(err)
            except HTTPException as exc:  # raised by the framework itself, e.g. a body that is not UTF-8
                return JSON({"type": "error", "error": {"type": fmt.error_type(exc.status_code),
                                                        "message": str(exc.detail)}},
                            status_code=exc.status_code, headers={**(exc.headers or {}), **_request_id()})
            except Exception as exc:  # noqa: BLE001 - the client gets a generic api_error, the log the cause
                log.error("unhandled error", exc_info=exc, extra={"path": request.url.path})
                return error_response(InternalError())

        return handle


router = APIRouter(route_class=AnthropicErrorsRoute)


def to_internal(req: MessagesRequest) -> ChatCompletionRequest:
    body = fmt.request_to_openai(req.model_dump(exclude_none=True))
    for field in ("session_id", "enable_phi", "phi_categories"):
        if getattr(req, field) is not None:
            body[field] = getattr(req, field)
    try:
        return ChatCompletionRequest.model_validate(body)
    except pydantic.ValidationError as exc:
        # Rare (the Anthropic models check the same limits first), so no effort to map message indexes back.
        internal = validation_error(RequestValidationError(exc.errors()))
        details = {".".join(_FIELD_NAMES.get(p, p) for p in field.split(".")): messages
                   for field, messages in internal.details.items()}
        raise ValidationError(f"Invalid request: {', '.join(details)}", details=details) from None


async def sse(chunks: AsyncIterator[dict], first: dict | None, model: str) -> AsyncIterator[bytes]:
    converter = fmt.StreamToAnthropic(model)
    try:
        chunk = first
        while chunk is not None:
            for event in converter.feed(chunk):
                yield fmt.sse_event(event)
            chunk = await anext(chunks, None)
    except RadiantError as err:
        # Headers are gone already: report the failure as an `error` event, as Anthropic does.
        log.warning("stream failed", extra={"error_code": err.code})
        yield fmt.sse_event(fmt.error_body(err))
        return
    finally:
        await chunks.aclose()
    for event in converter.finish():
        yield fmt.sse_event(event)


_ERRORS = {status: {"model": ErrorResponse, "description": description} for status, description in (
    (400, "Invalid request (invalid_request_error)"), (401, "Missing or invalid API key (authentication_error)"),
    (403, "Not allowed for this tenant (permission_error)"), (404, "Unknown model (not_found_error)"),
    (429, "Rate limited (rate_limit_error), with Retry-After"), (500, "Internal error (api_error)"),
    (502, "The provider failed (api_error)"), (503, "Unavailable for now (overloaded_error), with Retry-After"))}


@router.post("/v1/messages", response_model=None, responses={
    200: {"model": MessageResponse, "description": "The message; with stream=true, Anthropic's SSE events",
          "content": {"text/event-stream": {}}}, **_ERRORS})
async def create_message(req: MessagesRequest, principal=Depends(deps.principal), pipeline=Depends(deps.pipeline)):
    internal = to_internal(req)
    if req.stream:
        prepared = await pipeline.prepare(principal, internal)
        chunks = aiter(pipeline.stream(prepared, include_usage=True))
        # Failures before the first chunk (provider down, rate limited) are still plain HTTP errors.
        first = await anext(chunks, None)
        return StreamingResponse(sse(chunks, first, prepared.model.name), media_type="text/event-stream",
                                 headers={"cache-control": "no-cache", "x-accel-buffering": "no", **_request_id()})
    outcome = await pipeline.chat(principal, internal)
    return JSON(fmt.response_from_openai(outcome.body), headers=_request_id())


@router.post("/v1/messages/count_tokens", response_model=None,
             responses={200: {"model": CountTokensResponse, "description": "Input tokens of the request"}, **_ERRORS})
async def count_tokens(req: CountTokensRequest, principal=Depends(deps.principal), pipeline=Depends(deps.pipeline)):
    """Counted locally (nothing leaves the gateway) with the router's tokenizer (cl100k): exact for OpenAI-format
    models, an estimate for others."""
    await pipeline.catalog.model(req.model)  # unknown or inactive models are a 404, as on /v1/messages
    body = fmt.request_to_openai({**req.model_dump(exclude_none=True), "max_tokens": 1})
    count = tokens.count_prompt(body["messages"]) + sum(
        tokens.count_text(orjson.dumps(tool["function"]).decode()) for tool in body.get("tools") or ())
    return JSON({"input_tokens": count}, headers=_request_id())
