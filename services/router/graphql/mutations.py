"""The seed's Mutation type. Sessions are the REST session functions; the catalogue updates are the admin API's
(`catalog.operate`: super admins and operators, who change status and thermal state; other fields need
`catalog.write`), audited the same way."""
from __future__ import annotations

from typing import Any

import strawberry
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from services.router.edge import model_views
from services.router.edge import sessions as session_routes
from services.router.edge.admin import models as admin_models
from services.router.edge.admin import providers as admin_providers
from services.router.edge.errors import validation_error
from services.router.graphql import chat, enums
from services.router.graphql.inputs import (ChatInput, CreateSessionInput, UpdateModelInput, UpdateProviderInput,
                                            UpdateSessionInput)
from services.router.graphql.types import ChatResponse, Model, Provider, Session


def _parse(schema: type[BaseModel], data: dict[str, Any]) -> Any:
    """The REST body's model validates GraphQL input too: one rule for both, named by the seed's field names."""
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        raise validation_error(exc) from None


def _set(**fields) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None and v is not strawberry.UNSET}


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def chat(self, info: strawberry.Info, input: ChatInput) -> ChatResponse:
        return await chat.run(info.context, input)

    @strawberry.mutation
    async def create_session(self, info: strawberry.Info, input: CreateSessionInput) -> Session:
        ctx = info.context
        body = _parse(session_routes.CreateSession, _set(model=input.model, title=input.title,
                                                        metadata=input.metadata))
        return Session.from_view(await session_routes.create(ctx.pipeline, await ctx.principal("sessions"), body))

    @strawberry.mutation
    async def update_session(self, info: strawberry.Info, input: UpdateSessionInput) -> Session:
        ctx = info.context
        # Unlike the other inputs, an explicit null here clears the field (as in PATCH /api/v2/sessions/{id}).
        changes = {k: v for k, v in (("title", input.title), ("metadata", input.metadata))
                   if v is not strawberry.UNSET}
        body = _parse(session_routes.UpdateSession, changes)
        return Session.from_view(await session_routes.update(ctx.pipeline, await ctx.principal("sessions"),
                                                             input.id, body))

    @strawberry.mutation
    async def delete_session(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        ctx = info.context
        await session_routes.delete(ctx.pipeline, await ctx.principal("sessions"), id)
        return True

    @strawberry.mutation
    async def update_model(self, info: strawberry.Info, input: UpdateModelInput) -> Model:
        admin = await info.context.admin("catalog.operate")
        body = _parse(admin_models.SeedModelUpdate, _set(
            status=enums.to_view(input.status), thermal_state=enums.to_view(input.thermal_state),
            display_name=input.display_name, description=input.description))
        model = await admin_models.update(admin, input.id, admin_models.seed_update_request(body))
        return Model.from_view(model_views.seed_model(model))

    @strawberry.mutation
    async def update_provider(self, info: strawberry.Info, input: UpdateProviderInput) -> Provider:
        admin = await info.context.admin("catalog.operate")
        body = _parse(admin_providers.SeedProviderUpdate, _set(status=enums.to_view(input.status),
                                                               hipaa_compliant=input.hipaa_compliant))
        provider = await admin_providers.update(admin, input.id, admin_providers.seed_update_request(body))
        return Provider.from_view(model_views.seed_provider(provider))
