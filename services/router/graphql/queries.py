"""The seed's Query type, on the REST edge's read functions and checks."""
from __future__ import annotations

from datetime import datetime, timezone

import strawberry

from services.auth import permissions
from services.registry import enums as registry_enums
from services.router.edge import model_views
from services.router.edge.v2 import usage_data, usage_period
from services.router.graphql import enums, paging
from services.router.graphql.enums import ModelSpecialty, ModelStatus, ProviderStatus, ProviderType
from services.router.graphql.scalars import AWSDateTime
from services.router.graphql.types import (Model, ModelConnection, Provider, ProviderConnection, Session,
                                           SessionConnection, UsageReport)
from services.router.pipeline.sessions import session_id as canonical_session_id
from services.runtime.errors import ForbiddenError, NotFoundError


@strawberry.type
class Query:
    @strawberry.field(description="Models the caller's tenant may use (every status), newest catalogue order")
    async def models(self, info: strawberry.Info, specialty: ModelSpecialty | None = None,
                     provider: str | None = None, status: ModelStatus | None = None, limit: int | None = None,
                     next_token: str | None = None) -> ModelConnection:
        ctx = info.context
        principal = await ctx.principal("models.read")
        size, offset = paging.bounds(limit, next_token)
        filters = {"provider_id": provider or "", "status": registry_enums.STATUS.to_pb(enums.to_view(status)),
                   "specialty": enums.registry_specialty(specialty) if specialty else ""}
        items, token, total = paging.page(await model_views.visible_models(ctx.pipeline, principal, **filters),
                                          size, offset)
        return ModelConnection(items=[Model.from_view(model_views.seed_model(m)) for m in items], next_token=token,
                               total_count=total)

    @strawberry.field
    async def model(self, info: strawberry.Info, id: strawberry.ID) -> Model | None:
        ctx = info.context
        principal = await ctx.principal("models.read")
        try:
            return Model.from_view(model_views.seed_model(await model_views.visible_model(ctx.pipeline, principal,
                                                                                          id)))
        except NotFoundError:
            return None

    @strawberry.field
    async def providers(self, info: strawberry.Info, type: ProviderType | None = None,
                        status: ProviderStatus | None = None, limit: int | None = None,
                        next_token: str | None = None) -> ProviderConnection:
        ctx = info.context
        await ctx.principal("models.read")
        size, offset = paging.bounds(limit, next_token)
        filters = {"type": registry_enums.PROVIDER_TYPE.to_pb(enums.to_registry_type(type)),
                   "status": registry_enums.STATUS.to_pb(enums.to_view(status))}
        found = list((await model_views.all_providers(ctx.pipeline.up, **filters)).values())
        items, token, total = paging.page(found, size, offset)
        return ProviderConnection(items=[Provider.from_view(model_views.seed_provider(p)) for p in items],
                                  next_token=token, total_count=total)

    @strawberry.field
    async def provider(self, info: strawberry.Info, id: strawberry.ID) -> Provider | None:
        return await info.context.provider(id)

    @strawberry.field(description="The caller's own sessions (userId must be the caller's), newest first")
    async def sessions(self, info: strawberry.Info, user_id: strawberry.ID, limit: int | None = None,
                       next_token: str | None = None) -> SessionConnection:
        ctx = info.context
        principal = await ctx.principal("sessions")
        if user_id != principal.user_id:
            raise ForbiddenError("Sessions are readable by their own user only",
                                 details={"userId": ["must be the caller's own user id"]})
        size, offset = paging.bounds(limit, next_token)
        items, total = await ctx.pipeline.sessions.list(principal, size, offset)
        return SessionConnection(items=[Session.from_view(s) for s in items],
                                 next_token=paging.token_after(offset, size, total), total_count=total)

    @strawberry.field
    async def session(self, info: strawberry.Info, id: strawberry.ID) -> Session | None:
        try:
            return Session.from_view(await info.context.session(canonical_session_id(id, "id")))
        except NotFoundError:
            return None

    @strawberry.field(description="What a tenant spent in [startDate, endDate): the caller's own tenant, or any "
                                  "for a super admin")
    async def usage(self, info: strawberry.Info, tenant_id: strawberry.ID, start_date: AWSDateTime,
                    end_date: AWSDateTime) -> UsageReport:
        ctx = info.context
        principal = await ctx.principal("usage.read")
        tenant = permissions.tenant_scope(principal, tenant_id)
        start, end = usage_period(start_date, end_date, datetime.now(timezone.utc), names=("startDate", "endDate"))
        return UsageReport.from_view(await usage_data(ctx.pipeline, tenant, start, end))

