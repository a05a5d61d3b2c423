"""The router's upstream channels belong to its Upstreams: closing one router's leaves another's (same event loop,
same peers) working."""
import grpc

from services.router.settings import Settings
from services.router.pipeline.upstreams import Upstreams
from services.runtime.config import load_settings


async def test_each_upstreams_owns_and_closes_its_channels():
    settings = load_settings(Settings, env="test", phi_addr="127.0.0.1:1", auth_addr="127.0.0.1:2",
                             registry_addr="127.0.0.1:3", metering_addr="127.0.0.1:4")
    first, second = Upstreams.connect(settings), Upstreams.connect(settings)
    assert len(first.channels) == 4 and not set(first.channels) & set(second.channels)
    await first.close()
    assert all(ch.get_state() == grpc.ChannelConnectivity.SHUTDOWN for ch in first.channels)
    assert all(ch.get_state() != grpc.ChannelConnectivity.SHUTDOWN for ch in second.channels)
    await second.close()
