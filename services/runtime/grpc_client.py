"""gRPC channels with the standard options and interceptors, and calls that raise the error taxonomy."""
from __future__ import annotations

from typing import Awaitable, TypeVar

import grpc

from services.runtime.errors import from_grpc_error
from services.runtime.grpc_interceptors import client_interceptors
from services.runtime.service_auth import Minter

_CHANNEL_OPTIONS = [
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.max_receive_message_length", 32 * 1024 * 1024),
    ("grpc.max_send_message_length", 32 * 1024 * 1024),
    ("grpc.enable_retries", 0),
    # Peers are headless Services (dns:///...): spread calls over every ready pod instead of pinning one.
    ("grpc.lb_policy_name", "round_robin"),
    # Reconnect promptly after a peer comes back: gRPC's defaults grow the backoff to 120 s and give a connection
    # attempt 20 s, so a router kept failing for seconds after a restarted (or resumed) service was ready. Capped at
    # half a second, with a one-second attempt, a peer that is back is used again within a second.
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 500),
    ("grpc.min_reconnect_backoff_ms", 1000),
    ("grpc.dns_min_time_between_resolutions_ms", 1000),
]

T = TypeVar("T")


def channel(target: str, default_timeout: float = 2.0, minter: Minter | None = None,
            principal_token: str | None = None) -> grpc.aio.Channel:
    """A channel with the standard options and interceptors, bound to the running event loop. Build one per target
    per process, keep it for the process's life, and close it with its owner (e.g. the router's Upstreams): a cache
    shared by owners would hand a channel still backing off from a stopped peer to the next owner of that address.
    With a minter every call carries this process's service token (and the principal token of the request it is
    made for, or `principal_token` for a channel that always acts for one principal)."""
    return grpc.aio.insecure_channel(target, options=_CHANNEL_OPTIONS,
                                     interceptors=client_interceptors(target, default_timeout, minter,
                                                                      principal_token))


async def call(awaitable: Awaitable[T], service: str) -> T:
    """Await a stub call and raise RadiantError (taxonomy) instead of AioRpcError."""
    try:
        return await awaitable
    except grpc.aio.AioRpcError as exc:
        raise from_grpc_error(exc, service) from None
