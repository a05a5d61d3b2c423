"""One channel per (event loop, target); closing one app's targets leaves other channels of the loop open."""
import grpc

from services.runtime.grpc_client import channel, close_channels


async def test_closing_some_targets_keeps_the_others():
    a, b = channel("127.0.0.1:1"), channel("127.0.0.1:2")
    assert channel("127.0.0.1:1") is a  # cached
    await close_channels(["127.0.0.1:1"])
    assert b.get_state() != grpc.ChannelConnectivity.SHUTDOWN
    assert a.get_state() == grpc.ChannelConnectivity.SHUTDOWN
    assert channel("127.0.0.1:1") is not a  # a fresh channel replaces the closed one
    await close_channels(["127.0.0.1:1", "127.0.0.1:2"])
    assert b.get_state() == grpc.ChannelConnectivity.SHUTDOWN
