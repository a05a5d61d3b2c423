"""The schema and the /graphql route (HTTP POST / GET and WebSocket: graphql-transport-ws and the older graphql-ws)."""
from __future__ import annotations

import logging

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import DisableIntrospection
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL

from services.router.graphql import limits
from services.router.graphql.chat_streams import ChatStreams
from services.router.graphql.context import context_getter
from services.router.graphql.errors import RadiantErrors, extensions_of
from services.router.graphql.mutations import Mutation
from services.router.graphql.queries import Query
from services.router.graphql.subscriptions import Subscription
from services.router.settings import Settings

log = logging.getLogger("radiant.router")


class RadiantSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        # strawberry would log each error with its message and traceback; the code says enough and holds no data.
        for error in errors:
            code = extensions_of(error)["code"]
            if code == "INTERNAL_ERROR":
                log.warning("graphql operation failed", extra={"error_code": code})


def build_schema(settings: Settings) -> strawberry.Schema:
    extensions = [RadiantErrors(), *limits.extensions(settings.graphql_max_depth, settings.graphql_max_cost,
                                                      settings.graphql_max_aliases, settings.graphql_max_tokens)]
    if not settings.graphql_introspection:
        extensions.append(DisableIntrospection())
    return RadiantSchema(query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions)


def router(settings: Settings) -> GraphQLRouter:
    # No GraphiQL page: strawberry's loads its scripts from a CDN, and Radiant serves nothing from one.
    return GraphQLRouter(build_schema(settings), path="/graphql", graphql_ide=None,
                         context_getter=context_getter(ChatStreams()), allow_queries_via_get=False,
                         subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
                         allowed_origins=settings.cors_allowed_origins, include_in_schema=False)
