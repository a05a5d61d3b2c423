"""Checks on Update*/ReportObservedState requests: each problem names its field, all problems reported at once."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from google.protobuf.json_format import MessageToDict
from radiant.registry.v1 import registry_pb2 as pb

from services.registry import enums
from services.runtime.pricing import PRICE_FIELDS, normalize_pricing
from services.registry.store import ModelChanges
from services.runtime.errors import ValidationError
from services.runtime.timeutil import from_ts, utcnow

_ENV_VAR = re.compile(r"[A-Z_][A-Z0-9_]{0,127}")
MAX_INSTANCES = 1000
MAX_FALLBACKS = 8


class Problems:
    def __init__(self) -> None:
        self.details: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.details.setdefault(field, []).append(message)

    def merge(self, exc: ValidationError) -> None:
        for field, messages in exc.details.items():
            self.details.setdefault(field, []).extend(messages)

    def raise_any(self) -> None:
        if self.details:
            fields = ", ".join(sorted(self.details))
            raise ValidationError(f"Invalid request: {fields}", details=self.details)


def require_id(value: str, field: str = "id") -> str:
    if not value.strip():
        raise ValidationError(f"{field} is required", details={field: ["is required"]})
    return value


def _enum(problems: Problems, mapping: enums.EnumMap, value: int, field: str) -> str | None:
    if value == 0:
        return None
    try:
        return mapping.to_db(value, field)
    except ValidationError as exc:
        problems.merge(exc)
        return None


def credential_ref(problems: Problems, value: str, field: str = "credential_ref") -> str | None:
    """The name of an environment variable of the router, or secretsmanager:<secret id>[#json key]; never a value."""
    ref = value.strip()
    if ref and not (_ENV_VAR.fullmatch(ref) or (ref.startswith("secretsmanager:") and len(ref) > 15
                                                 and len(ref) <= 256 and " " not in ref)):
        problems.add(field, "must name an environment variable (e.g. RADIANT_OPENAI_API_KEY) or "
                            "secretsmanager:<secret id>[#key], never hold the credential itself")
    return ref or None


def provider_changes(req: pb.UpdateProviderRequest) -> dict[str, Any]:
    require_id(req.id)
    problems = Problems()
    cols: dict[str, Any] = {}
    if (status := _enum(problems, enums.STATUS, req.status, "status")) is not None:
        cols["status"] = status
    if req.HasField("hipaa_compliant"):
        cols["hipaa_compliant"] = req.hipaa_compliant
    if req.HasField("config"):
        cols["config"] = MessageToDict(req.config)
    if req.HasField("base_url"):
        url = req.base_url.strip()
        parsed = urlparse(url)
        if url and (parsed.scheme not in ("http", "https") or not parsed.netloc):
            problems.add("base_url", "must be an http:// or https:// URL (or empty to clear it)")
        cols["base_url"] = url or None
    if req.HasField("baa_available"):
        cols["baa_available"] = req.baa_available
    if req.HasField("credential_ref"):
        cols["credential_ref"] = credential_ref(problems, req.credential_ref)
    problems.raise_any()
    return cols


def _thermal_config(problems: Problems, cfg: pb.ThermalConfig) -> dict[str, Any]:
    out: dict[str, Any] = {"state": _enum(problems, enums.THERMAL_STATE, cfg.state, "thermal_config.state")}
    for name in ("min_instances", "max_instances", "scale_to_zero_after_minutes", "warmup_time_seconds",
                 "target_in_flight_per_replica"):
        value = getattr(cfg, name)
        if value < 0:
            problems.add(f"thermal_config.{name}", "must be >= 0")
        out[name] = value
    if cfg.max_instances > MAX_INSTANCES:
        problems.add("thermal_config.max_instances", f"must be <= {MAX_INSTANCES}")
    if cfg.min_instances > cfg.max_instances:
        problems.add("thermal_config.min_instances", "must be <= thermal_config.max_instances")
    return out


def model_changes(req: pb.UpdateModelRequest) -> ModelChanges:
    require_id(req.id)
    problems = Problems()
    changes = ModelChanges()
    cols = changes.columns
    if (status := _enum(problems, enums.STATUS, req.status, "status")) is not None:
        cols["status"] = status
    if (state := _enum(problems, enums.THERMAL_STATE, req.thermal_state, "thermal_state")) is not None:
        cols["thermal_state"] = state
    if req.HasField("thermal_config"):
        changes.thermal_config = _thermal_config(problems, req.thermal_config)
        cfg_state = changes.thermal_config["state"]
        if state and cfg_state and state != cfg_state:
            problems.add("thermal_config.state", "must match thermal_state when both are set")
    if req.HasField("display_name"):
        name = req.display_name.strip()
        if not name:
            problems.add("display_name", "must not be empty")
        elif len(name) > 256:
            problems.add("display_name", "must be at most 256 characters")
        cols["display_name"] = name
    if req.HasField("description"):
        cols["description"] = req.description or None
    if req.HasField("pricing"):
        try:
            changes.pricing = normalize_pricing({f: getattr(req.pricing, f) for f in PRICE_FIELDS})
        except ValidationError as exc:
            problems.merge(exc)
    if req.HasField("fallback_models"):
        cols["fallback_models"] = _fallback_models(problems, req.fallback_models.names)
    if req.HasField("upstream_model"):
        if len(req.upstream_model.strip()) > 256:
            problems.add("upstream_model", "must be at most 256 characters")
        cols["upstream_model"] = req.upstream_model.strip() or None
    for name in ("context_window", "max_output_tokens"):
        if req.HasField(name):
            if getattr(req, name) < 0:
                problems.add(name, "must be >= 0")
            cols[name] = getattr(req, name) or None
    if req.HasField("deprecation_date"):
        date = req.deprecation_date.strip()
        if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            problems.add("deprecation_date", "must be a date, YYYY-MM-DD")
        cols["deprecation_date"] = date or None
    problems.raise_any()
    return changes


def _fallback_models(problems: Problems, names) -> list[str]:
    """The chain's shape; whether each name exists (and is not the model itself) is checked against the store."""
    chain = [n.strip() for n in names]
    if len(chain) > MAX_FALLBACKS:
        problems.add("fallback_models", f"at most {MAX_FALLBACKS} models")
    if any(not n for n in chain):
        problems.add("fallback_models", "model names must not be empty")
    if len(set(chain)) != len(chain):
        problems.add("fallback_models", "a model may appear only once")
    return chain


def fallback_references(model_name: str, chain: list[str], known: set[str]) -> None:
    problems = Problems()
    if model_name in chain:
        problems.add("fallback_models", f"must not include the model itself ({model_name!r})")
    for name in chain:
        if name != model_name and name not in known:
            problems.add("fallback_models", f"unknown model {name!r}")
    problems.raise_any()


def observed_state(req: pb.ReportObservedStateRequest) -> dict[str, Any]:
    require_id(req.model_id, "model_id")
    if not req.HasField("observed"):
        raise ValidationError("observed is required", details={"observed": ["is required"]})
    obs = req.observed
    problems = Problems()
    for name in ("ready_replicas", "desired_replicas"):
        if getattr(obs, name) < 0:
            problems.add(f"observed.{name}", "must be >= 0")
    if len(obs.phase) > 64:
        problems.add("observed.phase", "must be at most 64 characters")
    if len(obs.message) > 2048:
        problems.add("observed.message", "must be at most 2048 characters")
    problems.raise_any()
    at = from_ts(obs.observed_at) if obs.HasField("observed_at") else None
    return {"ready_replicas": obs.ready_replicas, "desired_replicas": obs.desired_replicas, "phase": obs.phase,
            "message": obs.message, "observed_at": (at or utcnow()).isoformat()}
