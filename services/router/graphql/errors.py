"""How GraphQL reports errors: the taxonomy's code, HTTP status and field details in each error's `extensions`;
messages of unexpected failures are replaced (they could hold anything); and, when nothing of the operation could
be answered (no data, or only nulls), the HTTP status of the first error (with its Retry-After), as REST would answer. Nothing but the error
code is logged."""
from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from services.runtime.errors import RadiantError, ValidationError

log = logging.getLogger("radiant.router")


def radiant_error(error: GraphQLError) -> RadiantError | None:
    original = error.original_error
    if isinstance(original, RadiantError):
        return original
    if original is None:
        return None
    # strawberry wraps scalar parsing failures (e.g. AWSJSON) in its own errors; they are the caller's
    if isinstance(original, ValueError):
        return ValidationError(str(original))
    return None


def extensions_of(error: GraphQLError) -> dict:
    err = radiant_error(error)
    if err is not None:
        out = {"code": err.code, "status": err.http_status}
        if err.details:
            out["details"] = err.details
        if err.headers:
            out["headers"] = dict(err.headers)
        return out
    if error.original_error is None:  # syntax, validation, depth and cost limits: the document is wrong
        return {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400, **(error.extensions or {})}
    return {"code": "INTERNAL_ERROR", "status": 500}


class RadiantErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda _: True, error_message="Internal error")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        extensions = extensions_of(error)
        known = radiant_error(error) is not None or error.original_error is None
        if not known:
            log.error("graphql resolver failed", extra={"error_code": "INTERNAL_ERROR",
                                                        "error_type": type(error.original_error).__name__})
        return GraphQLError(message=error.message if known else self.error_message, nodes=error.nodes,
                            source=error.source, positions=error.positions, path=error.path, original_error=None,
                            extensions=extensions)

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if hasattr(context, "begin_operation"):
            context.begin_operation()
        # The status of a refusal is decided by the first error, before its original is dropped.
        yield from super().on_operation()
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        response = getattr(context, "response", None)
        data = getattr(result, "data", None)
        if errors and response is not None and (data is None or all(v is None for v in data.values())):
            first = errors[0].extensions or {}
            response.status_code = int(first.get("status") or 400)
            for name, value in (first.get("headers") or {}).items():
                response.headers[name] = value
