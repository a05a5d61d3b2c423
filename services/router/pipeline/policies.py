"""Tenant policies (the seed's tenant settings), enforced before anything leaves the router: default model, allowed
providers, allowed/blocked models, max tokens per request and the model's context window.

Provider and model restrictions answer 403 FORBIDDEN with the reason; token limits answer 400 VALIDATION_ERROR naming
the field. Names in the settings match a provider by id or name and a model by name or id; a name that matches
nothing allows nothing (an allow-list naming only unknown providers blocks every model)."""
from __future__ import annotations

import orjson

from radiant.auth.v1 import auth_pb2
from radiant.registry.v1 import registry_pb2
from services.router.pipeline import tokens
from services.router.pipeline.auth_cache import AuthCache
from services.router.pipeline.upstreams import Upstreams
from services.router.formats.openai_schemas import ChatCompletionRequest
from services.runtime.errors import ForbiddenError, ValidationError
from services.runtime.grpc_client import call

# The model name that asks for the tenant's default model (an empty name does too).
DEFAULT_MODEL_ALIAS = "default"


async def tenant_settings(auth_cache: AuthCache, upstreams: Upstreams, tenant_id: str) -> auth_pb2.TenantSettings:
    """The settings delivered with the tenant's latest authentication (no hop); read from auth only when this router
    has none for the tenant (e.g. a tenant change evicted them between authentication and this request)."""
    settings = auth_cache.tenant_settings(tenant_id)
    if settings is None:
        tenant = await call(upstreams.auth.GetTenant(auth_pb2.GetTenantRequest(id=tenant_id)), "auth")
        settings = tenant.settings
    return settings


def resolve_model(settings: auth_pb2.TenantSettings, requested: str) -> str:
    """The model to serve: the requested one, or the tenant's default for an empty name or "default"."""
    if requested and requested != DEFAULT_MODEL_ALIAS:
        return requested
    if not settings.default_model:
        raise ValidationError("model: name a model; this tenant has no default model configured",
                              details={"model": ["is required (no tenant default model)"]})
    return settings.default_model


def _provider_denial(settings: auth_pb2.TenantSettings, provider: registry_pb2.Provider) -> str | None:
    allowed = settings.allowed_providers
    if allowed and provider.id not in allowed and provider.name not in allowed:
        return f"The provider '{provider.name or provider.id}' is not allowed for this tenant"
    return None


def _model_denial(settings: auth_pb2.TenantSettings, model: registry_pb2.Model) -> str | None:
    if model.name in settings.blocked_models or model.id in settings.blocked_models:
        return f"The model '{model.name}' is blocked for this tenant"
    allowed = settings.allowed_models
    if allowed and model.name not in allowed and model.id not in allowed:
        return f"The model '{model.name}' is not in this tenant's allowed models"
    return None


def allowed_model(settings: auth_pb2.TenantSettings, model: registry_pb2.Model,
                  provider: registry_pb2.Provider) -> bool:
    """Whether the tenant may use this model (for model listings: show only what the tenant may call)."""
    return _model_denial(settings, model) is None and _provider_denial(settings, provider) is None


def check_access(settings: auth_pb2.TenantSettings, model: registry_pb2.Model,
                 provider: registry_pb2.Provider) -> None:
    reason = _model_denial(settings, model) or _provider_denial(settings, provider)
    if reason:
        raise ForbiddenError(reason)


def enforce(settings: auth_pb2.TenantSettings, req: ChatCompletionRequest, model: registry_pb2.Model,
            provider: registry_pb2.Provider, messages: list[dict]) -> int | None:
    """Raise on any violation; return the max_tokens to send upstream. The tenant's per-request cap applies when the
    client set none (trimmed to what the context window leaves, since the client did not ask for it)."""
    check_access(settings, model, provider)
    field = "max_completion_tokens" if req.max_completion_tokens else "max_tokens"
    requested = req.max_completion_tokens or req.max_tokens
    cap = settings.max_tokens_per_request
    if cap and requested and requested > cap:
        raise ValidationError(f"{field}: {requested} exceeds this tenant's limit of {cap} tokens per request",
                              details={field: [f"must be at most {cap} (tenant limit)"]})
    if cap and not requested and model.max_output_tokens:
        cap = min(cap, model.max_output_tokens)
    if not model.context_window:
        return requested or cap or None
    window = model.context_window
    # A token is at least one byte, so the JSON size bounds the prompt's tokens from above (its quotes and braces
    # outweigh the per-message framing tokens): most requests fit by that bound and skip the tokenizer.
    if len(orjson.dumps(messages)) + (requested or cap) <= window:
        return requested or cap or None
    prompt = tokens.count_prompt(messages)
    if prompt >= window:
        raise ValidationError(f"messages: about {prompt} prompt tokens do not fit the context window of "
                              f"'{model.name}' ({window} tokens)",
                              details={"messages": [f"about {prompt} tokens; the model's context window is {window}"]})
    if requested and prompt + requested > window:
        raise ValidationError(f"{field}: about {prompt} prompt tokens plus {requested} requested tokens exceed the "
                              f"context window of '{model.name}' ({window} tokens)",
                              details={field: [f"must be at most {window - prompt} for this prompt"]})
    if requested:
        return requested
    return min(cap, window - prompt) if cap else None
