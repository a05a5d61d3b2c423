"""Pure ASGI middleware: one SERVER span per HTTP request, continuing the caller's W3C trace context, so the spans of
every gRPC hop and provider call of the request hang under it and JSON logs carry its trace id. Added only when an
exporter is configured. Attributes: method, route template and status, never the path, query or headers (a Bedrock
path holds whatever model id the client sent)."""
from __future__ import annotations

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from services.runtime.tracing import TRACE_HEADERS, extract_context, tracer


class TracingMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        carrier = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]
                   if key.decode("latin-1") in TRACE_HEADERS}
        token = otel_context.attach(extract_context(carrier)) if carrier else None
        method = scope["method"]
        span = tracer().start_span(method, kind=SpanKind.SERVER, attributes={"http.request.method": method})
        status = 0

        async def send_status(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            with trace.use_span(span, end_on_exit=False, record_exception=False, set_status_on_exception=False):
                await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", None)
            if route:
                span.update_name(f"{method} {route}")
                span.set_attribute("http.route", route)
            if status:
                span.set_attribute("http.response.status_code", status)
            if not status or status >= 500:
                span.set_status(Status(StatusCode.ERROR))
            span.end()
            if token is not None:
                otel_context.detach(token)
