"""Registry process assembly: migrate, seed the catalogue, apply the declared catalogue file, serve; Watch events
cross replicas over Redis."""
from __future__ import annotations

import asyncio
import functools
import logging
from pathlib import Path

from radiant.registry.v1 import registry_pb2, registry_pb2_grpc

from services.registry import catalogue, catalogue_file
from services.registry.broadcaster import Broadcaster
from services.registry.convert import model_to_pb, provider_to_pb
from services.registry.fanout import RedisFanout
from services.registry.servicer import RegistryServicer
from services.registry.settings import Settings
from services.registry.store import RegistryStore
from services.runtime.config import ConfigError
from services.runtime.db import create_engine, migrate, ping
from services.runtime.errors import NotFoundError
from services.runtime.grpc_server import RunningServer, start_server
from services.runtime.redis_client import create_redis
from services.runtime.tasks import cancel_and_wait

log = logging.getLogger("radiant.registry")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SERVICE_NAME = registry_pb2.DESCRIPTOR.services_by_name["RegistryService"].full_name


async def _seed(settings: Settings, store: RegistryStore) -> None:
    inserted = await store.insert_absent(catalogue.providers(settings), catalogue.models(settings))
    moved = await store.follow_seeded_url(catalogue.provider_id(catalogue.DEMO_PROVIDER),
                                          settings.demo_provider_url, catalogue.SEEDED_URL_KEY)
    if settings.local_model_url:
        moved |= await store.follow_seeded_url(catalogue.provider_id(catalogue.LOCAL_PROVIDER),
                                               settings.local_model_url, catalogue.SEEDED_URL_KEY)
    log.info("catalogue checked", extra={"inserted": inserted, "demo_url_updated": moved})


async def _apply_file(settings: Settings, store: RegistryStore) -> tuple[list[str], list[str]]:
    declared = catalogue_file.load(settings.catalogue_file)
    try:
        written = await store.apply_declared([catalogue_file.provider_row(p) for p in declared.providers],
                                             [catalogue_file.model_row(m) for m in declared.models])
    except NotFoundError as exc:
        raise ConfigError(f"RADIANT_CATALOGUE_FILE: {settings.catalogue_file}: {exc.message}") from None
    chains = {name for m in declared.models for name in m.fallback_models}
    missing = sorted(chains - await store.existing_model_names(sorted(chains)))
    if missing:
        raise ConfigError(f"RADIANT_CATALOGUE_FILE: {settings.catalogue_file}: fallback_models name unknown "
                          f"model(s) {', '.join(missing)}")
    log.info("catalogue file applied", extra={"file": settings.catalogue_file, "providers_written": len(written[0]),
                                              "models_written": len(written[1])})
    return written


async def build(settings: Settings, port: int | None = None) -> RunningServer:
    url = settings.database_url
    if settings.db_auto_migrate:
        await asyncio.to_thread(migrate, url, MIGRATIONS, "alembic_version_registry")
    engine = create_engine(url)
    store = RegistryStore(engine)
    if settings.seed_catalogue:
        await _seed(settings, store)
    written: tuple[list[str], list[str]] = ([], [])
    if settings.catalogue_file:
        written = await _apply_file(settings, store)
    broadcaster = Broadcaster(settings.watch_queue_size)
    servicer = RegistryServicer(store, broadcaster)
    checks = {"database": functools.partial(ping, engine)}
    on_stop = [engine.dispose]
    if settings.watch_fanout:
        redis = create_redis(settings.redis_url)
        fanout = RedisFanout(redis, broadcaster, settings.watch_channel)
        tasks = [asyncio.create_task(fanout.send()), asyncio.create_task(fanout.receive())]
        # No Redis health check: the registry serves reads and writes without it (only cross-replica Watch waits).
        on_stop += [redis.aclose, functools.partial(cancel_and_wait, *tasks)]
    # Declared changes reach running watchers (operators, other replicas) like any other write.
    for provider_id in written[0]:
        broadcaster.publish(provider=provider_to_pb(await store.get_provider(provider_id)))
    for model_id in written[1]:
        broadcaster.publish(model=model_to_pb(await store.get_model(model_id)))

    async def close_watchers() -> None:
        broadcaster.close()

    return await start_server(
        "registry", settings, functools.partial(registry_pb2_grpc.add_RegistryServiceServicer_to_server, servicer),
        [SERVICE_NAME], checks=checks, on_stop=[*on_stop, close_watchers], port=port)
