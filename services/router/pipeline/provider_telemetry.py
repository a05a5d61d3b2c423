"""Each call to a model provider (every retry is one): a CLIENT span with the GenAI semantic-convention attributes
(operation, model, provider, server address, error type; never the prompt, the answer or a credential) and the
gen_ai_client_operation_duration_seconds histogram."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from urllib.parse import urlsplit

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from services.router.pipeline import request_record
from services.runtime import metrics
from services.runtime.errors import RadiantError
from services.runtime.tracing import tracer, tracing_enabled


@contextmanager
def provider_call(target) -> Iterator[None]:
    """`target`: the resilience Target (model and provider) being called."""
    record = request_record.current()
    operation = record.operation if record is not None else "chat"
    tenant = record.principal.tenant_id if record is not None and record.principal is not None else ""
    model, provider = target.model.name, target.provider.name
    span = None
    if tracing_enabled():
        span = tracer().start_span(f"{operation} {model}", kind=SpanKind.CLIENT, attributes={
            "gen_ai.operation.name": operation, "gen_ai.request.model": model, "gen_ai.provider.name": provider,
            "server.address": urlsplit(target.provider.base_url).hostname or ""})
    started = time.perf_counter()
    error_type = ""
    try:
        with trace.use_span(span, record_exception=False, set_status_on_exception=False) if span else nullcontext():
            yield
    except RadiantError as err:
        error_type = err.code
        raise
    except asyncio.CancelledError:
        error_type = "cancelled"
        raise
    except Exception as exc:
        error_type = type(exc).__name__
        raise
    finally:
        metrics.PROVIDER_CALL_DURATION.labels(metrics.tenant(tenant), operation, model, provider,
                                              error_type).observe(time.perf_counter() - started)
        if span is not None:
            if error_type:
                span.set_attribute("error.type", error_type)
                span.set_status(Status(StatusCode.ERROR))
            span.end()
