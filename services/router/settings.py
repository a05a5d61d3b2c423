from __future__ import annotations

import json
from typing import Literal

from pydantic import Field, field_validator

from services.metering.admission.settings import AdmissionSettings
from services.runtime.config import BaseServiceSettings


class Settings(BaseServiceSettings, AdmissionSettings):
    grpc_port: int = Field(50050, ge=0, le=65535)
    http_host: str = "127.0.0.1"
    http_port: int = Field(8080, ge=0, le=65535)
    # Serve the REST edge over HTTPS with this certificate chain and key (PEM); both or neither.
    http_tls_cert_file: str = ""
    http_tls_key_file: str = ""
    # Deadline for the PHI service; past it the request fails closed (503).
    phi_timeout_ms: int = Field(2000, ge=10, le=60_000)
    # Where prompts are sanitized: "service" asks phi's Sanitize RPC; "library" runs phi's detector in this process
    # with the tenant's policy from phi (kept under phi's cache rules) and hands the mappings to phi in batches.
    phi_mode: Literal["service", "library"] = "service"
    # Library mode: how long a tenant's PHI policy is kept (dropped at once when phi announces a change).
    phi_policy_cache_seconds: float = Field(5.0, ge=0, le=300)
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
    # At most this many requests are held per cold model on one router; more get 503 + Retry-After at once.
    warmup_max_held_per_model: int = Field(64, ge=1, le=100_000)
    # A held stream sends a keep-alive (SSE comment / Anthropic ping) this often until the first token.
    warmup_keepalive_seconds: float = Field(10.0, gt=0, le=300)
    # Models and providers are cached this long (the registry is the source of truth).
    registry_cache_seconds: float = Field(5.0, ge=0, le=3600)
    # Authentication decisions cached this long (0 disables); revocations evict them at once via Redis pub/sub.
    edge_auth_cache_seconds: float = Field(2.0, ge=0, le=300)
    # Where admission (rate limits, token quotas, budgets) is checked: "library" runs metering's admission script from
    # this process on metering's Redis keys (one Redis round trip); "metering" asks metering's Admit RPC (a gRPC hop).
    admission_mode: Literal["library", "metering"] = "library"
    # Larger request bodies are refused with 413 before they are read.
    max_body_bytes: int = Field(8 * 1024 * 1024, ge=1024)
    # One request-log record per inference request, sent to metering through RADIANT_REQUEST_LOG_STREAM (off: none).
    request_log_enabled: bool = True
    # Usage events and request-log records wait up to this long for a batch to gather (one Redis round trip for
    # many); an event that settles an admission reservation goes out at once.
    record_linger_seconds: float = Field(0.2, ge=0, le=5)
    # Deployment tier (1-5, as in terraform's `tier`), reported by /api/v2/health.
    tier: int = Field(1, ge=1, le=5)
    # Browser origins allowed by CORS (JSON list or comma-separated; "*" for any). Empty: no CORS headers at all.
    cors_allowed_origins: list[str] = Field(default_factory=list)
    # GraphQL (/graphql): whether the schema may be introspected, and the bounds on one document (nesting depth,
    # estimated cost in lookups, aliases, tokens) checked before anything runs.
    graphql_introspection: bool = True
    graphql_max_depth: int = Field(8, ge=2, le=64)
    graphql_max_cost: int = Field(1000, ge=10, le=1_000_000)
    graphql_max_aliases: int = Field(15, ge=1, le=1000)
    graphql_max_tokens: int = Field(2000, ge=50, le=100_000)

    @field_validator("cors_allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [o.strip() for o in value.split(",") if o.strip()]
        return value

    @field_validator("cors_allowed_origins")
    @classmethod
    def _origins_shape(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not origin.startswith(("https://", "http://")):
                raise ValueError(f"{origin!r} is not an origin (scheme://host[:port]) or '*'")
        return [o.rstrip("/") for o in value]
