"""Read views of the registry for the REST edge: whole listings (the registry pages them), OpenAI model objects, the
seed's model and provider shapes, and the one place that decides which models a tenant may see."""
from __future__ import annotations

import asyncio
from collections.abc import Callable

from radiant.common.v1 import common_pb2
from radiant.registry.v1 import registry_pb2
from services.registry import enums
from services.router.pipeline import policies
from services.router.pipeline.core import Pipeline
from services.router.pipeline.upstreams import Upstreams
from services.runtime.errors import NotFoundError
from services.runtime.grpc_client import call
from services.runtime.timeutil import from_ts

_PAGE = 500
Access = Callable[[registry_pb2.Model, registry_pb2.Provider], bool]


async def all_models(up: Upstreams, **filters) -> list[registry_pb2.Model]:
    """Every model matching the registry filters (ListModelsRequest fields)."""
    models: list[registry_pb2.Model] = []
    token = ""
    while True:
        resp = await call(up.registry.ListModels(registry_pb2.ListModelsRequest(
            page=common_pb2.PageRequest(page_size=_PAGE, page_token=token), **filters)), "registry")
        models.extend(resp.models)
        token = resp.page.next_page_token
        if not token:
            return models


async def all_providers(up: Upstreams, **filters) -> dict[str, registry_pb2.Provider]:
    """Every provider matching the registry filters (ListProvidersRequest fields), by id."""
    providers: dict[str, registry_pb2.Provider] = {}
    token = ""
    while True:
        resp = await call(up.registry.ListProviders(registry_pb2.ListProvidersRequest(
            page=common_pb2.PageRequest(page_size=_PAGE, page_token=token), **filters)), "registry")
        providers.update((p.id, p) for p in resp.providers)
        token = resp.page.next_page_token
        if not token:
            return providers


async def tenant_access(pipeline: Pipeline, principal: common_pb2.Principal) -> Access:
    """Which models the caller's tenant may use (its allowed/blocked models and allowed providers)."""
    settings = await policies.tenant_settings(pipeline.auth_cache, pipeline.up, principal.tenant_id)
    return lambda model, provider: policies.allowed_model(settings, model, provider)


async def visible_models(pipeline: Pipeline, principal: common_pb2.Principal, **filters) -> list[registry_pb2.Model]:
    """The models matching the registry filters that the caller's tenant may use (every status)."""
    models, providers = await asyncio.gather(all_models(pipeline.up, **filters), all_providers(pipeline.up))
    may_use = await tenant_access(pipeline, principal)
    return [m for m in models if m.provider_id in providers and may_use(m, providers[m.provider_id])]


async def visible_model(pipeline: Pipeline, principal: common_pb2.Principal, model_id: str) -> registry_pb2.Model:
    """One model by id, as unknown (404) when the caller's tenant may not use it."""
    model = await registry_get(pipeline.up.registry.GetModel, registry_pb2.GetModelRequest(id=model_id), "Model",
                               model_id)
    provider = await pipeline.catalog.provider(model.provider_id)
    may_use = await tenant_access(pipeline, principal)
    if not may_use(model, provider):
        raise NotFoundError(f"Model '{model_id}' not found", details={"id": ["unknown model"]})
    return model


async def provider(pipeline: Pipeline, provider_id: str) -> registry_pb2.Provider:
    return await registry_get(pipeline.up.registry.GetProvider, registry_pb2.GetProviderRequest(id=provider_id),
                              "Provider", provider_id)


async def registry_get(rpc, request, what: str, key: str):
    try:
        return await call(rpc(request), "registry")
    except NotFoundError:
        raise NotFoundError(f"{what} '{key}' not found", details={"id": [f"unknown {what.lower()}"]}) from None


def callable_now(model: registry_pb2.Model, provider: registry_pb2.Provider | None) -> bool:
    """Whether chat requests can reach this model (an active model of an active provider)."""
    return (model.status == registry_pb2.STATUS_ACTIVE and provider is not None
            and provider.status == registry_pb2.STATUS_ACTIVE)


def openai_model(model: registry_pb2.Model, provider: registry_pb2.Provider) -> dict:
    """OpenAI's model object, plus what a person choosing a model needs (SDKs keep extra fields)."""
    return {"id": model.name, "object": "model", "created": model.created_at.seconds,
            "owned_by": provider.name or provider.id, "display_name": model.display_name,
            "description": model.description, "capabilities": list(model.capabilities)}


def _iso(ts) -> str | None:
    dt = from_ts(ts)
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def _text(value: str) -> str | None:
    return value or None


def _enum(mapping: enums.EnumMap, value: int) -> str | None:
    return mapping.to_db_map.get(value)


def seed_model(m: registry_pb2.Model) -> dict:
    """The seed's transformModel (models handler)."""
    p = m.pricing
    thermal = None
    if m.HasField("thermal_config"):
        c = m.thermal_config
        thermal = {"state": _enum(enums.THERMAL_STATE, c.state), "minInstances": c.min_instances,
                   "maxInstances": c.max_instances, "scaleToZeroAfterMinutes": c.scale_to_zero_after_minutes,
                   "warmupTimeSeconds": c.warmup_time_seconds}
    return {
        "id": m.id, "providerId": m.provider_id, "name": m.name, "displayName": m.display_name,
        "description": _text(m.description), "type": _enum(enums.PROVIDER_TYPE, m.type),
        "specialty": _text(m.specialty), "capabilities": list(m.capabilities),
        "contextWindow": m.context_window or None, "maxOutputTokens": m.max_output_tokens or None,
        "supportsFunctions": m.supports_functions, "supportsVision": m.supports_vision,
        "supportsStreaming": m.supports_streaming, "hasThinkingMode": m.has_thinking_mode,
        "thinkingBudgetTokens": m.thinking_budget_tokens or None,
        # Prices are decimal strings (USD per million tokens or per unit): money is never a float.
        "pricing": {"inputTokens": _text(p.input_per_million), "outputTokens": _text(p.output_per_million),
                    "perImage": _text(p.per_image), "perMinuteAudio": _text(p.per_minute_audio),
                    "perMinuteVideo": _text(p.per_minute_video), "per3DModel": _text(p.per_3d_model),
                    "billedMarkup": _text(p.billed_markup)},
        "thermalState": _enum(enums.THERMAL_STATE, m.thermal_state), "thermalConfig": thermal,
        "status": _enum(enums.STATUS, m.status), "releaseDate": _text(m.release_date),
        "deprecationDate": _text(m.deprecation_date), "createdAt": _iso(m.created_at),
        "updatedAt": _iso(m.updated_at),
    }


def seed_model_summary(m: registry_pb2.Model) -> dict:
    """The seed's provider-models item."""
    return {"id": m.id, "name": m.name, "displayName": m.display_name, "specialty": _text(m.specialty),
            "status": _enum(enums.STATUS, m.status), "thermalState": _enum(enums.THERMAL_STATE, m.thermal_state)}


def seed_provider(p: registry_pb2.Provider) -> dict:
    """The seed's transformProvider. Neither the provider's config nor its credential's name is shown."""
    return {"id": p.id, "name": p.name, "type": _enum(enums.PROVIDER_TYPE, p.type),
            "status": _enum(enums.STATUS, p.status), "hipaaCompliant": p.hipaa_compliant,
            "baaAvailable": p.baa_available, "baseUrl": _text(p.base_url),
            "authType": _enum(enums.AUTH_TYPE, p.auth_type), "capabilities": list(p.capabilities),
            "createdAt": _iso(p.created_at), "updatedAt": _iso(p.updated_at)}
