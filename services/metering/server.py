"""Metering process assembly: migrate, serve."""
from __future__ import annotations

import asyncio
import functools
import socket
from pathlib import Path

from radiant.metering.v1 import metering_pb2, metering_pb2_grpc

from services.metering.admission import Admission
from services.metering.servicer import MeteringServicer
from services.metering.settings import Settings
from services.metering.store import MeteringStore
from services.metering.usage_stream import UsageStreamConsumer
from services.runtime.redis_client import create_redis
from services.runtime.db import create_engine, migrate, ping
from services.runtime.grpc_server import RunningServer, start_server
from services.runtime.tasks import cancel_and_wait

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SERVICE_NAME = metering_pb2.DESCRIPTOR.services_by_name["MeteringService"].full_name


async def build(settings: Settings, port: int | None = None) -> RunningServer:
    url = settings.database_url
    if settings.db_auto_migrate:
        await asyncio.to_thread(migrate, url, MIGRATIONS, "alembic_version_metering")
    engine = create_engine(url)
    store = MeteringStore(engine)
    redis = create_redis(settings.redis_url)
    admission = Admission(redis, settings.admission_reservation_seconds)
    consumer = UsageStreamConsumer(redis, store, settings.usage_stream,
                                   settings.usage_consumer_name or socket.gethostname(), admission=admission,
                                   batch=settings.usage_batch_size, claim_idle_ms=settings.usage_claim_idle_ms)
    task = asyncio.create_task(consumer.run())

    servicer = MeteringServicer(store, admission)
    return await start_server(
        "metering", settings, functools.partial(metering_pb2_grpc.add_MeteringServiceServicer_to_server, servicer),
        [SERVICE_NAME], checks={"database": functools.partial(ping, engine), "redis": redis.ping},
        on_stop=[engine.dispose, redis.aclose, functools.partial(cancel_and_wait, task)], port=port)
