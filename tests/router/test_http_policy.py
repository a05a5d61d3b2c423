"""The seed's HTTP conventions: security headers on every answer (HSTS only over TLS), CORS for the configured
origins with the seed's allowed headers, and /api/v2/health in the envelope. The app is driven in-process (these
answers need no other service)."""
from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from services.router.edge.app import create_app
from services.router.settings import Settings
from services.runtime.config import ConfigError, load_settings


def _client(base_url: str, **settings) -> httpx.AsyncClient:
    app = create_app(load_settings(Settings, env="test", tier=3, **settings))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


async def test_health_in_the_envelope_with_security_headers():
    async with _client("http://radiant.test") as http:
        r = await http.get("/api/v2/health")
        assert r.status_code == 200
        data = r.json()["data"]
        assert data["status"] == "healthy" and data["environment"] == "test" and data["tier"] == 3
        assert datetime.fromisoformat(data["timestamp"].replace("Z", "+00:00")).tzinfo is not None
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
        assert "strict-transport-security" not in r.headers  # plain HTTP: HSTS would mean nothing
        missing = await http.get("/api/v2/nothing-here", headers={"Origin": "https://console.example.org"})
        assert missing.status_code == 404 and missing.headers["x-frame-options"] == "DENY"  # errors too
        assert "access-control-allow-origin" not in missing.headers  # no CORS unless configured


async def test_hsts_over_tls():
    async with _client("https://radiant.test") as http:
        r = await http.get("/api/v2/health")
        assert r.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


async def test_cors_for_allowed_origins_only():
    async with _client("http://radiant.test", cors_allowed_origins="https://console.example.org, "
                                                                   "https://admin.example.org") as http:
        pre = await http.options("/api/v2/admin/users", headers={
            "Origin": "https://console.example.org", "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "Authorization, X-API-Key, X-Tenant-Id, Content-Type"})
        assert pre.status_code == 200
        assert pre.headers["access-control-allow-origin"] == "https://console.example.org"
        allowed = {h.strip().lower() for h in pre.headers["access-control-allow-headers"].split(",")}
        assert {"content-type", "authorization", "x-api-key", "x-tenant-id"} <= allowed
        assert "PATCH" in pre.headers["access-control-allow-methods"]
        r = await http.get("/api/v2/health", headers={"Origin": "https://admin.example.org"})
        assert r.headers["access-control-allow-origin"] == "https://admin.example.org"
        assert "x-request-id" in r.headers["access-control-expose-headers"].lower()
        r = await http.get("/api/v2/health", headers={"Origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in r.headers
        bad = await http.options("/api/v2/health", headers={"Origin": "https://evil.example.com",
                                                             "Access-Control-Request-Method": "GET"})
        assert bad.status_code == 400


async def test_with_cors_a_preflight_is_answered_outside_the_request_context_and_refusals_carry_cors():
    """CORS sits inside the security headers and outside the request context: a preflight gets the security
    headers but no request id (nothing below CORS ran), while what the edge itself refuses (413) carries CORS, the
    security headers and the request id."""
    async with _client("http://radiant.test", cors_allowed_origins="https://console.example.org",
                       max_body_bytes=1024) as http:
        origin = {"Origin": "https://console.example.org"}
        pre = await http.options("/v1/chat/completions", headers={**origin, "Access-Control-Request-Method": "POST"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://console.example.org"
        assert pre.headers["x-content-type-options"] == "nosniff" and "x-request-id" not in pre.headers
        big = await http.post("/v1/chat/completions", content=b"x" * 2048,
                              headers={**origin, "content-type": "application/json", "x-request-id": "req-413"})
        assert big.status_code == 413 and big.json()["error"]["type"]
        assert big.headers["access-control-allow-origin"] == "https://console.example.org"
        assert big.headers["x-frame-options"] == "DENY" and big.headers["x-request-id"] == "req-413"
        page = await http.get("/console", headers=origin)
        assert page.headers["access-control-allow-origin"] == "https://console.example.org"
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        assert page.headers["x-content-type-options"] == "nosniff" and page.headers["x-request-id"]


def test_cors_origins_are_checked():
    with pytest.raises(ConfigError) as exc:
        load_settings(Settings, env="test", cors_allowed_origins="console.example.org")
    assert "RADIANT_CORS_ALLOWED_ORIGINS" in str(exc.value) and "not an origin" in str(exc.value)
    assert load_settings(Settings, env="test", cors_allowed_origins='["*"]').cors_allowed_origins == ["*"]
