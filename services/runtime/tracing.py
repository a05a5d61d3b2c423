"""OpenTelemetry setup and W3C trace-context propagation helpers for gRPC metadata."""
from __future__ import annotations

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

_configured = False
# The metadata keys the configured propagators read (W3C trace context and baggage unless OTEL_PROPAGATORS says
# otherwise).
TRACE_HEADERS = frozenset(propagate.get_global_textmap().fields)


def configure_tracing(service: str, exporter: str = "none") -> None:
    """With no exporter, servers record no spans (and do not create any on the hot path),
    but incoming trace context is still carried to every outgoing call."""
    global _configured
    if _configured or exporter == "none":
        return
    provider = TracerProvider(resource=Resource.create({"service.name": f"radiant-{service}"}))
    if exporter == "console":
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(provider)
    _configured = True
    global _tracer
    _tracer = None


_tracer: trace.Tracer | None = None


def tracer() -> trace.Tracer:
    global _tracer
    if _tracer is None:
        _tracer = trace.get_tracer("radiant")
    return _tracer


def inject_metadata(metadata: list[tuple[str, str]]) -> None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    metadata.extend(carrier.items())


def tracing_enabled() -> bool:
    """True once an exporter is configured: spans are recorded only then."""
    return _configured


def extract_context(carrier: dict[str, str]):
    """The OpenTelemetry context carried by ``carrier`` (the TRACE_HEADERS of an incoming call)."""
    return propagate.extract(carrier)
