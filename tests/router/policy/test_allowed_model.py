"""`policies.allowed_model`: what a model listing shows a tenant (and which fallback models may serve it)."""
from __future__ import annotations

import pytest
from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2
from radiant.registry.v1 import registry_pb2

from services.router.pipeline.auth_cache import AuthCache
from services.router.pipeline.policies import allowed_model, tenant_settings
from services.runtime.service_auth import principal_token_var
from tests.grpc_helpers import principal_token

DEMO = registry_pb2.Provider(id="prov-demo", name="demo")
OPENAI = registry_pb2.Provider(id="prov-openai", name="openai")
RADIANT = registry_pb2.Model(id="model-radiant", name="radiant-demo", provider_id=DEMO.id)
GPT = registry_pb2.Model(id="model-gpt", name="gpt-4o", provider_id=OPENAI.id)
MINI = registry_pb2.Model(id="model-mini", name="gpt-4o-mini", provider_id=OPENAI.id)
CATALOGUE = [(RADIANT, DEMO), (GPT, OPENAI), (MINI, OPENAI)]


@pytest.mark.parametrize("settings,visible", [
    ({}, ["radiant-demo", "gpt-4o", "gpt-4o-mini"]),
    ({"allowed_providers": ["openai"]}, ["gpt-4o", "gpt-4o-mini"]),
    ({"allowed_providers": ["prov-demo"]}, ["radiant-demo"]),
    ({"allowed_providers": ["no-such-provider"]}, []),
    ({"allowed_models": ["gpt-4o", "model-radiant"]}, ["radiant-demo", "gpt-4o"]),
    ({"blocked_models": ["gpt-4o-mini"]}, ["radiant-demo", "gpt-4o"]),
    ({"allowed_providers": ["openai"], "allowed_models": ["radiant-demo", "gpt-4o"]}, ["gpt-4o"]),
    ({"allowed_models": ["gpt-4o"], "blocked_models": ["model-gpt"]}, []),
])
def test_listing_shows_only_models_the_tenant_may_use(settings, visible):
    tenant = auth_pb2.TenantSettings(**settings)
    assert [m.name for m, p in CATALOGUE if allowed_model(tenant, m, p)] == visible


async def test_settings_are_read_from_auth_when_the_router_has_none(stack, tenants, tenant_id):
    """After a tenant change evicted them, a request already past authentication still gets current settings."""
    await tenants.create(tenant_id, blocked_models=["radiant-demo"], max_tokens_per_request=77)
    pipeline = stack.router_app.state.pipeline
    # As inside that request: its calls act for its principal.
    token = principal_token_var.set(principal_token(common_pb2.Principal(tenant_id=tenant_id, roles=["user"])))
    try:
        settings = await tenant_settings(AuthCache(0), pipeline.up, tenant_id)
    finally:
        principal_token_var.reset(token)
    assert list(settings.blocked_models) == ["radiant-demo"] and settings.max_tokens_per_request == 77
