from __future__ import annotations

import uuid

import grpc
import pytest
from radiant.registry.v1 import registry_pb2_grpc

from services.registry.server import build
from services.registry.settings import Settings
from tests.grpc_helpers import internal_channel


def registry_settings(db_url: str, **overrides) -> Settings:
    # A Watch channel of its own: registries of other runs on the shared Redis publish on the default channel, and
    # their events must not reach this test's Watch streams.
    overrides.setdefault("watch_channel", f"radiant:registry:test:{uuid.uuid4().hex}")
    return Settings(database_url=db_url, grpc_port=0, health_interval_seconds=60, **overrides)


@pytest.fixture
async def registry(db_url):
    """A running registry server on the session database and a stub connected to it."""
    running = await build(registry_settings(db_url), port=0)
    channel = internal_channel(running.address)
    try:
        yield registry_pb2_grpc.RegistryServiceStub(channel)
    finally:
        await channel.close()
        await running.stop(0)
