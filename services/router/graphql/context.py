"""What every GraphQL resolver gets: the caller's credentials (HTTP headers, or the graphql-ws connection_init
payload), checked through services.router.access exactly as a REST route's are, and per-operation memos so a query
that names the same provider a hundred times asks the registry once."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import HTTPConnection
from strawberry.fastapi import BaseContext

from radiant.common.v1 import common_pb2
from radiant.registry.v1 import registry_pb2
from services.router import access
from services.router.edge import model_views
from services.router.edge.admin.context import AdminContext
from services.router.graphql.chat_streams import ChatStreams
from services.router.graphql.types import Model, Provider
from services.router.pipeline.core import Pipeline
from services.runtime.context import current_request_id
from services.runtime.errors import NotFoundError


def _values(source: Any, name: str) -> list[str]:
    """Every value of a credential, from headers (each occurrence) or a connection_init payload (any case)."""
    if hasattr(source, "getlist"):
        return source.getlist(name)
    if isinstance(source, dict):
        return [str(v) for k, v in source.items() if isinstance(k, str) and k.lower() == name and v is not None]
    return []


class GraphQLContext(BaseContext):
    def __init__(self, connection: HTTPConnection, streams: ChatStreams) -> None:
        super().__init__()
        self.connection = connection
        self.streams = streams
        self._memo: dict[tuple, asyncio.Future] = {}

    def begin_operation(self) -> None:
        """A WebSocket connection keeps one context for all its operations: each sees fresh data."""
        self._memo = {}

    @property
    def pipeline(self) -> Pipeline:
        return self.connection.app.state.pipeline

    def _credentials(self) -> tuple[list[str], list[str]]:
        # A WebSocket client sends them in connection_init (browsers cannot set headers on the upgrade); otherwise
        # the upgrade's or the POST's headers.
        params = self.connection_params if isinstance(self.connection_params, dict) else None
        if params and (_values(params, "authorization") or _values(params, "x-api-key")):
            return _values(params, "authorization"), _values(params, "x-api-key")
        headers = self.connection.headers
        return _values(headers, "authorization"), _values(headers, "x-api-key")

    async def principal(self, action: str) -> common_pb2.Principal:
        """401 without valid credentials, 403 for an inactive tenant or an action the matrix does not allow. Asked
        on every use (auth's decision is cached for seconds and evicted on a revocation), so a revoked key stops
        working on an open WebSocket too."""
        authorization, x_api_key = self._credentials()
        return await access.authorize(self.pipeline, authorization, x_api_key, action)

    async def admin(self, action: str) -> AdminContext:
        """The admin API's context, so GraphQL writes run the admin resource functions (and their audit trail)."""
        client = self.connection.client
        return AdminContext(await self.principal(action), self.pipeline, action, ip=client.host if client else "",
                            user_agent=self.connection.headers.get("user-agent", "")[:512],
                            request_id=current_request_id() or "")

    async def _once(self, key: tuple, make: Callable[[], Awaitable[Any]]) -> Any:
        if key not in self._memo:
            self._memo[key] = asyncio.ensure_future(make())
        return await self._memo[key]

    async def provider(self, provider_id: str):
        async def load():
            await self.principal("models.read")
            try:
                return Provider.from_view(model_views.seed_provider(await model_views.provider(self.pipeline,
                                                                                               provider_id)))
            except NotFoundError:
                return None
        return await self._once(("provider", provider_id), load)

    async def provider_models(self, provider_id: str):
        async def load():
            principal = await self.principal("models.read")
            models = await model_views.visible_models(self.pipeline, principal, provider_id=provider_id,
                                                      status=registry_pb2.STATUS_ACTIVE)
            return [Model.from_view(model_views.seed_model(m)) for m in models]
        return await self._once(("provider_models", provider_id), load)

    async def session(self, session_id: str) -> dict:
        async def load():
            return await self.pipeline.sessions.get(await self.principal("sessions"), session_id)
        return await self._once(("session", session_id), load)


def context_getter(streams: ChatStreams):
    async def get(request: HTTPConnection) -> GraphQLContext:
        return GraphQLContext(request, streams)
    return get

