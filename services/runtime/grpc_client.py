"""One long-lived gRPC channel per target per process, with the standard interceptors."""
from __future__ import annotations

import asyncio
from typing import Awaitable, Iterable, TypeVar

import grpc

from services.runtime.errors import from_grpc_error
from services.runtime.grpc_interceptors import client_interceptors

_CHANNEL_OPTIONS = [
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.max_receive_message_length", 32 * 1024 * 1024),
    ("grpc.max_send_message_length", 32 * 1024 * 1024),
    ("grpc.enable_retries", 0),
    # Peers are headless Services (dns:///...): spread calls over every ready pod instead of pinning one.
    ("grpc.lb_policy_name", "round_robin"),
]

_channels: dict[tuple[int, str], grpc.aio.Channel] = {}

T = TypeVar("T")


def channel(target: str, default_timeout: float = 2.0) -> grpc.aio.Channel:
    """Channels are bound to an event loop, so they are cached per (loop, target)."""
    key = (id(asyncio.get_running_loop()), target)
    ch = _channels.get(key)
    if ch is None:
        ch = grpc.aio.insecure_channel(target, options=_CHANNEL_OPTIONS,
                                       interceptors=client_interceptors(target, default_timeout))
        _channels[key] = ch
    return ch


async def close_channels(targets: Iterable[str] | None = None) -> None:
    """Close this event loop's channels (only those to ``targets`` when given, so one app shutting down does not cut
    another app's channels in the same loop)."""
    loop_id = id(asyncio.get_running_loop())
    wanted = None if targets is None else set(targets)
    for key in [k for k in _channels if k[0] == loop_id and (wanted is None or k[1] in wanted)]:
        await _channels.pop(key).close()


async def call(awaitable: Awaitable[T], service: str) -> T:
    """Await a stub call and raise RadiantError (taxonomy) instead of AioRpcError."""
    try:
        return await awaitable
    except grpc.aio.AioRpcError as exc:
        raise from_grpc_error(exc, service) from None
