"""Prometheus metrics shared by every service. Labels hold method names and codes only, never tenant data."""
from __future__ import annotations

from prometheus_client import Counter, Histogram, start_http_server

_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

GRPC_SERVER_HANDLED = Counter("radiant_grpc_server_handled_total", "gRPC calls handled", ["service", "method", "code"])
GRPC_SERVER_LATENCY = Histogram("radiant_grpc_server_handling_seconds", "gRPC server handling time",
                                ["service", "method"], buckets=_BUCKETS)
GRPC_CLIENT_HANDLED = Counter("radiant_grpc_client_handled_total", "gRPC calls made", ["target", "method", "code"])
HTTP_REQUESTS = Counter("radiant_http_requests_total", "HTTP requests", ["route", "method", "status"])
HTTP_LATENCY = Histogram("radiant_http_request_seconds", "HTTP request latency", ["route", "method"], buckets=_BUCKETS)


def serve_metrics(port: int, host: str = "127.0.0.1") -> None:
    if port:
        start_http_server(port, addr=host)
