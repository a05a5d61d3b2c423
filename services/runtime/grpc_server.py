"""gRPC server bootstrap shared by every service: interceptors, the standard health service driven by dependency
checks, reflection, metrics endpoint, graceful shutdown."""
from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass, field
from typing import Awaitable, Callable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.runtime.config import BaseServiceSettings, ConfigError
from services.runtime.gc_tuning import settle_heap
from services.runtime.grpc_interceptors import ServerInterceptor
from services.runtime.logs import configure_logging
from services.runtime.metrics import configure_metrics, serve_metrics
from services.runtime.service_guard import CALLERS, Guard
from services.runtime.tasks import cancel_and_wait
from services.runtime.tracing import configure_tracing, shutdown_tracing

log = logging.getLogger("radiant.server")

HealthCheck = Callable[[], Awaitable[object]]

_SERVER_OPTIONS = [
    # Without this a second process could bind the same port silently (SO_REUSEPORT is on by default).
    ("grpc.so_reuseport", 0),
    ("grpc.max_receive_message_length", 32 * 1024 * 1024),
    ("grpc.max_send_message_length", 32 * 1024 * 1024),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
]


@dataclass
class RunningServer:
    name: str
    server: grpc.aio.Server
    port: int
    health: health.aio.HealthServicer
    service_names: list[str]
    checks: dict[str, HealthCheck]
    on_stop: list[Callable[[], Awaitable[object]]] = field(default_factory=list)
    _health_task: asyncio.Task | None = None
    failing: dict[str, str] = field(default_factory=dict)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def check_once(self) -> None:
        failing: dict[str, str] = {}
        for check_name, check in self.checks.items():
            try:
                await asyncio.wait_for(check(), timeout=2.0)
            except Exception as exc:  # noqa: BLE001 - any failure means not serving
                failing[check_name] = type(exc).__name__
        if failing != self.failing:
            if failing:
                log.warning("dependency checks failing", extra={"failing": sorted(failing)})
            else:
                log.info("dependency checks passing")
        self.failing = failing
        status = health_pb2.HealthCheckResponse.NOT_SERVING if failing else health_pb2.HealthCheckResponse.SERVING
        for svc in ["", *self.service_names]:
            await self.health.set(svc, status)

    async def _health_loop(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self.check_once()

    async def stop(self, grace: float = 5.0) -> None:
        if self._health_task:
            await cancel_and_wait(self._health_task)
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)
        for fn in reversed(self.on_stop):
            await fn()


async def start_server(name: str, settings: BaseServiceSettings, register: Callable[[grpc.aio.Server], None],
                       service_names: list[str], checks: dict[str, HealthCheck] | None = None,
                       on_stop: list[Callable[[], Awaitable[object]]] | None = None,
                       port: int | None = None) -> RunningServer:
    guard = Guard.from_env(name) if settings.internal_auth and name in CALLERS else None
    if guard is None and name in CALLERS:
        log.warning("internal authentication is off: any caller that reaches this port is trusted",
                    extra={"service": name})
    server = grpc.aio.server(interceptors=[ServerInterceptor(name, guard)], options=_SERVER_OPTIONS)
    register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection([*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    want = settings.grpc_port if port is None else port
    try:
        bound = server.add_insecure_port(f"{settings.grpc_host}:{want}")
    except RuntimeError:
        bound = 0
    if not bound:
        raise ConfigError(f"{name}: cannot listen on {settings.grpc_host}:{want} (port already in use?); "
                          f"set RADIANT_GRPC_PORT to a free port")
    await server.start()
    running = RunningServer(name, server, bound, health_servicer, service_names, checks or {}, list(on_stop or []))
    await running.check_once()
    running._health_task = asyncio.create_task(running._health_loop(settings.health_interval_seconds))
    return running


def configure_observability(name: str, settings: BaseServiceSettings) -> None:
    """Tracing exporter and metric labels from the settings (once per process, before serving)."""
    configure_tracing(name, settings.otel_exporter, settings.otel_endpoint, settings.otel_protocol,
                      settings.otel_sample_ratio)
    configure_metrics(settings.metrics_tenant_label)


def run_service(name: str, settings: BaseServiceSettings,
                build: Callable[[BaseServiceSettings], Awaitable[RunningServer]]) -> None:
    """Process entry point: logging, tracing, metrics, then serve until SIGTERM/SIGINT and shut down gracefully."""
    configure_logging(name, settings.log_level)
    configure_observability(name, settings)

    async def main() -> None:
        serve_metrics(settings.metrics_port, settings.grpc_host)
        running = await build(settings)
        settle_heap()
        log.info("listening", extra={"address": f"{settings.grpc_host}:{running.port}"})
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        log.info("shutting down")
        await running.stop(settings.shutdown_grace_seconds)
        shutdown_tracing()

    try:
        import uvloop
        uvloop.run(main())
    except ConfigError as exc:
        raise SystemExit(str(exc)) from None
