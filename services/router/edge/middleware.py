"""Pure ASGI middleware: request id in/out, the body read once (size limit, JSON nesting bound) and Prometheus
metrics (labels: route template, never raw paths)."""
from __future__ import annotations

import re
import time

from services.runtime import metrics
from services.runtime import json_depth
from services.runtime.errors import PayloadTooLargeError, ValidationError
from services.runtime.context import (REQUEST_ID_HEADER, gateway_id_var, new_request_id, request_id_var,
                                      tenant_id_var)

_VALID_RID = re.compile(r"[A-Za-z0-9._-]{1,128}")


class RequestContextMiddleware:
    def __init__(self, app, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = None
        too_large = False
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                candidate = value.decode("latin-1")
                rid = candidate if _VALID_RID.fullmatch(candidate) else None
            elif key == b"content-length":
                too_large = not value.isdigit() or int(value) > self.max_body_bytes
        rid = rid or new_request_id()
        request_id_var.set(rid)
        gateway_id_var.set(new_request_id())
        tenant_id_var.set(None)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                if not any(k == REQUEST_ID_HEADER.encode() for k, _ in headers):
                    headers.append((REQUEST_ID_HEADER.encode(), rid.encode()))
                message["headers"] = headers
            await send(message)

        try:
            if too_large:
                await _reject(scope, send_with_id, _too_large(self.max_body_bytes))
                return
            # The body is read here, once, before any route: counted as it arrives (chunked uploads have no
            # Content-Length; past the limit nothing more is buffered), and its JSON nesting bounded.
            body, complete, disconnected = await _read_body(receive, self.max_body_bytes)
            if not complete and not disconnected:
                await _reject(scope, send_with_id, _too_large(self.max_body_bytes))
                return
            if json_depth.exceeds(body):
                await _reject(scope, send_with_id, ValidationError(
                    f"Request body nests JSON deeper than {json_depth.MAX_DEPTH} levels",
                    details={"body": [f"at most {json_depth.MAX_DEPTH} levels of nested arrays and objects"]}))
                return
            await self.app(scope, _replay(body, disconnected, receive), send_with_id)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            metrics.HTTP_REQUESTS.labels(path, scope["method"], str(status)).inc()
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


def _replay(body: bytes, disconnected: bool, receive):
    """The app's receive: the whole body at once, then whatever the connection says (a disconnect)."""
    pending = True

    async def replay():
        nonlocal pending
        if pending:
            pending = False
            if disconnected:
                return {"type": "http.disconnect"}
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replay


def _too_large(limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(f"Request body is larger than {limit} bytes",
                                details={"body": [f"at most {limit} bytes"]})


async def _reject(scope, send, err) -> None:
    from services.router.edge.errors import response_for_path  # the app's modules import this one

    async def nothing():
        return {"type": "http.disconnect"}
    await response_for_path(scope["path"], err)(scope, nothing, send)
