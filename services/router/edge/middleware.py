"""Pure ASGI middleware: request id in/out and Prometheus metrics (labels: route template, never raw paths)."""
from __future__ import annotations

import re
import time

import orjson

from services.runtime import metrics
from services.runtime.errors import ValidationError
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
                await _reject_body(scope, send_with_id, self.max_body_bytes)
                return
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            metrics.HTTP_REQUESTS.labels(path, scope["method"], str(status)).inc()
            metrics.HTTP_LATENCY.labels(path, scope["method"]).observe(time.perf_counter() - started)


async def _reject_body(scope, send, limit: int) -> None:
    err = ValidationError(f"Request body is larger than {limit} bytes", details={"body": [f"at most {limit} bytes"]})
    body = orjson.dumps(err.to_envelope(request_id_var.get()) if scope["path"].startswith("/api/") else err.to_openai())
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
