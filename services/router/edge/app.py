"""The REST edge (FastAPI)."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.metering.admission import Admission
from services.router.context.product_catalog import ProductCatalog
from services.router.context.registry import ContextRegistry
from services.router.edge import anthropic, bedrock, errors, openai, openapi, ops, request_log_routes, sessions, v2
from services.router.edge.admin import ROUTERS as ADMIN_ROUTERS
from services.router.edge.middleware import EdgeMiddleware
from services.router.edge.tracing import TracingMiddleware
from services.router.console import app as console
from services.router.graphql import schema as graphql_schema
from services.router.models import open_database
from services.router.pipeline.auth_cache import AuthCache
from services.router.pipeline.catalog import Catalog
from services.router.pipeline.core import Pipeline
from services.router.pipeline.phi_library import phi_library
from services.router.pipeline.sessions import SessionStore
from services.router.pipeline.upstreams import Upstreams
from services.router.pipeline.request_log_publisher import RequestLogPublisher
from services.router.pipeline.usage_publisher import UsagePublisher
from services.router.providers.pool import ProviderPool
from services.router.settings import Settings
from services.runtime.redis_client import create_redis
from services.runtime.tracing import tracing_enabled


def build_pipeline(settings: Settings) -> Pipeline:
    """Must run inside the serving event loop (gRPC channels are bound to it)."""
    upstreams = Upstreams.connect(settings)
    redis = create_redis(settings.redis_url)
    phi = phi_library(settings, upstreams, redis) if settings.phi_mode == "library" else None
    pipeline = Pipeline(settings, upstreams, Catalog(upstreams, settings.registry_cache_seconds),
                        ProviderPool(settings.provider_timeout_seconds, settings.provider_connect_timeout_seconds),
                        UsagePublisher(redis, settings.usage_stream, upstreams.metering,
                                       Admission(redis, settings.admission_reservation_seconds),
                                       settings.record_linger_seconds),
                        AuthCache(settings.edge_auth_cache_seconds),
                        sessions=SessionStore(redis, upstreams, phi.mappings if phi else None),
                        context=ContextRegistry([ProductCatalog(open_database(settings))]),
                        request_log=RequestLogPublisher(redis, settings.request_log_stream, upstreams.metering,
                                                        linger_seconds=settings.record_linger_seconds)
                        if settings.request_log_enabled else None, phi=phi)
    pipeline.background.append(asyncio.create_task(pipeline.auth_cache.listen(redis)))
    if phi is not None:
        pipeline.background.append(asyncio.create_task(phi.follow(redis)))
    return pipeline


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if getattr(app.state, "pipeline", None) is None:
            app.state.pipeline = build_pipeline(settings)
        yield
        await app.state.pipeline.close()

    app = FastAPI(title="Radiant", version=ops.VERSION, lifespan=lifespan, docs_url="/docs",
                  redoc_url=None)
    app.state.settings = settings
    app.state.pipeline = None
    # Request log, security (and CORS, console) headers, request context and body, cancel on disconnect: one layer.
    app.add_middleware(EdgeMiddleware, max_body_bytes=settings.max_body_bytes,
                       cors_allowed_origins=settings.cors_allowed_origins)
    if tracing_enabled():
        app.add_middleware(TracingMiddleware)  # outermost: the request log and every hop run inside its span
    errors.install(app)
    # Routes are matched in order, one regex each: the inference surfaces first (only they serve /v1/* and /model/*,
    # so no other route could have matched their paths), then the admin routers: their `/api/v2/models/{id}`
    # PUT/PATCH sit beside v2's GET of the same path.
    for router in (*(m.router for m in (openai, anthropic, bedrock)), *ADMIN_ROUTERS,
                   *(m.router for m in (v2, request_log_routes, sessions, ops))):
        app.include_router(router)
    app.include_router(graphql_schema.router(settings))
    console.install(app)
    openapi.install(app)
    return app
