"""The app's API routes with their full paths (FastAPI includes routers lazily; this walks them)."""
from __future__ import annotations

from collections.abc import Iterator

from fastapi.routing import APIRoute, iter_route_contexts


def api_routes(app) -> Iterator[tuple[str, APIRoute]]:
    """(full path, route) for every API route."""
    for ctx in iter_route_contexts(app.routes):
        if isinstance(ctx.route, APIRoute):
            yield ctx.path, ctx.route
