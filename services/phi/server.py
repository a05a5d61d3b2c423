from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.phi.mappings import MappingStore
from services.phi.sanitizer import Sanitizer
from services.phi.servicer import PhiServicer
from services.phi.settings import Settings
from services.phi.store import PolicyStore
from services.runtime.db import create_engine, migrate, ping
from services.runtime.grpc_server import RunningServer, start_server
from services.runtime.redis_client import create_redis
from services.runtime.tasks import cancel_and_wait

SERVICE_NAME = phi_pb2.DESCRIPTOR.services_by_name["PhiService"].full_name


async def build(settings: Settings, port: int | None = None) -> RunningServer:
    if settings.db_auto_migrate:
        await asyncio.to_thread(migrate, settings.database_url, Path(__file__).parent / "migrations",
                                "alembic_version_phi")
    engine = create_engine(settings.database_url)
    redis = create_redis(settings.redis_url)
    mappings = MappingStore(redis, settings.encryption_key())
    policies = PolicyStore(engine, settings.phi_policy_cache_seconds, redis)
    follow = asyncio.create_task(policies.follower.run(redis))
    servicer = PhiServicer(Sanitizer(), policies, mappings, settings.phi_max_chars)
    return await start_server(
        "phi", settings, lambda server: phi_pb2_grpc.add_PhiServiceServicer_to_server(servicer, server),
        [SERVICE_NAME], checks={"database": lambda: ping(engine), "redis": redis.ping},
        on_stop=[engine.dispose, redis.aclose, mappings.drain, functools.partial(cancel_and_wait, follow)],
        port=port)
