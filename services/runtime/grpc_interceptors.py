"""gRPC aio interceptors: request id + trace context in metadata, Prometheus metrics, and the mapping of
RadiantError (and unexpected failures) to gRPC status with the taxonomy trailer."""
from __future__ import annotations

import inspect
import logging
import time
from contextlib import nullcontext
from typing import Any, Callable

import grpc
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode

from services.runtime import metrics
from services.runtime.context import (REQUEST_ID_HEADER, TENANT_ID_HEADER, gateway_id_var, new_request_id,
                                      request_id_var, tenant_id_var)
from services.runtime.errors import RadiantError
from services.runtime.service_auth import (PRINCIPAL_TOKEN_HEADER, SERVICE_TOKEN_HEADER, Minter, audience_of,
                                           caller_var, principal_token_var)
from services.runtime.service_guard import Guard, check_request
from services.runtime.tracing import TRACE_HEADERS, extract_context, inject_metadata, tracer, tracing_enabled

log = logging.getLogger("radiant.grpc")


def _use(span):
    """Make `span` current without recording exceptions on it: their messages can hold user data."""
    if span is None:
        return nullcontext()
    return trace.use_span(span, end_on_exit=False, record_exception=False, set_status_on_exception=False)
_SKIP_PREFIXES = ("/grpc.health.", "/grpc.reflection.")


class ServerInterceptor(grpc.aio.ServerInterceptor):
    """Wraps each method's handler once (not per call): the wrapper sets the request/tenant context, attaches an
    incoming trace context, records a span when tracing is configured, authenticates the caller (with a Guard),
    counts the call and maps failures."""

    def __init__(self, service: str, guard: Guard | None = None) -> None:
        self.service = service
        self.guard = guard
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}
        self._handled: dict[tuple[str, str], Any] = {}  # (method, status) -> its labelled counter

    async def intercept_service(self, continuation, handler_call_details):
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(_SKIP_PREFIXES):
            return handler
        cached = self._wrapped.get(method)
        if cached is None or cached[0] is not handler:
            cached = self._wrapped[method] = (handler, self._wrap(handler, method.rsplit("/", 1)[-1]))
        return cached[1]

    def _wrap(self, handler: grpc.RpcMethodHandler, short: str) -> grpc.RpcMethodHandler:
        latency = metrics.GRPC_SERVER_LATENCY.labels(self.service, short)
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(self._unary(handler.unary_unary, short, latency, False),
                                                       handler.request_deserializer, handler.response_serializer)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(self._streaming(handler.unary_stream, short, latency, False),
                                                        handler.request_deserializer, handler.response_serializer)
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(self._unary(handler.stream_unary, short, latency, True),
                                                        handler.request_deserializer, handler.response_serializer)
        return grpc.stream_stream_rpc_method_handler(self._streaming(handler.stream_stream, short, latency, True),
                                                     handler.request_deserializer, handler.response_serializer)

    def _admit(self, context: grpc.aio.ServicerContext, method: str, request, stream_in: bool):
        """The request as the handler may see it: the caller authenticated, the tenants it names checked (each
        message of a request stream as it arrives)."""
        if self.guard is None:
            return request
        caller = self.guard.admit(method, context.invocation_metadata() or ())
        caller_var.set(caller)
        if caller.principal is not None and caller.principal.tenant_id:
            tenant_id_var.set(caller.principal.tenant_id)
        if stream_in:
            return self.guard.checked_stream(caller, request)
        check_request(caller, request)
        return request

    def _enter(self, context: grpc.aio.ServicerContext, method: str):
        rid = tenant = carrier = None
        for key, value in context.invocation_metadata() or ():
            if key == REQUEST_ID_HEADER:
                rid = value
            elif key == TENANT_ID_HEADER:
                tenant = value
            elif key in TRACE_HEADERS and isinstance(value, str):
                if carrier is None:
                    carrier = {}
                carrier[key] = value
        request_id_var.set(rid or new_request_id())
        gateway_id_var.set(new_request_id())
        tenant_id_var.set(tenant)
        # Without an incoming trace context there is nothing to carry on, and without a configured exporter a span
        # would record nothing: both are skipped on the hot path.
        token = otel_context.attach(extract_context(carrier)) if carrier is not None else None
        span = tracer().start_span(f"{self.service}/{method}", kind=trace.SpanKind.SERVER) if tracing_enabled() \
            else None
        return token, span

    async def _fail(self, context: grpc.aio.ServicerContext, exc: BaseException, method: str) -> None:
        if isinstance(exc, RadiantError):
            err = exc
        else:
            log.error("unhandled error in %s", method, exc_info=exc)
            err = RadiantError()
        await context.abort(err.grpc_status, err.message, trailing_metadata=err.trailing_metadata())

    def _done(self, method: str, latency, started: float, code: str, span, token) -> None:
        handled = self._handled.get((method, code))
        if handled is None:
            handled = self._handled[(method, code)] = metrics.GRPC_SERVER_HANDLED.labels(self.service, method, code)
        handled.inc()
        latency.observe(time.perf_counter() - started)
        if span is not None:
            span.set_attribute("rpc.grpc.status_code", code)
            if code != "OK":
                span.set_status(Status(StatusCode.ERROR))
            span.end()
        if token is not None:
            otel_context.detach(token)

    def _unary(self, fn: Callable[..., Any], method: str, latency, stream_in: bool):
        async def wrapper(request, context):
            started = time.perf_counter()
            token, span = self._enter(context, method)
            code = "OK"
            try:
                with _use(span):
                    return await fn(self._admit(context, method, request, stream_in), context)
            except grpc.aio.AbortError:
                code = context.code().name if context.code() else "UNKNOWN"
                raise
            except Exception as exc:  # noqa: BLE001 - mapped to a status below
                code = exc.grpc_status.name if isinstance(exc, RadiantError) else "INTERNAL"
                await self._fail(context, exc, method)
            finally:
                self._done(method, latency, started, code, span, token)
        return wrapper

    def _streaming(self, fn: Callable[..., Any], method: str, latency, stream_in: bool):
        async def wrapper(request, context):
            started = time.perf_counter()
            token, span = self._enter(context, method)
            code = "OK"
            try:
                with _use(span):
                    result = fn(self._admit(context, method, request, stream_in), context)
                    if inspect.isasyncgen(result):
                        async for item in result:
                            yield item
                    else:
                        await result
            except grpc.aio.AbortError:
                code = context.code().name if context.code() else "UNKNOWN"
                raise
            except Exception as exc:  # noqa: BLE001
                code = exc.grpc_status.name if isinstance(exc, RadiantError) else "INTERNAL"
                await self._fail(context, exc, method)
            finally:
                self._done(method, latency, started, code, span, token)
        return wrapper


class _ClientBase:
    def __init__(self, target: str, default_timeout: float, minter: Minter | None,
                 principal_token: str | None) -> None:
        self.target = target
        self.default_timeout = default_timeout
        self.minter = minter
        # A channel bound to one principal (tools, tests); otherwise the principal of the request being served.
        self.principal_token = principal_token

    def _details(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        metadata = list(details.metadata or ())
        keys = {k for k, _ in metadata}
        rid, tenant = request_id_var.get(), tenant_id_var.get()
        if rid and REQUEST_ID_HEADER not in keys:
            metadata.append((REQUEST_ID_HEADER, rid))
        if tenant and TENANT_ID_HEADER not in keys:
            metadata.append((TENANT_ID_HEADER, tenant))
        if self.minter is not None:
            method = details.method.decode() if isinstance(details.method, bytes) else details.method
            metadata.append((SERVICE_TOKEN_HEADER, self.minter.service_token(audience_of(method))))
            principal = self.principal_token or principal_token_var.get()
            if principal and PRINCIPAL_TOKEN_HEADER not in keys:
                metadata.append((PRINCIPAL_TOKEN_HEADER, principal))
        inject_metadata(metadata)
        timeout = details.timeout if details.timeout is not None else self.default_timeout
        return grpc.aio.ClientCallDetails(details.method, timeout, metadata, details.credentials,
                                          details.wait_for_ready)

    def _count(self, details: grpc.aio.ClientCallDetails, code: str) -> None:
        method = details.method.decode() if isinstance(details.method, bytes) else details.method
        metrics.GRPC_CLIENT_HANDLED.labels(self.target, method.rsplit("/", 1)[-1], code).inc()


class UnaryUnaryClient(_ClientBase, grpc.aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(self, continuation, client_call_details, request):
        span = None
        if tracing_enabled():
            method = client_call_details.method
            method = method.decode() if isinstance(method, bytes) else method
            span = tracer().start_span(method.lstrip("/"), kind=trace.SpanKind.CLIENT,
                                       attributes={"rpc.system": "grpc", "server.address": self.target})
        code = "OK"
        try:
            with _use(span):
                call = await continuation(self._details(client_call_details), request)
            try:
                await call
            except grpc.aio.AioRpcError as exc:
                code = exc.code().name
            self._count(client_call_details, code)
            return call
        finally:
            if span is not None:
                span.set_attribute("rpc.grpc.status_code", code)
                if code != "OK":
                    span.set_status(Status(StatusCode.ERROR))
                span.end()


class UnaryStreamClient(_ClientBase, grpc.aio.UnaryStreamClientInterceptor):
    async def intercept_unary_stream(self, continuation, client_call_details, request):
        return await continuation(self._details(client_call_details), request)


class StreamUnaryClient(_ClientBase, grpc.aio.StreamUnaryClientInterceptor):
    async def intercept_stream_unary(self, continuation, client_call_details, request_iterator):
        return await continuation(self._details(client_call_details), request_iterator)


class StreamStreamClient(_ClientBase, grpc.aio.StreamStreamClientInterceptor):
    async def intercept_stream_stream(self, continuation, client_call_details, request_iterator):
        return await continuation(self._details(client_call_details), request_iterator)


def client_interceptors(target: str, default_timeout: float, minter: Minter | None = None,
                        principal_token: str | None = None) -> list[grpc.aio.ClientInterceptor]:
    return [cls(target, default_timeout, minter, principal_token)
            for cls in (UnaryUnaryClient, UnaryStreamClient, StreamUnaryClient, StreamStreamClient)]
