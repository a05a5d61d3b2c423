from __future__ import annotations

import uuid

import grpc
import pytest
from radiant.metering.v1 import metering_pb2_grpc

from services.metering.server import build
from services.metering.settings import Settings
from tests.grpc_helpers import internal_channel


@pytest.fixture
async def metering(db_url):
    """A running metering server on the session database and a stub connected to it."""
    running = await build(Settings(database_url=db_url, grpc_port=0, health_interval_seconds=60,
                                   usage_stream=f"radiant:usage:test:{uuid.uuid4().hex}"), port=0)
    channel = internal_channel(running.address)
    try:
        yield metering_pb2_grpc.MeteringServiceStub(channel)
    finally:
        await channel.close()
        await running.stop(0)
