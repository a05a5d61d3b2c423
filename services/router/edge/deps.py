"""FastAPI dependencies: the pipeline from app state and the caller's principal.

`allow(action)` is the only way a route gets a principal: it authenticates the request's credentials and checks the
tenant's status and the permission matrix for the route's action (services.router.access). Every route but the
public ones (health probes, version, metrics, the OpenAPI document, accepting an invitation) declares one."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from radiant.common.v1 import common_pb2
from services.auth.permissions import MATRIX
from services.router import access
from services.router.pipeline.core import Pipeline

PrincipalDependency = Callable[..., Awaitable[common_pb2.Principal]]


async def pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


async def authorized(request: Request, action: str) -> common_pb2.Principal:
    return await access.authorize(request.app.state.pipeline, request.headers.getlist("authorization"),
                                  request.headers.getlist("x-api-key"), action)


def allow(action: str) -> PrincipalDependency:
    if action not in MATRIX:
        raise KeyError(f"unknown action {action!r}: add it to services/auth/permissions.py")

    # The credentials are read from the request, every occurrence. No Header parameters: FastAPI would parse and
    # validate them on every request only for the OpenAPI document, which marks each operation that depends on a
    # `radiant_action` as authenticated instead (services.router.edge.openapi).
    async def principal(request: Request) -> common_pb2.Principal:
        return await authorized(request, action)

    principal.radiant_action = action  # type: ignore[attr-defined]
    return principal
