"""The declarative catalogue: a YAML or JSON file (RADIANT_CATALOGUE_FILE; the chart renders it from Helm values into
a ConfigMap) whose providers and models the registry upserts at start, so a platform team adds a model with
`helm upgrade`, not code.

Entries are keyed by name (ids are uuid5 of the name, as in the seed catalogue, so an entry may also take over a
seeded one). Each row remembers the hash of the entry last applied (`declared_hash`): an entry is written when it is
new or when the file changed it since; otherwise the row is left alone, so a change made at run time (an administrator
switching a model OFF) survives registry restarts until the declaration itself changes. Removing an entry from the
file deletes nothing. What the operator reports (observed state) and warm-up requests are never touched.

Any problem refuses the start with a message naming the file, the entry and the field."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

import orjson
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from services.registry import catalogue
from services.runtime.config import ConfigError
from services.runtime.errors import ValidationError as RadiantValidationError
from services.runtime.pricing import PRICE_FIELDS, normalize_pricing

_NAME = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$"
MAX_INSTANCES = 1000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProviderEntry(_Strict):
    name: str = Field(pattern=_NAME)
    type: Literal["external", "self-hosted", "mid-tier"] = "self-hosted"
    status: Literal["active", "inactive", "deprecated", "coming_soon"] = "active"
    api_format: Literal["openai", "anthropic", "azure-openai", "bedrock", "sagemaker"] = "openai"
    base_url: str | None = None
    auth_type: Literal["api_key", "oauth", "iam", "none"] = "none"
    credential_ref: str | None = None
    hipaa_compliant: bool = True
    baa_available: bool = True
    capabilities: list[str] = Field(default_factory=lambda: ["chat", "streaming"])
    config: dict[str, Any] = Field(default_factory=dict)


class ThermalEntry(_Strict):
    state: Literal["OFF", "COLD", "WARM", "HOT", "AUTOMATIC"] = "COLD"
    min_instances: int = Field(0, ge=0, le=MAX_INSTANCES)
    max_instances: int = Field(1, ge=0, le=MAX_INSTANCES)
    scale_to_zero_after_minutes: int = Field(15, ge=0)
    warmup_time_seconds: int = Field(300, ge=0)
    target_in_flight_per_replica: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _bounds(self) -> "ThermalEntry":
        if self.min_instances > self.max_instances:
            raise ValueError("min_instances must be <= max_instances")
        return self


class DeploymentEntry(_Strict):
    kind: Literal["none", "kubernetes", "sagemaker", "local"] = "kubernetes"
    name: str | None = None
    namespace: str | None = None
    instance_type: str | None = None
    inference_component: str | None = None

    @model_validator(mode="after")
    def _named(self) -> "DeploymentEntry":
        if self.kind != "none" and not self.name:
            raise ValueError(f"a {self.kind} deployment needs a name")
        return self


class ModelEntry(_Strict):
    name: str = Field(pattern=_NAME)
    provider: str
    display_name: str | None = None
    description: str | None = None
    type: Literal["external", "self-hosted", "mid-tier"] = "self-hosted"
    specialty: str = "general"
    status: Literal["active", "inactive", "deprecated", "coming_soon"] = "active"
    capabilities: list[str] = Field(default_factory=lambda: ["chat", "streaming"])
    context_window: int | None = Field(None, ge=1)
    max_output_tokens: int | None = Field(None, ge=1)
    supports_functions: bool = False
    supports_vision: bool = False
    supports_streaming: bool = True
    upstream_model: str | None = None
    pricing: dict[str, str] = Field(default_factory=dict)
    thermal: ThermalEntry | None = None
    deployment: DeploymentEntry = Field(default_factory=lambda: DeploymentEntry(kind="none"))
    fallback_models: list[str] = Field(default_factory=list)


class CatalogueFile(_Strict):
    providers: list[ProviderEntry] = Field(default_factory=list)
    models: list[ModelEntry] = Field(default_factory=list)


def _hash(row: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(row, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _where(loc: tuple) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")


def load(path: str | Path) -> CatalogueFile:
    """Parse and validate the file; ConfigError names every problem."""
    var = "RADIANT_CATALOGUE_FILE"
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"{var}: cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{var}: {path} is not valid YAML or JSON: {exc}") from None
    try:
        parsed = CatalogueFile.model_validate(data)
    except ValidationError as exc:
        lines = [f"{_where(e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(f"{var}: {path} is invalid:\n  " + "\n  ".join(lines)) from None
    problems: list[str] = []
    for kind, entries in (("providers", parsed.providers), ("models", parsed.models)):
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            if entry.name in seen:
                problems.append(f"{kind}[{i}].name: {entry.name!r} is declared twice")
            seen.add(entry.name)
    for i, model in enumerate(parsed.models):
        try:
            model.pricing = normalize_pricing(model.pricing, f"models[{i}].pricing")
        except RadiantValidationError as exc:
            problems.extend(f"{field}: {'; '.join(msgs)}" for field, msgs in exc.details.items())
        unknown = set(model.pricing) - set(PRICE_FIELDS)
        if unknown:
            problems.append(f"models[{i}].pricing: unknown field(s) {', '.join(sorted(unknown))}")
    if problems:
        raise ConfigError(f"{var}: {path} is invalid:\n  " + "\n  ".join(problems))
    return parsed


def provider_row(entry: ProviderEntry) -> dict[str, Any]:
    row = entry.model_dump()
    row["id"] = catalogue.provider_id(entry.name)
    row["declared_hash"] = _hash(entry.model_dump())
    return row


def model_row(entry: ModelEntry) -> dict[str, Any]:
    """The row to store; `provider_name` is resolved to the provider's id by the store."""
    thermal = entry.thermal.model_dump() if entry.thermal else None
    dep = entry.deployment
    return dict(
        id=catalogue.model_id(entry.name), provider_name=entry.provider, name=entry.name,
        display_name=entry.display_name or entry.name, description=entry.description, type=entry.type,
        specialty=entry.specialty, capabilities=entry.capabilities, context_window=entry.context_window,
        max_output_tokens=entry.max_output_tokens, supports_functions=entry.supports_functions,
        supports_vision=entry.supports_vision, supports_streaming=entry.supports_streaming,
        upstream_model=entry.upstream_model, pricing=entry.pricing, status=entry.status,
        thermal_state=thermal["state"] if thermal else None, thermal_config=thermal,
        deployment_kind=dep.kind, deployment_name=dep.name, deployment_namespace=dep.namespace,
        deployment_instance_type=dep.instance_type, deployment_inference_component=dep.inference_component,
        fallback_models=entry.fallback_models, declared_hash=_hash(entry.model_dump()))
