"""Tenant policy settings (model restrictions, context providers): validation naming the field, storage, and delivery
with every authentication decision (also right after an update, past the decision cache)."""
from __future__ import annotations

import pytest
from radiant.auth.v1 import auth_pb2

from tests.auth.conftest import claims, rpc_error, sign

POLICIES = dict(default_model="radiant-demo", allowed_providers=["demo", "openai"], max_tokens_per_request=2048,
                allowed_models=["radiant-demo", "anthropic.claude-3-5-sonnet-20240620-v1:0", "meta-llama/Llama-3.1-8B"],
                blocked_models=["gpt-4o"], context_providers=["product_catalog"])


async def _key(auth, tenant_id: str) -> str:
    return (await auth.stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="k"))).secret


async def test_policies_are_stored_and_delivered_with_authentication(auth, tenant_id, secrets_never_logged):
    created = await auth.stub.CreateTenant(auth_pb2.CreateTenantRequest(
        id=tenant_id, name="Policy Clinic", settings=auth_pb2.TenantSettings(**POLICIES)))
    assert created.settings == auth_pb2.TenantSettings(**POLICIES)
    secret = await _key(auth, tenant_id)
    secrets_never_logged.append(secret)
    decision = await auth.stub.Authenticate(auth_pb2.AuthenticateRequest(api_key=secret))
    assert decision.principal.tenant_id == tenant_id
    assert decision.tenant_settings == created.settings

    # The decision is cached in auth; an update must still show on the very next authentication.
    changed = auth_pb2.TenantSettings(**{**POLICIES, "blocked_models": ["radiant-demo-large"],
                                         "context_providers": []})
    await auth.stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant_id, settings=changed))
    again = await auth.stub.Authenticate(auth_pb2.AuthenticateRequest(api_key=secret))
    assert list(again.tenant_settings.blocked_models) == ["radiant-demo-large"]
    assert not again.tenant_settings.context_providers


async def test_jwt_decisions_carry_the_tenant_policies_too(auth, tenant_id):
    await auth.stub.CreateTenant(auth_pb2.CreateTenantRequest(
        id=tenant_id, name="Policy Clinic", settings=auth_pb2.TenantSettings(**POLICIES)))
    decision = await auth.stub.Authenticate(auth_pb2.AuthenticateRequest(bearer_token=sign(claims(tenant_id))))
    assert decision.principal.tenant_id == tenant_id
    assert decision.tenant_settings == auth_pb2.TenantSettings(**POLICIES)


async def test_tenant_without_settings_authenticates_with_empty_policies(auth, tenant, secrets_never_logged):
    secret = await _key(auth, tenant.id)
    secrets_never_logged.append(secret)
    decision = await auth.stub.Authenticate(auth_pb2.AuthenticateRequest(api_key=secret))
    assert decision.tenant_settings == auth_pb2.TenantSettings()


@pytest.mark.parametrize("settings,field,needle", [
    ({"max_tokens_per_request": -1}, "settings.max_tokens_per_request", ">= 0"),
    ({"requests_per_minute": -5}, "settings.requests_per_minute", ">= 0"),
    ({"allowed_models": ["ok-model", "bad model name"]}, "settings.allowed_models", "model name"),
    ({"blocked_models": [""]}, "settings.blocked_models", "must not be empty"),
    ({"allowed_models": ["a", "b"], "blocked_models": ["b"]}, "settings.blocked_models", "b also listed"),
    ({"default_model": "gpt-4o", "blocked_models": ["gpt-4o"]}, "settings.default_model", "may use"),
    ({"default_model": "gpt-4o", "allowed_models": ["radiant-demo"]}, "settings.default_model", "may use"),
    ({"default_model": "no spaces allowed"}, "settings.default_model", "model name"),
    ({"context_providers": ["product catalog"]}, "settings.context_providers", "entries must be"),
    ({"allowed_providers": ["open/ai"]}, "settings.allowed_providers", "entries must be"),
])
async def test_invalid_policies_name_the_field(auth, tenant, settings, field, needle):
    for call in (auth.stub.UpdateTenant(auth_pb2.UpdateTenantRequest(
                     id=tenant.id, settings=auth_pb2.TenantSettings(**settings))),
                 auth.stub.CreateTenant(auth_pb2.CreateTenantRequest(
                     name="Invalid", settings=auth_pb2.TenantSettings(**settings)))):
        err = await rpc_error(call)
        assert err.code == "VALIDATION_ERROR"
        assert field in err.details and needle in err.message, (err.message, err.details)
    assert (await auth.stub.GetTenant(auth_pb2.GetTenantRequest(id=tenant.id))).settings == tenant.settings


async def test_unknown_names_are_accepted_and_duplicates_dropped(auth, tenant):
    """Names refer to registry and router entries that may appear later; only their shape is checked."""
    updated = await auth.stub.UpdateTenant(auth_pb2.UpdateTenantRequest(id=tenant.id, settings=auth_pb2.TenantSettings(
        allowed_providers=["future-provider"], allowed_models=["m-1", "m-1", "m-2"],
        context_providers=["not_installed_yet"])))
    assert list(updated.settings.allowed_models) == ["m-1", "m-2"]
    assert list(updated.settings.allowed_providers) == ["future-provider"]
    assert list(updated.settings.context_providers) == ["not_installed_yet"]
