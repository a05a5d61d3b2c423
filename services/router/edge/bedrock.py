"""AWS Bedrock Converse API (POST /model/{modelId}/converse and /converse-stream), so boto3's `bedrock-runtime`
client works with `endpoint_url=<router>`. modelId is the Radiant model name.

Authentication is Bedrock's API-key style, `Authorization: Bearer <Radiant API key>`: what botocore sends when
AWS_BEARER_TOKEN_BEDROCK is set (or `X-API-Key`). SigV4-signed requests are refused with a message saying so: a SigV4
signature can only be checked by a server holding the plaintext secret, and Radiant stores API keys as keyed hashes;
accepting the access key id alone would ignore the signature the caller believes protects the request.

Errors use Bedrock's shape (`x-amzn-errortype` header, `{"message"}` body) so boto3 raises the matching ClientError;
failures after the stream started are event-stream exception messages, as Bedrock sends them."""
from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable

import pydantic
from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException

from services.router.edge import deps
from services.router.formats import aws_eventstream
from services.router.formats.bedrock import (ConverseEventWriter, ConverseRequest, converse_to_openai,
                                             openai_to_converse_response)
from services.router.edge.errors import validation_error
from services.router.pipeline import request_record
from services.router.pipeline.core import Pipeline
from services.router.edge.responses import JSON
from services.router.formats.openai_schemas import ChatCompletionRequest
from services.runtime.context import current_request_id
from services.runtime.errors import (ForbiddenError, InternalError, NotFoundError, ProviderError, RadiantError,
                                     RateLimitError, ServiceUnavailableError, UnauthorizedError, ValidationError)

log = logging.getLogger("radiant.router")

# Taxonomy -> (HTTP status, Bedrock error type) as the Bedrock Runtime API models them. Anything 4xx not listed is
# the caller's request: ValidationException.
_ERRORS: dict[type[RadiantError], tuple[int, str]] = {
    UnauthorizedError: (403, "AccessDeniedException"),
    ForbiddenError: (403, "AccessDeniedException"),
    NotFoundError: (404, "ResourceNotFoundException"),
    RateLimitError: (429, "ThrottlingException"),
    ProviderError: (424, "ModelErrorException"),
    ServiceUnavailableError: (503, "ServiceUnavailableException"),
    InternalError: (500, "InternalServerException"),
}
# The exception members ConverseStream's event stream may carry.
_STREAM_EXCEPTIONS = {400: "validationException", 429: "throttlingException", 424: "modelStreamErrorException",
                      503: "serviceUnavailableException"}


def bedrock_error(err: RadiantError) -> tuple[int, str]:
    for cls in type(err).__mro__:
        if cls in _ERRORS:
            return _ERRORS[cls]
    if err.http_status < 500:
        return (413 if err.http_status == 413 else 400), "ValidationException"
    return 500, "InternalServerException"


def _message(err: RadiantError) -> str:
    """Bedrock's error body has a message only, so field details are spelled out in it."""
    if not err.details:
        return err.message
    reasons = "; ".join(f"{name}: {msg.removeprefix('Value error, ')}"
                        for name, msgs in err.details.items() for msg in msgs)
    return f"Invalid request: {reasons}" if err.message.startswith("Invalid request") else f"{err.message} ({reasons})"


def render(err: RadiantError) -> JSON:
    request_record.note_error(err)
    status, error_type = bedrock_error(err)
    headers = {**err.headers, "x-amzn-errortype": error_type}
    rid = current_request_id()
    if rid:
        headers["x-amzn-requestid"] = rid
    return JSON({"message": _message(err)}, status_code=status, headers=headers)


class BedrockRoute(APIRoute):
    """Renders every failure of these routes (body validation included) in Bedrock's error shape; the app-wide
    handlers keep OpenAI's shape for /v1 and the envelope for /api."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def bedrock_errors(request: Request):
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return render(validation_error(exc))
            except HTTPException as exc:  # FastAPI's own, e.g. a body that is not even text
                if exc.status_code >= 500:
                    raise
                return render(ValidationError(f"Invalid request: {exc.detail}", details={"body": [str(exc.detail)]}))
            except RadiantError as exc:
                if exc.http_status >= 500:
                    log.warning("request failed", extra={"error_code": exc.code, "path": "/model/converse"})
                return render(exc)
            except Exception as exc:  # noqa: BLE001 - the caller still gets a Bedrock-shaped 500
                log.error("unhandled error", exc_info=exc, extra={"path": "/model/converse"})
                return render(InternalError())

        return bedrock_errors


class _ModelId(Convertor):
    """A model id is everything between /model/ and the operation, '/' and even control characters included, so
    that every /model/... request reaches these routes and gets a Bedrock-shaped answer."""
    regex = r"[\s\S]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("bedrock_model_id", _ModelId())
router = APIRouter(route_class=BedrockRoute, tags=["bedrock"])


class BedrockError(BaseModel):
    message: str


_ERROR_DOCS = {400: "ValidationException", 403: "AccessDeniedException (missing or invalid API key)",
               404: "ResourceNotFoundException (unknown model)", 424: "ModelErrorException (the provider failed)",
               429: "ThrottlingException (see Retry-After)", 500: "InternalServerException",
               503: "ServiceUnavailableException"}
ERROR_RESPONSES: dict[int | str, dict] = {
    status: {"model": BedrockError, "description": f"{kind}; the type is in the x-amzn-errortype header"}
    for status, kind in _ERROR_DOCS.items()}


async def bedrock_principal(request: Request):
    if any(v.lstrip().startswith("AWS4-") for v in request.headers.getlist("authorization")):
        raise UnauthorizedError("AWS SigV4 signatures are not accepted: authenticate with 'Authorization: Bearer "
                                "<Radiant API key>' (boto3: set AWS_BEARER_TOKEN_BEDROCK to the key)")
    return await deps.authorized(request, "chat")


bedrock_principal.radiant_action = "chat"  # type: ignore[attr-defined]


def chat_request(body: ConverseRequest, model_id: str, stream: bool) -> ChatCompletionRequest:
    try:
        return ChatCompletionRequest.model_validate(converse_to_openai(body, model_id, stream))
    except pydantic.ValidationError as exc:
        raise validation_error(RequestValidationError(exc.errors())) from None


def _elapsed_ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


@router.post("/model/{model_id:bedrock_model_id}/converse", responses=ERROR_RESPONSES)
async def converse(model_id: str, body: ConverseRequest, principal=Depends(bedrock_principal),
                   pipeline: Pipeline = Depends(deps.pipeline)):
    started = time.perf_counter()
    outcome = await pipeline.chat(principal, chat_request(body, model_id, stream=False))
    return JSON(openai_to_converse_response(outcome.body, _elapsed_ms(started)),
                headers={"x-amzn-requestid": current_request_id() or ""})


async def _events(first: dict | None, chunks: AsyncIterator[dict], started: float) -> AsyncIterator[bytes]:
    writer = ConverseEventWriter()
    try:
        if first is not None:
            for name, payload in writer.feed(first):
                yield aws_eventstream.event(name, payload)
        async for chunk in chunks:
            for name, payload in writer.feed(chunk):
                yield aws_eventstream.event(name, payload)
    except RadiantError as err:
        log.warning("stream failed", extra={"error_code": err.code})
        status, _ = bedrock_error(err)
        yield aws_eventstream.exception(_STREAM_EXCEPTIONS.get(status, "internalServerException"), err.message)
        return
    for name, payload in writer.finish_events(_elapsed_ms(started)):
        yield aws_eventstream.event(name, payload)


@router.post("/model/{model_id:bedrock_model_id}/converse-stream", responses={
    200: {"description": "ConverseStream events", "content": {aws_eventstream.CONTENT_TYPE: {}}}, **ERROR_RESPONSES})
async def converse_stream(model_id: str, body: ConverseRequest, principal=Depends(bedrock_principal),
                          pipeline: Pipeline = Depends(deps.pipeline)):
    started = time.perf_counter()
    prepared = await pipeline.prepare(principal, chat_request(body, model_id, stream=True))
    # The first chunk is awaited before answering, so a provider that cannot be reached (throttled, unavailable,
    # after retries and fallbacks) is an HTTP error boto3 raises from converse_stream(), as Bedrock does; later
    # failures are exception events in the stream.
    chunks = aiter(pipeline.stream(prepared, True))
    first = await anext(chunks, None)
    headers = {"x-amzn-requestid": current_request_id() or ""}
    return StreamingResponse(_events(first, chunks, started), media_type=aws_eventstream.CONTENT_TYPE,
                             headers=headers)
