"""The seed's admin security headers (its CloudFront response-headers policy) on everything under /console, with a
stricter CSP than the seed's: scripts and styles from Radiant only, never inline or eval'd; the browser may talk to
this origin only."""
from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"referrer-policy", b"strict-origin-when-cross-origin"),
           (b"x-xss-protection", b"1; mode=block"), (b"cache-control", b"no-store")]


class ConsoleHeadersMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not (scope["path"] == "/console" or scope["path"].startswith("/console/")):
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)
