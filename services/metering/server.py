"""Metering process assembly: migrate, serve."""
from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from radiant.metering.v1 import metering_pb2, metering_pb2_grpc

from services.metering.servicer import MeteringServicer
from services.metering.settings import Settings
from services.metering.store import MeteringStore
from services.runtime.db import create_engine, migrate, ping
from services.runtime.grpc_server import RunningServer, start_server

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SERVICE_NAME = metering_pb2.DESCRIPTOR.services_by_name["MeteringService"].full_name


async def build(settings: Settings, port: int | None = None) -> RunningServer:
    url = settings.database_url
    if settings.db_auto_migrate:
        await asyncio.to_thread(migrate, url, MIGRATIONS, "alembic_version_metering")
    engine = create_engine(url)
    servicer = MeteringServicer(MeteringStore(engine))
    return await start_server(
        "metering", settings, functools.partial(metering_pb2_grpc.add_MeteringServiceServicer_to_server, servicer),
        [SERVICE_NAME], checks={"database": functools.partial(ping, engine)}, on_stop=[engine.dispose], port=port)
