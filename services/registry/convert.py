"""Database rows -> registry protos."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from google.protobuf.struct_pb2 import Struct
from radiant.registry.v1 import registry_pb2 as pb

from services.registry import enums
from services.registry.models import Model, Provider
from services.runtime.pricing import PRICE_FIELDS
from services.runtime.timeutil import to_ts


def struct_from(data: dict[str, Any] | None) -> Struct:
    s = Struct()
    if data:
        s.update(data)
    return s


def provider_to_pb(row: Provider) -> pb.Provider:
    return pb.Provider(
        id=row.id, name=row.name, type=enums.PROVIDER_TYPE.to_pb(row.type), status=enums.STATUS.to_pb(row.status),
        hipaa_compliant=row.hipaa_compliant, baa_available=row.baa_available, base_url=row.base_url or "",
        auth_type=enums.AUTH_TYPE.to_pb(row.auth_type), capabilities=list(row.capabilities or []),
        config=struct_from(row.config), api_format=enums.API_FORMAT.to_pb(row.api_format),
        credential_ref=row.credential_ref or "", created_at=to_ts(row.created_at), updated_at=to_ts(row.updated_at))


def thermal_config_to_pb(cfg: dict[str, Any] | None) -> pb.ThermalConfig | None:
    if not cfg:
        return None
    return pb.ThermalConfig(
        state=enums.THERMAL_STATE.to_pb(cfg.get("state")), min_instances=int(cfg.get("min_instances") or 0),
        max_instances=int(cfg.get("max_instances") or 0),
        scale_to_zero_after_minutes=int(cfg.get("scale_to_zero_after_minutes") or 0),
        warmup_time_seconds=int(cfg.get("warmup_time_seconds") or 0),
        target_in_flight_per_replica=int(cfg.get("target_in_flight_per_replica") or 0))


def observed_to_pb(obs: dict[str, Any] | None) -> pb.ObservedState | None:
    if not obs:
        return None
    at = obs.get("observed_at")
    return pb.ObservedState(
        ready_replicas=int(obs.get("ready_replicas") or 0), desired_replicas=int(obs.get("desired_replicas") or 0),
        phase=obs.get("phase") or "", message=obs.get("message") or "",
        observed_at=to_ts(datetime.fromisoformat(at)) if at else None)


def model_to_pb(row: Model) -> pb.Model:
    pricing = row.pricing or {}
    return pb.Model(
        id=row.id, provider_id=row.provider_id, name=row.name, display_name=row.display_name,
        description=row.description or "", type=enums.PROVIDER_TYPE.to_pb(row.type), specialty=row.specialty,
        capabilities=list(row.capabilities or []), context_window=row.context_window or 0,
        max_output_tokens=row.max_output_tokens or 0, supports_functions=row.supports_functions,
        supports_vision=row.supports_vision, supports_streaming=row.supports_streaming,
        has_thinking_mode=row.has_thinking_mode, thinking_budget_tokens=row.thinking_budget_tokens or 0,
        pricing=pb.ModelPricing(**{f: str(pricing.get(f, "")) for f in PRICE_FIELDS}),
        thermal_state=enums.THERMAL_STATE.to_pb(row.thermal_state),
        thermal_config=thermal_config_to_pb(row.thermal_config), status=enums.STATUS.to_pb(row.status),
        release_date=row.release_date or "", deprecation_date=row.deprecation_date or "",
        upstream_model=row.upstream_model or "",
        deployment=pb.DeploymentTarget(kind=enums.DEPLOYMENT_KIND.to_pb(row.deployment_kind),
                                       name=row.deployment_name or "", namespace=row.deployment_namespace or "",
                                       instance_type=row.deployment_instance_type or "",
                                       inference_component=row.deployment_inference_component or ""),
        observed=observed_to_pb(row.observed), created_at=to_ts(row.created_at), updated_at=to_ts(row.updated_at),
        fallback_models=list(row.fallback_models or []),
        warmup_requested_at=to_ts(row.warmup_requested_at))
