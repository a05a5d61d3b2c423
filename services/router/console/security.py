"""The seed's admin security headers (its CloudFront response-headers policy) on everything under /console, with a
stricter CSP than the seed's: scripts and styles from Radiant only, never inline or eval'd; the browser may talk to
this origin only. Added by the edge's middleware (services.router.edge.middleware)."""
from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"referrer-policy", b"strict-origin-when-cross-origin"),
           (b"x-xss-protection", b"1; mode=block"), (b"cache-control", b"no-store")]
