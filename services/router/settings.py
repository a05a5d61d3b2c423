from __future__ import annotations

from pydantic import Field

from services.runtime.config import BaseServiceSettings


class Settings(BaseServiceSettings):
    grpc_port: int = Field(50050, ge=0, le=65535)
    http_host: str = "127.0.0.1"
    http_port: int = Field(8080, ge=0, le=65535)
    # Deadline for the PHI service; past it the request fails closed (503).
    phi_timeout_ms: int = Field(2000, ge=10, le=60_000)
    provider_timeout_seconds: float = Field(120.0, gt=0, le=3600)
    provider_connect_timeout_seconds: float = Field(5.0, gt=0, le=60)
    # Models and providers are cached this long (the registry is the source of truth).
    registry_cache_seconds: float = Field(5.0, ge=0, le=3600)
    # Authentication decisions cached this long (0 disables); revocations evict them at once via Redis pub/sub.
    edge_auth_cache_seconds: float = Field(2.0, ge=0, le=300)
    # Larger request bodies are refused with 413 before they are read.
    max_body_bytes: int = Field(8 * 1024 * 1024, ge=1024)
