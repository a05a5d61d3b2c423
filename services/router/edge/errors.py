"""One place that renders errors for the REST edge: OpenAI's shape under /v1, the seed envelope under /api/v2."""
from __future__ import annotations

import logging

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from services.router.edge.responses import JSON
from services.router.pipeline import request_record

from services.runtime.context import REQUEST_ID_HEADER, current_request_id
from services.runtime.errors import (ForbiddenError, InternalError, NotFoundError, RadiantError, UnauthorizedError,
                                     ValidationError)

log = logging.getLogger("radiant.router")
_BY_STATUS = {cls.http_status: cls for cls in (ValidationError, UnauthorizedError, ForbiddenError, NotFoundError)}


def render(request: Request, err: RadiantError) -> JSON:
    return response_for_path(request.url.path, err)


def response_for_path(path: str, err: RadiantError) -> JSON:
    """An error in the shape of the API surface the path belongs to (for failures outside any route: middleware)."""
    request_record.note_error(err)
    if path.startswith("/v1/messages"):
        from services.router.edge.anthropic import error_response
        return error_response(err)
    if path.startswith("/model/"):
        from services.router.edge.bedrock import render as bedrock_render
        return bedrock_render(err)
    rid = current_request_id()
    body = err.to_envelope(rid) if path.startswith("/api/") else err.to_openai()
    return JSON(body, status_code=err.http_status, headers={**err.headers, **({REQUEST_ID_HEADER: rid} if rid else {})})


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "header", "path")]
    # Pydantic names union branches (e.g. "str", "constrained-str", "list[...]") in loc; they are not fields the caller
    # sent.
    parts = [p for p in parts if not (p in ("str", "int", "float", "bool") or p.startswith("constrained-")
                                      or "[" in p or p.endswith("Part"))]
    return ".".join(parts) or "body"


def validation_error(exc: RequestValidationError) -> ValidationError:
    details: dict[str, list[str]] = {}
    for e in exc.errors():
        if e.get("type") == "json_invalid":
            return ValidationError("Request body is not valid JSON", details={"body": [str(e.get("msg"))]})
        details.setdefault(_field(tuple(e.get("loc", ()))), []).append(e.get("msg", "invalid"))
    return ValidationError(f"Invalid request: {', '.join(details)}", details=details)


def install(app) -> None:
    @app.exception_handler(RadiantError)
    async def _radiant(request: Request, exc: RadiantError):
        if exc.http_status >= 500:
            log.warning("request failed", extra={"error_code": exc.code, "path": request.url.path})
        return render(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return render(request, validation_error(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        # Raised by the framework itself (an unreadable body, an unknown path): same shapes as our own errors.
        cls = _BY_STATUS.get(exc.status_code)
        if cls is None:
            return await http_exception_handler(request, exc)
        details = {"body": [str(exc.detail)]} if cls is ValidationError else None
        return render(request, cls(str(exc.detail), details=details, headers=exc.headers))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.error("unhandled error", exc_info=exc, extra={"path": request.url.path})
        return render(request, InternalError())
