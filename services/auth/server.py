"""Build the auth gRPC server (migrations, engine, servicer, health checks)."""
from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc

from services.auth.authn import Authenticator
from services.auth.identities.drivers import create_driver
from services.auth.invalidations import InvalidationPublisher
from services.auth.servicer import AuthServicer
from services.auth.settings import Settings
from services.auth.store import AuthStore
from services.runtime.db import create_engine, migrate, ping
from services.runtime.grpc_server import RunningServer, start_server
from services.runtime.redis_client import create_redis
from services.runtime.tasks import cancel_and_wait

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version_auth"
SERVICE_NAME = auth_pb2.DESCRIPTOR.services_by_name["AuthService"].full_name


async def build(settings: Settings, port: int | None = None) -> RunningServer:
    url = settings.database_url
    if settings.db_auto_migrate:
        await asyncio.to_thread(migrate, url, MIGRATIONS, VERSION_TABLE)
    engine = create_engine(url)
    store = AuthStore(engine)
    authenticator = Authenticator(store, settings)
    redis = create_redis(settings.redis_url)
    follower = asyncio.create_task(authenticator.follow_invalidations(redis))
    servicer = AuthServicer(store, authenticator, InvalidationPublisher(redis), settings=settings,
                            driver=create_driver(settings))
    return await start_server(
        "auth", settings, lambda server: auth_pb2_grpc.add_AuthServiceServicer_to_server(servicer, server),
        [SERVICE_NAME], checks={"database": functools.partial(ping, engine)},
        on_stop=[engine.dispose, authenticator.close, redis.aclose, functools.partial(cancel_and_wait, follower)],
        port=port)
