"""The request-log record of the request being served, carried in a context variable.

The edge (HTTP middleware, the gRPC RouterService) opens it when a request comes in and finishes it once, when the
answer is out (status, error code, HTTP status, latency); the pipeline annotates it on the way (who, which model and
provider, tokens, PHI category counts, fallbacks, retries, time to first token) with the one-line helpers below, which
do nothing outside a request. Finishing turns it into a radiant.metering.v1.RequestLog and observes the request's
metrics; the record goes to metering off the hot path (RequestLogPublisher).

Nothing here holds PHI: names, ids, counts and codes only. The prompt and answer are kept only for tenants that asked
(`request_log_content`) and only in their sanitized form (placeholders instead of PHI values), never when the
sanitizer did not run on them."""
from __future__ import annotations

import contextvars
import math
import time
from dataclasses import dataclass, field

import orjson
from opentelemetry import trace

from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2
from radiant.registry.v1 import registry_pb2
from services.runtime import metrics
from services.runtime.context import current_gateway_id, current_request_id
from services.runtime.errors import (ForbiddenError, RadiantError, RateLimitError, SensitiveDataError,
                                     UnauthorizedError)

# Refused on purpose by a rule (not a failure of the gateway or the provider).
_BLOCKED = {cls.code for cls in (UnauthorizedError, ForbiddenError, RateLimitError, SensitiveDataError)}
CLIENT_DISCONNECTED = "CLIENT_DISCONNECTED"
# nginx's code for "the client closed the connection before the answer", the convention log readers know.
CLIENT_CLOSED_STATUS = 499
_CONTENT_LIMIT = 32_768  # characters kept of a redacted prompt or answer


@dataclass(slots=True)
class RequestRecord:
    surface: str
    operation: str
    stream: bool = False
    started: float = field(default_factory=time.perf_counter)
    created_at: float = field(default_factory=time.time)
    principal: common_pb2.Principal | None = None
    retention_days: int = 0
    keep_content: bool = False
    requested_model: str = ""
    model: registry_pb2.Model | None = None
    provider: registry_pb2.Provider | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    phi_categories: dict[str, int] = field(default_factory=dict)
    fallbacks: int = 0
    retries: int = 0
    ttft: float | None = None
    finish_reason: str = ""
    session_id: str = ""
    prompt_redacted: str = ""
    response_redacted: str = ""
    error_code: str = ""
    _finished: bool = False

    def finish(self, http_status: int, disconnected: bool = False) -> metering_pb2.RequestLog | None:
        """The record as sent to metering (None if it was finished already), and the request's metrics."""
        if self._finished:
            return None
        self._finished = True
        latency = time.perf_counter() - self.started
        code = CLIENT_DISCONNECTED if disconnected and not self.error_code else self.error_code
        if disconnected and http_status < 400:
            http_status = http_status if http_status else CLIENT_CLOSED_STATUS
        if not code and http_status >= 400:
            code = _code_for(http_status)
        status = "success" if not code else "blocked" if code in _BLOCKED else "error"
        self._observe(status, code, http_status, latency)
        self._annotate_span(status, code)
        p = self.principal
        out = metering_pb2.RequestLog(
            id=current_gateway_id(), correlation_id=current_request_id() or "", surface=self.surface,
            operation=self.operation, stream=self.stream, requested_model=self.requested_model, status=status,
            error_code=code, http_status=http_status or CLIENT_CLOSED_STATUS, latency_ms=math.ceil(latency * 1000),
            ttft_ms=math.ceil(self.ttft * 1000) if self.ttft is not None else 0, phi_categories=self.phi_categories,
            fallbacks=self.fallbacks, retries=self.retries, finish_reason=self.finish_reason,
            session_id=self.session_id, prompt_redacted=self.prompt_redacted,
            response_redacted=self.response_redacted, retention_days=self.retention_days)
        out.created_at.FromNanoseconds(int(self.created_at * 1e9))
        if p is not None:
            out.tenant_id, out.app_id, out.user_id, out.api_key_id = p.tenant_id, p.app_id, p.user_id, p.key_id
        if self.model is not None:
            out.model_id, out.model = self.model.id, self.model.name
            out.provider_id = self.provider.id if self.provider is not None else ""
            out.pricing.CopyFrom(self.model.pricing)
            out.usage.prompt_tokens, out.usage.completion_tokens = self.prompt_tokens, self.completion_tokens
            out.usage.total_tokens = self.prompt_tokens + self.completion_tokens
        return out

    def _observe(self, status: str, code: str, http_status: int, latency: float) -> None:
        labels = (metrics.tenant(self.principal.tenant_id if self.principal else ""), self.surface, self.operation,
                  self.model.name if self.model is not None else "",
                  self.provider.name if self.provider is not None else "")
        metrics.REQUESTS.labels(*labels, status, code, str(http_status or CLIENT_CLOSED_STATUS)).inc()
        metrics.REQUEST_DURATION.labels(*labels, status).observe(latency)
        if self.ttft is not None:
            metrics.TIME_TO_FIRST_TOKEN.labels(*labels).observe(self.ttft)
        if self.model is not None and (self.prompt_tokens or self.completion_tokens):
            metrics.TOKEN_USAGE.labels(*labels, "input").observe(self.prompt_tokens)
            metrics.TOKEN_USAGE.labels(*labels, "output").observe(self.completion_tokens)


    def _annotate_span(self, status: str, code: str) -> None:
        """GenAI attributes on the request's server span (HTTP or gRPC), when traces are recorded."""
        span = trace.get_current_span()
        if not span.is_recording():
            return
        attrs: dict[str, object] = {"gen_ai.operation.name": self.operation, "radiant.surface": self.surface,
                                    "radiant.status": status}
        if code:
            attrs["error.type"] = code
        if self.model is not None:
            attrs.update({"gen_ai.request.model": self.requested_model or self.model.name,
                          "gen_ai.response.model": self.model.name,
                          "gen_ai.usage.input_tokens": self.prompt_tokens,
                          "gen_ai.usage.output_tokens": self.completion_tokens})
        if self.provider is not None:
            attrs["gen_ai.provider.name"] = self.provider.name
        if self.finish_reason:
            attrs["gen_ai.response.finish_reasons"] = [self.finish_reason]
        if self.principal is not None:
            attrs["radiant.tenant.id"] = self.principal.tenant_id
        span.set_attributes(attrs)


def _code_for(http_status: int) -> str:
    """The taxonomy code of an error answer the edge rendered without naming it (e.g. the framework's own 413)."""
    for cls in RadiantError.__subclasses__():
        if cls.http_status == http_status:
            return cls.code
    return "INTERNAL_ERROR" if http_status >= 500 else "VALIDATION_ERROR"


_current: contextvars.ContextVar[RequestRecord | None] = contextvars.ContextVar("radiant_request_record",
                                                                               default=None)


def begin(surface: str, operation: str, stream: bool = False) -> RequestRecord:
    record = RequestRecord(surface, operation, stream)
    _current.set(record)
    return record


def current() -> RequestRecord | None:
    return _current.get()


# --- annotations: each a no-op outside a request ------------------------------------------------------------------

def note_principal(principal: common_pb2.Principal) -> None:
    if (r := _current.get()) is not None:
        r.principal = principal


def note_tenant_settings(settings) -> None:
    """auth.v1.TenantSettings: the tenant's retention and whether it keeps redacted content."""
    if (r := _current.get()) is not None and settings is not None:
        r.retention_days = settings.request_log_retention_days
        r.keep_content = settings.request_log_content


def note_model(model: registry_pb2.Model, provider: registry_pb2.Provider, session_id: str | None = None,
               stream: bool = False) -> None:
    """The registry resolved the requested name (only then does a model name enter the record or a metric label)."""
    if (r := _current.get()) is not None:
        r.requested_model = r.requested_model or model.name
        r.model, r.provider = model, provider
        r.session_id = session_id or r.session_id
        r.stream = r.stream or stream


def note_sanitized(sanitized, messages: list[dict] | None = None) -> None:
    """phi.v1.SanitizeResponse: category counts always; the sanitized prompt when the tenant keeps content and the
    sanitizer actually ran on it."""
    if (r := _current.get()) is None or sanitized is None:
        return
    for category, count in sanitized.category_counts.items():
        r.phi_categories[category] = r.phi_categories.get(category, 0) + count
    if r.keep_content and sanitized.applied and messages is not None:
        r.prompt_redacted = orjson.dumps(messages).decode()[:_CONTENT_LIMIT]


def note_usage(model: registry_pb2.Model, provider: registry_pb2.Provider, prompt_tokens: int,
               completion_tokens: int) -> None:
    """What the request is billed for, under the model that answered (a fallback may differ from the requested)."""
    if (r := _current.get()) is not None:
        r.model, r.provider = model, provider
        r.prompt_tokens, r.completion_tokens = prompt_tokens, completion_tokens


def note_answer(finish_reason: str | None, sanitized_text: str) -> None:
    """The answer as the provider wrote it (placeholders, before PHI is restored)."""
    if (r := _current.get()) is not None:
        r.finish_reason = finish_reason or r.finish_reason
        if r.keep_content and r.prompt_redacted:
            r.response_redacted = sanitized_text[:_CONTENT_LIMIT]


def note_first_token() -> None:
    if (r := _current.get()) is not None and r.ttft is None:
        r.ttft = time.perf_counter() - r.started


def note_retry() -> None:
    if (r := _current.get()) is not None:
        r.retries += 1


def note_fallback() -> None:
    if (r := _current.get()) is not None:
        r.fallbacks += 1


def note_error(err: RadiantError) -> None:
    """The error the client is answered with (the first one noted wins: it is the one rendered)."""
    if (r := _current.get()) is not None and not r.error_code:
        r.error_code = err.code
