"""The edge's one pure ASGI middleware. What it does for every HTTP request, outermost first:

- the request log: every inference request gets exactly one record, whatever its outcome (answered, refused below
  (413, too deep), by authentication, validation, policy, admission or the fail-closed sanitizer, failed at the
  provider, failed inside a stream, or abandoned by the client: before the answer started 499, during a stream the
  status that was sent, with CLIENT_DISCONNECTED);
- the seed's HTTP conventions: security headers (nosniff, frame-deny, HSTS when served over TLS) on every answer, the
  console's headers (services.router.console.security) under /console; when the deployment allows CORS origins,
  Starlette's CORSMiddleware sits here, inside the security headers and outside everything below (so a preflight is
  answered before the request context, and the edge's own refusals carry CORS headers);
- the request context: request id in (validated) and out, the gateway-minted id, the headers the pipeline gathered
  for the answer (rate limits), the body read once (size limit, JSON nesting bound) and Prometheus metrics (labels:
  route template, never raw paths);
- cancel on disconnect: once the app has read the body, the connection is watched (uvicorn answers `receive()` with
  `http.disconnect` when the client closes it). If the client leaves before the response has started (a
  non-streaming request still waiting for its provider), the request task is cancelled, which closes the upstream
  HTTP call. For a response that has started (a stream), the disconnect is handed to the app, whose
  StreamingResponse stops the stream; the pipeline then closes the upstream and meters what was generated.

One layer with one `send` wrapper (two when CORS is on), instead of five middlewares each wrapping `send`."""
from __future__ import annotations

import asyncio
import re
import time

from starlette.middleware.cors import CORSMiddleware

from services.router.console.security import HEADERS as CONSOLE_HEADERS
from services.router.edge.http_policy import ALLOWED_HEADERS, ALLOWED_METHODS, ALWAYS, EXPOSED_HEADERS, HSTS
from services.router.edge.request_log import classify
from services.router.pipeline import request_record
from services.runtime import json_depth, metrics
from services.runtime.context import (REQUEST_ID_HEADER, gateway_id_var, new_request_id, request_id_var,
                                      response_headers_var, tenant_id_var)
from services.runtime.errors import PayloadTooLargeError, ValidationError

_VALID_RID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_RID_HEADER = REQUEST_ID_HEADER.lower().encode()
_START = "http.response.start"
_BODY = "http.response.body"

# (served over TLS, under /console) -> the headers every answer gets
_SECURITY = {(False, False): ALWAYS, (True, False): (*ALWAYS, HSTS),
             (False, True): (*ALWAYS, *CONSOLE_HEADERS), (True, True): (*ALWAYS, HSTS, *CONSOLE_HEADERS)}


def _is_console(path: str) -> bool:
    return path == "/console" or path.startswith("/console/")


class _Exchange:
    """One request's state: what the response said (status, whether its last body part went out) and the headers
    to add to its start."""
    __slots__ = ("send", "rid", "extra", "security", "status", "complete", "started", "cancelled", "gone",
                 "watcher", "receive", "body", "disconnected", "fresh", "task")

    def __init__(self, send, security) -> None:
        self.send = send
        self.security = security
        self.status = 0
        self.complete = False

    # --- send: the context's headers (request id, the pipeline's), then the security headers -----------------------

    def _context_headers(self, message) -> None:
        headers = list(message.get("headers", ()))
        present = {k.lower() for k, _ in headers}
        if _RID_HEADER not in present:
            headers.append((_RID_HEADER, self.rid.encode()))
        for name, value in self.extra.items():
            key = name.lower().encode()
            if key not in present:
                headers.append((key, value.encode("latin-1")))
        message["headers"] = headers
        self.started = True

    def _security_headers(self, message) -> None:
        self.status = message["status"]
        headers = message.get("headers", ())
        present = {k.lower() for k, _ in headers}
        message["headers"] = [*headers, *(h for h in self.security if h[0] not in present)]

    async def send_all(self, message) -> None:
        """Without CORS: everything in one wrapper."""
        kind = message["type"]
        if kind == _START:
            self._context_headers(message)
            self._security_headers(message)
        elif kind == _BODY and not message.get("more_body", False):
            self.complete = True
        await self.send(message)

    async def send_outer(self, message) -> None:
        """With CORS: outside CORSMiddleware (the request log's status, the security headers)."""
        kind = message["type"]
        if kind == _START:
            self._security_headers(message)
        elif kind == _BODY and not message.get("more_body", False):
            self.complete = True
        await self.send(message)

    def inner_send(self, send):
        async def send_inner(message) -> None:
            if message["type"] == _START:
                self._context_headers(message)
            await send(message)
        return send_inner

    # --- receive: the body read by the middleware, then only a disconnect (reported by the watcher) -----------------

    async def app_receive(self):
        if not self.fresh:
            if self.watcher is not None:
                await self.gone.wait()
                return {"type": "http.disconnect"}
            return await self.receive()  # not reached after a complete body: the watcher runs from then on
        self.fresh = False
        if self.disconnected:
            self.gone.set()
            return {"type": "http.disconnect"}
        self.watcher = asyncio.create_task(self._watch())
        return {"type": "http.request", "body": self.body, "more_body": False}

    async def _watch(self) -> None:
        receive = self.receive
        while (await receive())["type"] != "http.disconnect":
            pass
        self.gone.set()
        if not self.started:
            self.cancelled = True
            self.task.cancel()


class EdgeMiddleware:
    def __init__(self, app, max_body_bytes: int, cors_allowed_origins: list[str] | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # With CORS: security headers > CORS > the request context (see the module docstring).
        self._cors = CORSMiddleware(self._context, allow_origins=cors_allowed_origins, allow_methods=ALLOWED_METHODS,
                                    allow_headers=ALLOWED_HEADERS, expose_headers=EXPOSED_HEADERS, max_age=600) \
            if cors_allowed_origins else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        ex = _Exchange(send, _SECURITY[scope.get("scheme") == "https", _is_console(path)])
        kind = classify(scope["method"], path)
        if kind is None:
            await self._dispatch(scope, receive, ex)
            return
        record = request_record.begin(*kind)
        try:
            await self._dispatch(scope, receive, ex)
        except asyncio.CancelledError:  # the server is shutting down, or the connection went away
            _publish(scope, record.finish(ex.status, disconnected=True))
            raise
        except Exception:  # unhandled: the outermost handler answers 500
            _publish(scope, record.finish(ex.status or 500))
            raise
        _publish(scope, record.finish(ex.status, disconnected=not ex.complete))

    def _dispatch(self, scope, receive, ex: _Exchange):
        if self._cors is None:
            return self._context(scope, receive, ex.send_all, ex)
        scope["radiant.edge"] = ex
        return self._cors(scope, receive, ex.send_outer)

    async def _context(self, scope, receive, send, ex: _Exchange | None = None):
        if ex is None:  # under CORSMiddleware
            ex = scope["radiant.edge"]
            send = ex.inner_send(send)
        rid = None
        too_large = False
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                candidate = value.decode("latin-1")
                rid = candidate if _VALID_RID.fullmatch(candidate) else None
            elif key == b"content-length":
                too_large = not value.isdigit() or int(value) > self.max_body_bytes
        ex.rid = rid = rid or new_request_id()
        request_id_var.set(rid)
        gateway_id_var.set(new_request_id())
        tenant_id_var.set(None)
        ex.extra = {}
        response_headers_var.set(ex.extra)
        ex.started = False
        started = time.perf_counter()
        try:
            if too_large:
                await _reject(scope, send, _too_large(self.max_body_bytes))
                return
            # The body is read here, once, before any route: counted as it arrives (chunked uploads have no
            # Content-Length; past the limit nothing more is buffered), and its JSON nesting bounded.
            body, complete, disconnected = await _read_body(receive, self.max_body_bytes)
            if not complete and not disconnected:
                await _reject(scope, send, _too_large(self.max_body_bytes))
                return
            if json_depth.exceeds(body):
                await _reject(scope, send, ValidationError(
                    f"Request body nests JSON deeper than {json_depth.MAX_DEPTH} levels",
                    details={"body": [f"at most {json_depth.MAX_DEPTH} levels of nested arrays and objects"]}))
                return
            ex.receive, ex.body, ex.disconnected, ex.fresh = receive, body, disconnected, True
            ex.watcher, ex.cancelled, ex.gone = None, False, asyncio.Event()
            ex.task = asyncio.current_task()
            try:
                await self.app(scope, ex.app_receive, send)
            except asyncio.CancelledError:
                if not ex.cancelled:
                    raise
                ex.task.uncancel()  # our own cancellation: the client is gone, nothing to answer
            finally:
                if ex.watcher is not None:
                    ex.watcher.cancel()
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            metrics.HTTP_REQUESTS.labels(path, scope["method"], str(ex.status or 500)).inc()
            metrics.HTTP_LATENCY.labels(path, scope["method"]).observe(time.perf_counter() - started)


async def _read_body(receive, limit: int) -> tuple[bytes, bool, bool]:
    """(body, complete, client disconnected); stops reading as soon as more than `limit` bytes arrived."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), False, True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", False, False
        if chunk:
            chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks), True, False


def _too_large(limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(f"Request body is larger than {limit} bytes",
                                details={"body": [f"at most {limit} bytes"]})


async def _reject(scope, send, err) -> None:
    from services.router.edge.errors import response_for_path  # the app's modules import this one

    async def nothing():
        return {"type": "http.disconnect"}
    await response_for_path(scope["path"], err)(scope, nothing, send)


def _publish(scope, log_record) -> None:
    pipeline = getattr(scope["app"].state, "pipeline", None)
    if log_record is not None and pipeline is not None and pipeline.request_log is not None:
        pipeline.request_log.publish(log_record)
