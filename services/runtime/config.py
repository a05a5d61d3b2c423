"""Settings from the environment (RADIANT_ prefix), validated at start with messages naming the bad variable."""
from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "RADIANT_"


class ConfigError(SystemExit):
    """Raised at start when the environment is invalid; its text names each bad variable."""


class BaseServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", case_sensitive=False)

    env: Literal["dev", "test", "staging", "prod"] = "dev"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    grpc_host: str = "127.0.0.1"
    grpc_port: int = Field(50051, ge=0, le=65535)
    # 0 disables the standalone Prometheus endpoint of a gRPC service.
    metrics_port: int = Field(0, ge=0, le=65535)
    database_url: str = "sqlite+aiosqlite:///./radiant.db"
    db_auto_migrate: bool = True
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Default deadline for outgoing gRPC calls that do not set one.
    grpc_deadline_ms: int = Field(2000, ge=10, le=600_000)
    shutdown_grace_seconds: float = Field(5.0, ge=0, le=300)
    # Traces: none (no spans recorded), console, or otlp (OpenTelemetry protocol to a collector).
    otel_exporter: Literal["none", "console", "otlp"] = "none"
    # OTLP collector endpoint; empty = the exporter's default (or OTEL_EXPORTER_OTLP_ENDPOINT). gRPC:
    # http://collector:4317 (http:// = no TLS); http/protobuf: http://collector:4318/v1/traces.
    otel_endpoint: str = ""
    otel_protocol: Literal["grpc", "http/protobuf"] = "grpc"
    # Share of new traces recorded (a trace started upstream keeps its caller's decision).
    otel_sample_ratio: float = Field(1.0, ge=0, le=1)
    # The tenant as a metric label (off: the label stays empty, for deployments with very many tenants).
    metrics_tenant_label: bool = True
    # How often a service re-checks its own dependencies for the gRPC health service.
    health_interval_seconds: float = Field(2.0, gt=0, le=60)

    # Redis Stream carrying usage events from routers to metering (durable, consumed in batches).
    usage_stream: str = "radiant:usage:events"
    # Redis Stream carrying request-log records from routers to metering (its own consumer group).
    request_log_stream: str = "radiant:requests:events"

    # Service-to-service authentication (services/runtime/service_auth.py): servers accept only calls with a valid
    # service token, and a principal token for calls made on a request's behalf. Off only behind another layer that
    # authenticates every pod (e.g. a mesh with mTLS and authorization policies).
    internal_auth: bool = True

    auth_addr: str = "127.0.0.1:50051"
    phi_addr: str = "127.0.0.1:50052"
    registry_addr: str = "127.0.0.1:50053"
    metering_addr: str = "127.0.0.1:50054"


S = TypeVar("S", bound=BaseSettings)


def load_settings(cls: type[S], **overrides: object) -> S:
    """Instantiate settings; on error raise ConfigError naming each variable (never echoing secret values)."""
    try:
        return cls(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "?"
            var = PREFIX + field.upper()
            annotation = cls.model_fields.get(field)
            secret = annotation is not None and annotation.annotation in (SecretStr, SecretStr | None)
            got = "" if secret or err.get("input") is None or isinstance(err.get("input"), dict) else f" (got {err['input']!r})"
            lines.append(f"{var}: {err['msg']}{got}")
        raise ConfigError("Invalid configuration:\n  " + "\n  ".join(lines)) from None
