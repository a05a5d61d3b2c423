"""Shared runtime: settings validation, the error taxonomy in every shape, JSON logs, request-id propagation."""
import asyncio
import io
import json
import logging

import grpc
import pytest
from pydantic import SecretStr

from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.phi.server import build as build_phi
from services.phi.settings import Settings as PhiSettings
from services.runtime import errors
from services.runtime.config import BaseServiceSettings, ConfigError, load_settings
from services.runtime.context import request_id_var, tenant_id_var
from services.runtime.grpc_client import call, channel
from services.runtime.logs import JsonFormatter
from services.runtime.paging import next_token, page_bounds
from tests.grpc_helpers import internal_channel


class _Secretive(BaseServiceSettings):
    token: SecretStr


def test_bad_settings_name_the_variable(monkeypatch):
    monkeypatch.setenv("RADIANT_GRPC_PORT", "not-a-port")
    monkeypatch.setenv("RADIANT_LOG_LEVEL", "chatty")
    with pytest.raises(ConfigError) as exc:
        load_settings(BaseServiceSettings)
    text = str(exc.value)
    assert "RADIANT_GRPC_PORT" in text and "'not-a-port'" in text and "RADIANT_LOG_LEVEL" in text


def test_secret_values_are_not_echoed(monkeypatch):
    monkeypatch.setenv("RADIANT_PHI_ENCRYPTION_KEY", "c2hvcnQ=")  # valid base64, wrong length
    with pytest.raises(ConfigError) as exc:
        load_settings(PhiSettings)
    assert "RADIANT_PHI_ENCRYPTION_KEY" in str(exc.value) and "c2hvcnQ=" not in str(exc.value)
    monkeypatch.setenv("RADIANT_ENV", "prod")
    monkeypatch.delenv("RADIANT_PHI_ENCRYPTION_KEY")
    with pytest.raises(ConfigError) as exc:
        load_settings(PhiSettings)
    assert "RADIANT_PHI_ENCRYPTION_KEY is required" in str(exc.value)


@pytest.mark.parametrize("cls,http,status,otype", [
    (errors.ValidationError, 400, grpc.StatusCode.INVALID_ARGUMENT, "invalid_request_error"),
    (errors.UnauthorizedError, 401, grpc.StatusCode.UNAUTHENTICATED, "authentication_error"),
    (errors.ForbiddenError, 403, grpc.StatusCode.PERMISSION_DENIED, "permission_error"),
    (errors.NotFoundError, 404, grpc.StatusCode.NOT_FOUND, "not_found_error"),
    (errors.ConflictError, 409, grpc.StatusCode.ALREADY_EXISTS, "conflict_error"),
    (errors.UnprocessableError, 422, grpc.StatusCode.FAILED_PRECONDITION, "invalid_request_error"),
    (errors.RateLimitError, 429, grpc.StatusCode.RESOURCE_EXHAUSTED, "rate_limit_error"),
    (errors.InternalError, 500, grpc.StatusCode.INTERNAL, "api_error"),
    (errors.ProviderError, 502, grpc.StatusCode.UNKNOWN, "api_error"),
    (errors.ServiceUnavailableError, 503, grpc.StatusCode.UNAVAILABLE, "api_error"),
])
def test_taxonomy_shapes(cls, http, status, otype):
    err = cls("went wrong", details={"field": ["is bad"]}, retry_after=7 if cls is errors.RateLimitError else None)
    assert (err.http_status, err.grpc_status) == (http, status)
    assert err.to_openai() == {"error": {"message": "went wrong", "type": otype, "param": "field",
                                         "code": cls.code.lower(), "details": {"field": ["is bad"]}}}
    env = err.to_envelope("rid-1")
    assert env == {"success": False, "error": {"code": cls.code, "message": "went wrong",
                                               "details": {"field": ["is bad"]}}, "meta": {"requestId": "rid-1"}}
    info = err.to_error_info()
    assert info.code == cls.code and list(info.details["field"].messages) == ["is bad"]
    if cls is errors.RateLimitError:
        assert err.headers["Retry-After"] == "7"


def test_json_logs_carry_ids_and_hide_exception_messages():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("test"))
    logger = logging.getLogger("radiant.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    request_id_var.set("req-123")
    tenant_id_var.set("tenant-9")
    try:
        raise ValueError("Patient John Smith SSN 123-45-6789")
    except ValueError as exc:
        logger.error("failed", exc_info=exc, extra={"count": 3})
    line = json.loads(stream.getvalue())
    assert line["request_id"] == "req-123" and line["tenant_id"] == "tenant-9" and line["count"] == 3
    assert line["error_type"] == "ValueError" and "John Smith" not in stream.getvalue()
    request_id_var.set(None)
    tenant_id_var.set(None)


def test_page_tokens():
    assert page_bounds(0, "") == (50, 0) and page_bounds(10_000, "")[0] == 500
    token = next_token(0, 50, 120)
    assert page_bounds(50, token) == (50, 50) and next_token(100, 50, 120) == ""
    with pytest.raises(errors.ValidationError) as exc:
        page_bounds(10, "garbage!")
    assert "page_token" in exc.value.details


async def test_request_id_and_errors_cross_a_grpc_hop(db_url, redis_url):
    running = await build_phi(load_settings(PhiSettings, database_url=db_url, redis_url=redis_url, env="test"), port=0)
    try:
        stub = phi_pb2_grpc.PhiServiceStub(internal_channel(running.address))
        # Format at emit time, inside the server's handler context, to see which ids it carried.
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonFormatter("phi"))
        phi_log = logging.getLogger("radiant.phi")
        phi_log.addHandler(handler)
        old_level = phi_log.level
        phi_log.setLevel(logging.DEBUG)
        request_id_var.set("trace-me-42")
        try:
            await call(stub.Sanitize(phi_pb2.SanitizeRequest(tenant_id="t-hop", texts=["John Smith"])), "phi")
        finally:
            phi_log.removeHandler(handler)
            phi_log.setLevel(old_level)
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        assert lines and all(x["request_id"] == "trace-me-42" and x["tenant_id"] == "t-hop" for x in lines)
        assert "John Smith" not in stream.getvalue()
        with pytest.raises(errors.ValidationError) as exc:
            await call(stub.Sanitize(phi_pb2.SanitizeRequest(tenant_id="", texts=["x"])), "phi")
        assert "tenant_id" in exc.value.details
    finally:
        request_id_var.set(None)
        await running.stop(0)
    with pytest.raises(errors.ServiceUnavailableError):
        await call(stub.Sanitize(phi_pb2.SanitizeRequest(tenant_id="t", texts=["x"]), timeout=0.5), "phi")


async def test_every_service_has_health_and_reflection(db_url, redis_url):
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

    running = await build_phi(load_settings(PhiSettings, database_url=db_url, redis_url=redis_url, env="test"), port=0)
    try:
        async with internal_channel(running.address) as ch:
            health = health_pb2_grpc.HealthStub(ch)
            for service in ("", "radiant.phi.v1.PhiService"):
                resp = await health.Check(health_pb2.HealthCheckRequest(service=service))
                assert resp.status == health_pb2.HealthCheckResponse.SERVING
        sync_channel = grpc.insecure_channel(running.address)
        services = await asyncio.to_thread(
            lambda: ProtoReflectionDescriptorDatabase(sync_channel).get_services())
        sync_channel.close()
        assert "radiant.phi.v1.PhiService" in services and "grpc.health.v1.Health" in services
    finally:
        await running.stop(0)


async def test_trace_context_request_id_and_metrics_cross_a_grpc_hop():
    """A server handler sees the caller's request id, tenant and W3C trace context, and its own outgoing calls carry
    them on; every call is counted under its method and status."""
    from opentelemetry import context as otel_context
    from opentelemetry import trace
    from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

    from services.runtime import metrics
    from services.runtime.context import TENANT_ID_HEADER
    from services.runtime.grpc_interceptors import ServerInterceptor
    from services.runtime.tracing import inject_metadata

    seen: list[dict[str, str]] = []

    async def echo(request: bytes, context) -> bytes:
        if request == b"fail":
            raise errors.NotFoundError("no such thing")
        outgoing: list[tuple[str, str]] = []
        inject_metadata(outgoing)
        seen.append({**dict(outgoing), "request_id": request_id_var.get(), "tenant": tenant_id_var.get()})
        return request

    server = grpc.aio.server(interceptors=[ServerInterceptor("hoptest")])
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
        "test.Hop", {"Echo": grpc.unary_unary_rpc_method_handler(echo)}),))
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    ch = channel(f"127.0.0.1:{port}")
    rpc = ch.unary_unary("/test.Hop/Echo")
    handled = metrics.GRPC_SERVER_HANDLED
    try:
        trace_id, span_id = 0x4BF92F3577B34DA6A3CE929D0E0E4736, 0x00F067AA0BA902B7
        parent = NonRecordingSpan(SpanContext(trace_id, span_id, is_remote=False, trace_flags=TraceFlags(1)))
        token = otel_context.attach(trace.set_span_in_context(parent))
        request_id_var.set("rid-trace-1")
        try:
            before = handled.labels("hoptest", "Echo", "OK")._value.get()
            assert await rpc(b"a", metadata=((TENANT_ID_HEADER, "t-trace"),)) == b"a"
            assert await rpc(b"b", metadata=((TENANT_ID_HEADER, "t-trace"),)) == b"b"
            assert handled.labels("hoptest", "Echo", "OK")._value.get() == before + 2
        finally:
            otel_context.detach(token)
            request_id_var.set(None)
        assert await rpc(b"c") == b"c"  # no trace context in, none out; a fresh request id
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await rpc(b"fail")
        assert exc.value.code() == grpc.StatusCode.NOT_FOUND
        assert handled.labels("hoptest", "Echo", "NOT_FOUND")._value.get() >= 1
    finally:
        await ch.close()
        await server.stop(0)
    traced = f"00-{trace_id:032x}-{span_id:016x}-01"
    assert [s.get("traceparent") for s in seen] == [traced, traced, None]
    assert [s["tenant"] for s in seen] == ["t-trace", "t-trace", None]
    assert seen[0]["request_id"] == "rid-trace-1" and seen[2]["request_id"] not in (None, "rid-trace-1")


async def test_tenant_labels_can_be_switched_off(db_url, redis_url, monkeypatch):
    """RADIANT_METRICS_TENANT_LABEL=false: metrics keep their label set but never carry the tenant's id (the
    process entry point, run_service / configure_observability, applies the setting before serving)."""
    from prometheus_client import REGISTRY, generate_latest

    from services.runtime import metrics
    monkeypatch.setenv("RADIANT_METRICS_TENANT_LABEL", "false")
    settings = load_settings(PhiSettings, database_url=db_url, redis_url=redis_url, env="test")
    assert settings.metrics_tenant_label is False
    metrics.configure_metrics(settings.metrics_tenant_label)  # what configure_observability does with it
    running = await build_phi(settings, port=0)
    try:
        stub = phi_pb2_grpc.PhiServiceStub(internal_channel(running.address))
        resp = await call(stub.Sanitize(phi_pb2.SanitizeRequest(tenant_id="t-unlabelled",
                                                                 texts=["SSN 123-45-6789"])), "phi")
        assert dict(resp.category_counts) == {"SSN": 1}
        text = generate_latest(REGISTRY).decode()
        assert 'radiant_phi_detections_total{category="SSN",tenant=""}' in text
        assert "t-unlabelled" not in text
    finally:
        await running.stop(0)
        metrics.configure_metrics(True)
