"""The router's OpenAPI document, corrected to what the edge really does:

- credentials are a security scheme (`Authorization: Bearer <API key or JWT>` or `X-API-Key`), not per-operation
  header parameters: an operation is authenticated when its route depends on a principal (a dependency marked with
  `radiant_action`, services.router.edge.deps.allow), and a header parameter of either name is dropped;
- invalid requests answer 400, not FastAPI's default 422, and errors are documented in the shape the edge renders
  them (http_errors.render): the seed's envelope under /api/, OpenAI's error object under /v1/. Operations that
  document their own errors (other wire formats) keep them."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter

from services.router.edge.response_models import EnvelopeError, OpenAIError

_AUTH_HEADERS = {"authorization", "x-api-key"}
_SECURITY = {"bearerAuth": {"type": "http", "scheme": "bearer",
                            "description": "An API key or a JWT, as the OpenAI SDK sends it"},
             "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}
_ERRORS = {"400": "Invalid request (the details name each field at fault)", "401": "Missing or invalid credentials",
           "403": "Not allowed for this tenant", "404": "Not found", "429": "Rate limited (see Retry-After)",
           "500": "Internal error", "502": "The model provider returned an error",
           "503": "A dependency or the model provider is unavailable (see Retry-After when given)"}


def _error_schema(path: str, components: dict) -> dict | None:
    if path.startswith("/api/"):
        model = EnvelopeError
    elif path.startswith("/v1/"):
        model = OpenAIError
    else:
        return None
    schema = TypeAdapter(model).json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _asks_principal(dependant) -> bool:
    stack = [dependant]
    while stack:
        current = stack.pop()
        if getattr(current.call, "radiant_action", None):
            return True
        stack.extend(current.dependencies)
    return False


def _authenticated(app: FastAPI) -> set[tuple[str, str]]:
    """(path, method) of every operation whose route depends on a principal."""
    found: set[tuple[str, str]] = set()
    for ctx in iter_route_contexts(app.routes):
        route = ctx.route
        if isinstance(route, APIRoute) and _asks_principal(route.dependant):
            found.update((ctx.path_format, method.lower()) for method in route.methods)
    return found


def _fix_operation(path: str, op: dict, components: dict, authenticated: bool) -> None:
    params = [p for p in op.get("parameters", []) if not (p.get("in") == "header"
                                                          and p.get("name", "").lower() in _AUTH_HEADERS)]
    authenticated = authenticated or len(params) != len(op.get("parameters", []))
    if "parameters" in op or authenticated:  # (an empty list where only the credentials were)
        op["parameters"] = params
    if authenticated:
        op["security"] = [{"bearerAuth": []}, {"apiKeyHeader": []}]
    responses = op.setdefault("responses", {})
    responses.pop("422", None)
    if any(code.startswith(("4", "5")) for code in responses):
        return  # the operation documents its own errors
    schema = _error_schema(path, components)
    if schema is None:
        return
    for code, description in _ERRORS.items():
        if code in ("401", "403") and not authenticated:
            continue
        responses[code] = {"description": description, "content": {"application/json": {"schema": schema}}}


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, routes=app.routes, description=app.description)
            components = doc.setdefault("components", {})
            schemas = components.setdefault("schemas", {})
            authenticated = _authenticated(app)
            for path, item in doc.get("paths", {}).items():
                for method, op in item.items():
                    _fix_operation(path, op, schemas, (path, method) in authenticated)
            for unused in ("HTTPValidationError", "ValidationError"):
                schemas.pop(unused, None)
            components["securitySchemes"] = _SECURITY
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
