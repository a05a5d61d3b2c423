"""The seed's HTTP conventions on every response: security headers (nosniff, frame-deny, HSTS when served over TLS)
and CORS for the origins the deployment allows (RADIANT_CORS_ALLOWED_ORIGINS; none by default), with the seed's
allowed headers. Applied by the edge's middleware (services.router.edge.middleware), outside everything that may
refuse a request, so those answers carry them too."""
from __future__ import annotations

# The seed's Access-Control-Allow-Headers, plus the request id clients may send.
ALLOWED_HEADERS = ["Content-Type", "Authorization", "X-API-Key", "X-Tenant-Id", "X-Request-Id"]
ALLOWED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
EXPOSED_HEADERS = ["X-Request-Id", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                   "X-RateLimit-Reset", *(f"x-ratelimit-{what}-{kind}" for what in ("limit", "remaining", "reset")
                                          for kind in ("requests", "tokens"))]
ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"))
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
