"""OpenTelemetry setup and W3C trace-context propagation helpers for gRPC metadata.

Exporters: none (no spans recorded, none created on the hot path; incoming trace context is still carried on), console,
or otlp (OpenTelemetry protocol, gRPC or HTTP/protobuf, batched in a background thread). Span attributes are names,
ids, counts and codes only: exceptions are never recorded on spans (their messages can hold user data)."""
from __future__ import annotations

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

# The metadata keys the configured propagators read (W3C trace context and baggage unless OTEL_PROPAGATORS says
# otherwise).
TRACE_HEADERS = frozenset(propagate.get_global_textmap().fields)

_provider: TracerProvider | None = None
_tracer: trace.Tracer | None = None


def _otlp_exporter(endpoint: str, protocol: str) -> SpanExporter:
    if protocol == "http/protobuf":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpExporter
        return HttpExporter(endpoint=endpoint or None)
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter
    return GrpcExporter(endpoint=endpoint or None, insecure=endpoint.startswith("http://") or None)


def configure_tracing(service: str, exporter: str = "none", endpoint: str = "", protocol: str = "grpc",
                      sample_ratio: float = 1.0) -> None:
    """With no exporter, servers record no spans (and do not create any on the hot path), but incoming trace context
    is still carried to every outgoing call. Configured once per process (later calls are ignored until
    shutdown_tracing)."""
    global _provider, _tracer
    if _provider is not None or exporter == "none":
        return
    provider = TracerProvider(resource=Resource.create({"service.name": f"radiant-{service}"}),
                              sampler=ParentBased(TraceIdRatioBased(sample_ratio)))
    if exporter == "console":
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    else:
        provider.add_span_processor(BatchSpanProcessor(_otlp_exporter(endpoint, protocol)))
    _provider, _tracer = provider, provider.get_tracer("radiant")


def shutdown_tracing() -> None:
    """Export what is buffered and stop recording spans (process exit; tests)."""
    global _provider, _tracer
    if _provider is not None:
        _provider.shutdown()
    _provider, _tracer = None, None


def flush_tracing() -> None:
    if _provider is not None:
        _provider.force_flush()


def tracer() -> trace.Tracer:
    return _tracer if _tracer is not None else trace.get_tracer("radiant")


def inject_metadata(metadata: list[tuple[str, str]]) -> None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    metadata.extend(carrier.items())


def tracing_enabled() -> bool:
    """True once an exporter is configured: spans are recorded only then."""
    return _provider is not None


def extract_context(carrier: dict[str, str]):
    """The OpenTelemetry context carried by ``carrier`` (the TRACE_HEADERS of an incoming call)."""
    return propagate.extract(carrier)
