"""Runs the REST edge (uvicorn) and the internal gRPC RouterService in one process and event loop."""
from __future__ import annotations

import logging
import socket

import uvicorn

from radiant.router.v1 import router_pb2, router_pb2_grpc
from services.router.grpc_api import RouterServicer
from services.router.edge.app import build_pipeline, create_app
from services.router.settings import Settings
from services.runtime.config import ConfigError
from services.runtime.gc_tuning import settle_heap
from services.runtime.grpc_server import start_server

log = logging.getLogger("radiant.router")
SERVICE_NAME = router_pb2.DESCRIPTOR.services_by_name["RouterService"].full_name


def bind_http(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise ConfigError(f"router: cannot listen on {host}:{port} (port already in use?); "
                          f"set RADIANT_HTTP_PORT to a free port") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


async def serve(settings: Settings) -> None:
    if bool(settings.http_tls_cert_file) != bool(settings.http_tls_key_file):
        raise ConfigError("router: set both RADIANT_HTTP_TLS_CERT_FILE and RADIANT_HTTP_TLS_KEY_FILE, or neither")
    tls = {"ssl_certfile": settings.http_tls_cert_file, "ssl_keyfile": settings.http_tls_key_file} \
        if settings.http_tls_cert_file else {}
    sock = bind_http(settings.http_host, settings.http_port)
    app = create_app(settings)
    app.state.pipeline = pipeline = build_pipeline(settings)
    grpc_server = await start_server(
        "router", settings,
        lambda server: router_pb2_grpc.add_RouterServiceServicer_to_server(RouterServicer(pipeline), server),
        [SERVICE_NAME])
    config = uvicorn.Config(app, loop="none", http="httptools", log_config=None, access_log=False,
                            lifespan="on", timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
                            limit_concurrency=10_000, backlog=2048, **tls)
    settle_heap()
    scheme = "https" if tls else "http"
    log.info("listening", extra={"http": f"{scheme}://{settings.http_host}:{sock.getsockname()[1]}",
                                 "grpc": f"{settings.grpc_host}:{grpc_server.port}"})
    try:
        await uvicorn.Server(config).serve(sockets=[sock])
    finally:
        await grpc_server.stop(settings.shutdown_grace_seconds)
