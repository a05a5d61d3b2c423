"""The REST edge (FastAPI)."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.router import (http_errors, openapi, routes_admin, routes_anthropic, routes_bedrock, routes_openai,
                             routes_ops, routes_sessions, routes_v2)
from services.router import routes_context
from services.router.auth_cache import AuthCache
from services.router.catalog import Catalog
from services.router.context.product_catalog import ProductCatalog
from services.router.context.registry import ContextRegistry
from services.router.disconnect import CancelOnDisconnectMiddleware
from services.router.http_middleware import RequestContextMiddleware
from services.router.models import open_database
from services.router.pipeline import Pipeline
from services.router.providers.pool import ProviderPool
from services.router.sessions import SessionStore
from services.router.settings import Settings
from services.router.upstreams import Upstreams
from services.router.usage_publisher import UsagePublisher
from services.runtime.redis_client import create_redis


def build_pipeline(settings: Settings) -> Pipeline:
    """Must run inside the serving event loop (gRPC channels are bound to it)."""
    upstreams = Upstreams.connect(settings)
    redis = create_redis(settings.redis_url)
    pipeline = Pipeline(settings, upstreams, Catalog(upstreams, settings.registry_cache_seconds),
                        ProviderPool(settings.provider_timeout_seconds, settings.provider_connect_timeout_seconds),
                        UsagePublisher(redis, settings.usage_stream, upstreams.metering),
                        AuthCache(settings.edge_auth_cache_seconds), sessions=SessionStore(redis, upstreams),
                        context=ContextRegistry([ProductCatalog(open_database(settings))]))
    pipeline.background.append(asyncio.create_task(pipeline.auth_cache.listen(redis)))
    return pipeline


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if getattr(app.state, "pipeline", None) is None:
            app.state.pipeline = build_pipeline(settings)
        yield
        await app.state.pipeline.close()

    app = FastAPI(title="Radiant", version=routes_ops.VERSION, lifespan=lifespan, docs_url="/docs",
                  redoc_url=None)
    app.state.settings = settings
    app.state.pipeline = None
    app.add_middleware(CancelOnDisconnectMiddleware)  # inner: runs inside the request context
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)
    http_errors.install(app)
    for module in (routes_openai, routes_anthropic, routes_bedrock, routes_v2, routes_sessions, routes_context,
                   routes_admin, routes_ops):
        app.include_router(module.router)
    openapi.install(app)
    return app
