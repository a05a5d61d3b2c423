"""Registry process assembly: migrate, seed the catalogue, serve."""
from __future__ import annotations

import asyncio
import functools
import logging
from pathlib import Path

from radiant.registry.v1 import registry_pb2, registry_pb2_grpc

from services.registry import catalogue
from services.registry.broadcaster import Broadcaster
from services.registry.servicer import RegistryServicer
from services.registry.settings import Settings
from services.registry.store import RegistryStore
from services.runtime.db import create_engine, migrate, ping
from services.runtime.grpc_server import RunningServer, start_server

log = logging.getLogger("radiant.registry")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SERVICE_NAME = registry_pb2.DESCRIPTOR.services_by_name["RegistryService"].full_name


async def build(settings: Settings, port: int | None = None) -> RunningServer:
    url = settings.database_url
    if settings.db_auto_migrate:
        await asyncio.to_thread(migrate, url, MIGRATIONS, "alembic_version_registry")
    engine = create_engine(url)
    store = RegistryStore(engine)
    if settings.seed_catalogue:
        inserted = await store.insert_absent(catalogue.providers(settings), catalogue.models(settings))
        moved = await store.follow_seeded_url(catalogue.provider_id(catalogue.DEMO_PROVIDER),
                                              settings.demo_provider_url, catalogue.SEEDED_URL_KEY)
        log.info("catalogue checked", extra={"inserted": inserted, "demo_url_updated": moved})
    broadcaster = Broadcaster(settings.watch_queue_size)
    servicer = RegistryServicer(store, broadcaster)

    async def close_watchers() -> None:
        broadcaster.close()

    return await start_server(
        "registry", settings, functools.partial(registry_pb2_grpc.add_RegistryServiceServicer_to_server, servicer),
        [SERVICE_NAME], checks={"database": functools.partial(ping, engine)},
        on_stop=[engine.dispose, close_watchers], port=port)
