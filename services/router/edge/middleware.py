"""Pure ASGI middleware: request id in/out and Prometheus metrics (labels: route template, never raw paths)."""
from __future__ import annotations

import re
import time

from services.runtime import metrics
from services.runtime.errors import PayloadTooLargeError
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

        # Bodies without a Content-Length (chunked uploads) are counted as they arrive: past the limit the app sees
        # a disconnect (so nothing more is buffered), whatever it answers is dropped, and the caller gets the 413.
        received = 0
        overflow = False
        response_started = False

        async def counting_receive():
            nonlocal received, overflow
            if overflow:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    overflow = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            nonlocal response_started
            if overflow and not response_started:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send_with_id(message)

        try:
            if too_large:
                await _reject_body(scope, send_with_id, self.max_body_bytes)
                return
            try:
                await self.app(scope, counting_receive, guarded_send)
            except Exception:
                if not overflow:
                    raise
            if overflow and not response_started:
                await _reject_body(scope, send_with_id, self.max_body_bytes)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            metrics.HTTP_REQUESTS.labels(path, scope["method"], str(status)).inc()
            metrics.HTTP_LATENCY.labels(path, scope["method"]).observe(time.perf_counter() - started)


async def _reject_body(scope, send, limit: int) -> None:
    from services.router.edge.errors import response_for_path  # the app's modules import this one

    err = PayloadTooLargeError(f"Request body is larger than {limit} bytes",
                               details={"body": [f"at most {limit} bytes"]})
    response = response_for_path(scope["path"], err)

    async def nothing():
        return {"type": "http.disconnect"}
    await response(scope, nothing, send)
