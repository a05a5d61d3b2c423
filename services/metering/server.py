"""Metering process assembly: migrate, serve."""
from __future__ import annotations

import asyncio
import functools
import logging
import socket
from pathlib import Path

from radiant.metering.v1 import demand_pb2, demand_pb2_grpc, metering_pb2, metering_pb2_grpc

from services.metering.admission import Admission
from services.metering.demand import DemandReader
from services.metering.demand_servicer import DemandServicer
from services.metering.request_log.archive import Archive, ArchiveTarget
from services.metering.request_log.consumer import RequestLogConsumer
from services.metering.request_log.retention import Retention
from services.metering.request_log.scheduler import run_periodically
from services.metering.request_log.store import RequestLogStore
from services.metering.servicer import MeteringServicer
from services.metering.settings import Settings
from services.metering.store import MeteringStore
from services.metering.usage_stream import UsageStreamConsumer
from services.runtime.redis_client import create_redis
from services.runtime.db import create_engine, migrate, ping
from services.runtime.grpc_server import RunningServer, start_server
from services.runtime.tasks import cancel_and_wait

log = logging.getLogger("radiant.metering")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SERVICE_NAME = metering_pb2.DESCRIPTOR.services_by_name["MeteringService"].full_name
DEMAND_SERVICE_NAME = demand_pb2.DESCRIPTOR.services_by_name["DemandService"].full_name


def _register(servicer: MeteringServicer, demand: DemandServicer, server) -> None:
    metering_pb2_grpc.add_MeteringServiceServicer_to_server(servicer, server)
    demand_pb2_grpc.add_DemandServiceServicer_to_server(demand, server)


async def build(settings: Settings, port: int | None = None) -> RunningServer:
    url = settings.database_url
    if settings.db_auto_migrate:
        await asyncio.to_thread(migrate, url, MIGRATIONS, "alembic_version_metering")
    engine = create_engine(url)
    store = MeteringStore(engine)
    redis = create_redis(settings.redis_url)
    name = settings.usage_consumer_name or socket.gethostname()
    options = dict(batch=settings.usage_batch_size, claim_idle_ms=settings.usage_claim_idle_ms,
                   linger_seconds=settings.stream_linger_seconds)
    admission = Admission(redis, settings.admission_reservation_seconds)
    request_logs = RequestLogStore(engine)
    tasks = [asyncio.create_task(UsageStreamConsumer(redis, store, settings.usage_stream, name, admission=admission,
                                                     **options).run()),
             asyncio.create_task(RequestLogConsumer(redis, request_logs, settings.request_log_stream, name,
                                                    settings.request_log_default_retention_days, **options).run())]
    retention = Retention(engine, request_logs.partitions, archive(settings))
    if settings.request_log_retention_interval_seconds > 0:
        tasks.append(asyncio.create_task(run_periodically(retention, settings.request_log_retention_interval_seconds)))

    servicer = MeteringServicer(store, admission, request_logs, settings.request_log_default_retention_days)
    return await start_server(
        "metering", settings, functools.partial(_register, servicer, DemandServicer(DemandReader(redis))),
        [SERVICE_NAME, DEMAND_SERVICE_NAME], checks={"database": functools.partial(ping, engine), "redis": redis.ping},
        on_stop=[engine.dispose, redis.aclose, functools.partial(cancel_and_wait, *tasks)], port=port)


def archive(settings: Settings) -> Archive | None:
    if not settings.request_log_archive_bucket:
        log.warning("RADIANT_REQUEST_LOG_ARCHIVE_BUCKET is not set: expired request-log records are dropped without "
                    "being archived")
        return None
    return Archive(ArchiveTarget(settings.request_log_archive_bucket, settings.request_log_archive_prefix,
                                 settings.request_log_archive_kms_key_id, settings.s3_endpoint_url,
                                 settings.aws_region))
