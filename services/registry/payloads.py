"""Checks on the Provider / Model payloads of CreateProvider and CreateModel: every problem names its field (all
reported at once), output-only fields are ignored, defaults follow the seed catalogue's. Returns table rows."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from google.protobuf.json_format import MessageToDict
from radiant.registry.v1 import registry_pb2 as pb

from services.registry import catalogue, enums
from services.registry.validation import MAX_FALLBACKS, Problems, _enum, _thermal_config, credential_ref
from services.runtime.errors import ValidationError
from services.runtime.pricing import PRICE_FIELDS, normalize_pricing

_PROVIDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
# Model names as providers spell them: "gpt-4o", "anthropic.claude-3-5-sonnet-20240620-v1:0", "meta-llama/Llama-3.1-8B".
_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:./@+\-]{0,255}")
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NEEDS_URL = (pb.API_FORMAT_OPENAI, pb.API_FORMAT_ANTHROPIC, pb.API_FORMAT_AZURE_OPENAI)
MAX_DISPLAY_NAME = 200
MAX_DESCRIPTION = 2000
MAX_LABELS = 50


def _labels(problems: Problems, values, field: str) -> list[str]:
    values = list(values)
    if len(values) > MAX_LABELS:
        problems.add(field, f"at most {MAX_LABELS} entries")
    bad = [v for v in values if not _LABEL.fullmatch(v)]
    if bad:
        problems.add(field, "entries must be 1-64 letters, digits, '_', '.', ':' or '-'")
    return list(dict.fromkeys(values))


def _text(problems: Problems, value: str, field: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        problems.add(field, f"must be at most {limit} characters")
    return value


def _url(problems: Problems, value: str, field: str) -> str | None:
    url = value.strip()
    parsed = urlparse(url)
    if url and (parsed.scheme not in ("http", "https") or not parsed.netloc):
        problems.add(field, "must be an http:// or https:// URL")
    return url or None


def provider_row(payload: pb.Provider) -> dict[str, Any]:
    problems = Problems()
    name = payload.name.strip()
    if not _PROVIDER_NAME.fullmatch(name):
        problems.add("provider.name", "is required: 1-128 letters, digits, '.', '_' or '-'")
    if not payload.type:
        problems.add("provider.type", "is required (external, self-hosted or mid-tier)")
    if not payload.api_format:
        problems.add("provider.api_format", "is required (the wire format Radiant speaks to the provider)")
    ptype = _enum(problems, enums.PROVIDER_TYPE, payload.type, "provider.type")
    api_format = _enum(problems, enums.API_FORMAT, payload.api_format, "provider.api_format")
    status = _enum(problems, enums.STATUS, payload.status, "provider.status") or "active"
    ref = credential_ref(problems, payload.credential_ref, "provider.credential_ref")
    auth_type = _enum(problems, enums.AUTH_TYPE, payload.auth_type, "provider.auth_type") or (
        "api_key" if ref else "none")
    if auth_type == "api_key" and not ref:
        problems.add("provider.credential_ref", "is required when auth_type is api_key")
    base_url = _url(problems, payload.base_url, "provider.base_url")
    if payload.api_format in _NEEDS_URL and not base_url:
        problems.add("provider.base_url", "is required for this api_format")
    row = dict(id=catalogue.provider_id(name), name=name, type=ptype, status=status,
               hipaa_compliant=payload.hipaa_compliant, baa_available=payload.baa_available, base_url=base_url,
               auth_type=auth_type, capabilities=_labels(problems, payload.capabilities, "provider.capabilities"),
               config=MessageToDict(payload.config) if payload.HasField("config") else {}, api_format=api_format,
               credential_ref=ref)
    problems.raise_any()
    return row


def model_row(payload: pb.Model, provider_type: str) -> dict[str, Any]:
    """provider_type: the type of the provider named by provider_id (the model's default type)."""
    problems = Problems()
    name = payload.name.strip()
    if not _MODEL_NAME.fullmatch(name):
        problems.add("model.name", "is required: a model name of letters, digits and '_:./@+-' (at most 256)")
    display = _text(problems, payload.display_name, "model.display_name", MAX_DISPLAY_NAME) or name
    for field in ("context_window", "max_output_tokens", "thinking_budget_tokens"):
        if getattr(payload, field) < 0:
            problems.add(f"model.{field}", "must be >= 0")
    try:
        pricing = normalize_pricing({f: getattr(payload.pricing, f) for f in PRICE_FIELDS}, "model.pricing")
    except ValidationError as exc:
        problems.merge(exc)
        pricing = {}
    thermal_state = _enum(problems, enums.THERMAL_STATE, payload.thermal_state, "model.thermal_state")
    thermal_config = None
    if payload.HasField("thermal_config"):
        thermal_config = _thermal_config(problems, payload.thermal_config)
        thermal_config["state"] = thermal_config["state"] or thermal_state
        thermal_state = thermal_state or thermal_config["state"]
    for field in ("release_date", "deprecation_date"):
        value = getattr(payload, field).strip()
        if value and not _DATE.fullmatch(value):
            problems.add(f"model.{field}", "must be a date, YYYY-MM-DD")
    chain = [n.strip() for n in payload.fallback_models]
    if len(chain) > MAX_FALLBACKS or len(set(chain)) != len(chain) or not all(chain):
        problems.add("model.fallback_models", f"at most {MAX_FALLBACKS} distinct, non-empty model names")
    if name in chain:
        problems.add("model.fallback_models", "must not include the model itself")
    deployment = payload.deployment
    row = dict(
        id=catalogue.model_id(name), provider_id=payload.provider_id, name=name, display_name=display,
        description=_text(problems, payload.description, "model.description", MAX_DESCRIPTION) or None,
        type=_enum(problems, enums.PROVIDER_TYPE, payload.type, "model.type") or provider_type,
        specialty=_text(problems, payload.specialty, "model.specialty", 64) or "general",
        capabilities=_labels(problems, payload.capabilities, "model.capabilities") or ["chat"],
        context_window=payload.context_window or None, max_output_tokens=payload.max_output_tokens or None,
        supports_functions=payload.supports_functions, supports_vision=payload.supports_vision,
        supports_streaming=payload.supports_streaming, has_thinking_mode=payload.has_thinking_mode,
        thinking_budget_tokens=payload.thinking_budget_tokens or None, pricing=pricing,
        thermal_state=thermal_state, thermal_config=thermal_config,
        status=_enum(problems, enums.STATUS, payload.status, "model.status") or "active",
        release_date=payload.release_date.strip() or None, deprecation_date=payload.deprecation_date.strip() or None,
        upstream_model=_text(problems, payload.upstream_model, "model.upstream_model", 256) or None,
        deployment_kind=_enum(problems, enums.DEPLOYMENT_KIND, deployment.kind, "model.deployment.kind") or "none",
        deployment_name=_text(problems, deployment.name, "model.deployment.name", 256) or None,
        deployment_namespace=_text(problems, deployment.namespace, "model.deployment.namespace", 256) or None,
        deployment_instance_type=_text(problems, deployment.instance_type, "model.deployment.instance_type",
                                       64) or None,
        observed=None, fallback_models=chain)
    if row["deployment_kind"] != "none" and not row["deployment_name"]:
        problems.add("model.deployment.name", "is required for a Kubernetes or SageMaker deployment")
    problems.raise_any()
    return row
