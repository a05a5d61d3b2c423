"""The seed's HTTP conventions on every response: security headers (nosniff, frame-deny, HSTS when served over TLS)
and CORS for the origins the deployment allows (RADIANT_CORS_ALLOWED_ORIGINS; none by default), with the seed's
allowed headers."""
from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware

# The seed's Access-Control-Allow-Headers, plus the request id clients may send.
ALLOWED_HEADERS = ["Content-Type", "Authorization", "X-API-Key", "X-Tenant-Id", "X-Request-Id"]
ALLOWED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
EXPOSED_HEADERS = ["X-Request-Id", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                   "X-RateLimit-Reset", *(f"x-ratelimit-{what}-{kind}" for what in ("limit", "remaining", "reset")
                                          for kind in ("requests", "tokens"))]
_ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY")]
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeadersMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = [*_ALWAYS, _HSTS] if scope.get("scheme") == "https" else _ALWAYS

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app, allowed_origins: list[str]) -> None:
    """Outermost, so that 413s and other answers made by inner middleware carry the headers too."""
    if allowed_origins:
        app.add_middleware(CORSMiddleware, allow_origins=allowed_origins, allow_methods=ALLOWED_METHODS,
                           allow_headers=ALLOWED_HEADERS, expose_headers=EXPOSED_HEADERS, max_age=600)
    app.add_middleware(SecurityHeadersMiddleware)
