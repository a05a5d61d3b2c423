from __future__ import annotations

from pydantic import Field

from services.runtime.config import BaseServiceSettings


class Settings(BaseServiceSettings):
    grpc_port: int = Field(50050, ge=0, le=65535)
    http_host: str = "127.0.0.1"
    http_port: int = Field(8080, ge=0, le=65535)
    # Serve the REST edge over HTTPS with this certificate chain and key (PEM); both or neither.
    http_tls_cert_file: str = ""
    http_tls_key_file: str = ""
    # Deadline for the PHI service; past it the request fails closed (503).
    phi_timeout_ms: int = Field(2000, ge=10, le=60_000)
    provider_timeout_seconds: float = Field(120.0, gt=0, le=3600)
    provider_connect_timeout_seconds: float = Field(5.0, gt=0, le=60)
    # Retries of retryable provider failures (429, 5xx, timeouts, connection errors), per model, before the first
    # streamed byte only: exponential backoff with full jitter between attempts.
    provider_max_attempts: int = Field(3, ge=1, le=10)
    provider_retry_base_seconds: float = Field(0.25, ge=0, le=60)
    provider_retry_max_seconds: float = Field(4.0, ge=0, le=300)
    # A provider's Retry-After up to this is waited for; a longer one is not (fallback, or 429 to the client).
    provider_retry_after_cap_seconds: float = Field(10.0, ge=0, le=600)
    # Circuit breaker per provider endpoint: opens after this many consecutive failures, probes after the cool-down.
    circuit_failure_threshold: int = Field(5, ge=1, le=1000)
    circuit_cooldown_seconds: float = Field(30.0, gt=0, le=3600)
    # Cold self-hosted models: hold a request up to this long for a replica (0 = answer 503 with Retry-After at once),
    # asking the registry every warmup_poll_seconds; default_warmup_seconds when the model names no warm-up time.
    warmup_hold_seconds: float = Field(0.0, ge=0, le=900)
    warmup_poll_seconds: float = Field(2.0, gt=0, le=60)
    default_warmup_seconds: int = Field(300, ge=1, le=3600)
    # Models and providers are cached this long (the registry is the source of truth).
    registry_cache_seconds: float = Field(5.0, ge=0, le=3600)
    # Authentication decisions cached this long (0 disables); revocations evict them at once via Redis pub/sub.
    edge_auth_cache_seconds: float = Field(2.0, ge=0, le=300)
    # Larger request bodies are refused with 413 before they are read.
    max_body_bytes: int = Field(8 * 1024 * 1024, ge=1024)
    # One request-log record per inference request, sent to metering through RADIANT_REQUEST_LOG_STREAM (off: none).
    request_log_enabled: bool = True
