"""Liveness, readiness (every dependency; provider circuit breakers), version and Prometheus metrics."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter, Depends, Request, Response
from services.router.edge.responses import JSON
from grpc_health.v1 import health_pb2
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.router.edge import deps

router = APIRouter()

try:
    VERSION = version("radiant-gateway")
except PackageNotFoundError:  # running from a source tree without install
    VERSION = "0.0.0+local"


@router.get("/healthz")
async def healthz():
    return JSON({"status": "ok"})


async def _check(stub) -> dict:
    started = time.perf_counter()
    try:
        resp = await stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1.0)
    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy"
        return {"status": "unhealthy", "error": type(exc).__name__}
    healthy = resp.status == health_pb2.HealthCheckResponse.SERVING
    out = {"status": "healthy" if healthy else "unhealthy",
           "latencyMs": round((time.perf_counter() - started) * 1000, 2)}
    if not healthy:
        out["error"] = health_pb2.HealthCheckResponse.ServingStatus.Name(resp.status)
    return out


async def _check_redis(redis) -> dict:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(redis.ping(), timeout=1.0)
    except Exception as exc:  # noqa: BLE001
        return {"status": "unhealthy", "error": type(exc).__name__}
    return {"status": "healthy", "latencyMs": round((time.perf_counter() - started) * 1000, 2)}


@router.get("/readyz")
async def readyz(request: Request):
    body, ready = await _readiness(request.app.state.pipeline)
    return JSON(body, status_code=200 if ready else 503)


async def _readiness(pipeline) -> tuple[dict, bool]:
    stubs = pipeline.up.health
    results = await asyncio.gather(*(_check(stub) for stub in stubs.values()), _check_redis(pipeline.usage.redis))
    checks = dict(zip([*stubs, "redis"], results))
    ready = all(c["status"] == "healthy" for c in checks.values())
    # A provider whose circuit is open degrades the router but does not make it unready: other providers (and the
    # fallback chains) still serve, and taking replicas out of rotation would not bring the provider back.
    providers = pipeline.resilience.breakers()
    tripped = sorted({b["provider"] for b in providers if b["state"] != "closed"})
    body = {"status": "unready" if not ready else "degraded" if tripped else "ready", "checks": checks,
            "providers": providers}
    if not ready:
        body["failing"] = sorted(name for name, c in checks.items() if c["status"] != "healthy")
    if tripped:
        body["degradedProviders"] = tripped
    return body, ready


@router.get("/api/v2/health")
async def health(request: Request):
    """The seed's health check, in the envelope (no credentials needed)."""
    from services.router.edge.v2 import envelope
    started = time.perf_counter()
    settings = request.app.state.settings
    return envelope({"status": "healthy", "timestamp": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
                     "environment": settings.env, "tier": settings.tier}, started)


@router.get("/api/v2/health/ready")
async def health_ready(request: Request, principal=Depends(deps.allow("health.read"))):
    """Every dependency's state and latency (the API-key permission `health`), in the envelope; 503 when one fails."""
    from services.router.edge.v2 import envelope
    started = time.perf_counter()
    body, ready = await _readiness(request.app.state.pipeline)
    return envelope(body, started, status=200 if ready else 503)


@router.get("/version")
async def version_info(request: Request):
    return JSON({"version": VERSION, "apiVersion": "v2", "service": "radiant-router",
                           "environment": request.app.state.settings.env})


@router.get("/metrics")
async def prometheus_metrics():
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
