"""Tenant policies at the REST edge: default model, provider and model restrictions (403 with the reason), max tokens
per request and the model's context window (400 naming the field). A refused request never reaches the provider."""
from __future__ import annotations

import pytest

from tests.eventually import eventually
from tests.router.policy.support import (add_demo_model, add_unreachable_provider, auth_header,
                                        clear_provider_requests, provider_requests)

HELLO = [{"role": "user", "content": "Hello there"}]


async def _chat(http, key: str, **body):
    return await http.post("/v1/chat/completions", headers=auth_header(key),
                           json={"model": "radiant-demo", "messages": HELLO, **body})


async def _refused(stack, http, key: str, status: int, **body) -> dict:
    await clear_provider_requests(stack)
    r = await _chat(http, key, **body)
    assert r.status_code == status, r.text
    assert await provider_requests(stack) == []
    return r.json()["error"]


@pytest.mark.parametrize("model", ["default", ""])
async def test_default_model_serves_requests_that_name_none(stack, http, tenants, tenant_id, model):
    key = await tenants.tenant_with_key(tenant_id, default_model="radiant-demo")
    await clear_provider_requests(stack)
    r = await http.post("/v1/chat/completions", headers=auth_header(key), json={"model": model, "messages": HELLO}) \
        if model else await _chat(http, key, model="default")
    assert r.status_code == 200, r.text
    assert r.json()["model"] == "radiant-demo"
    assert [b["model"] for b in await provider_requests(stack)] == ["radiant-demo"]


async def test_default_alias_without_a_tenant_default_is_400(stack, http, tenants, tenant_id):
    key = await tenants.tenant_with_key(tenant_id)
    err = await _refused(stack, http, key, 400, model="default")
    assert err["code"] == "validation_error" and "model" in err["details"] and "default model" in err["message"]


@pytest.mark.parametrize("settings,needle", [
    ({"allowed_providers": ["openai", "anthropic"]}, "provider 'demo' is not allowed"),
    ({"blocked_models": ["radiant-demo"]}, "'radiant-demo' is blocked"),
    ({"allowed_models": ["gpt-4o"]}, "'radiant-demo' is not in this tenant's allowed models"),
])
async def test_provider_and_model_restrictions_are_403_with_reason(stack, http, tenants, tenant_id, settings, needle):
    key = await tenants.tenant_with_key(tenant_id, **settings)
    err = await _refused(stack, http, key, 403, stream=False)
    assert err["code"] == "forbidden" and needle in err["message"], err
    # Streaming requests are refused before the stream starts, the same way.
    err = await _refused(stack, http, key, 403, stream=True)
    assert needle in err["message"]


async def test_restrictions_match_ids_as_well_as_names(stack, http, tenants, tenant_id):
    key = await tenants.tenant_with_key(tenant_id, allowed_providers=[stack.demo_provider_id])
    assert (await _chat(http, key)).status_code == 200
    other = await tenants.tenant_with_key(f"{tenant_id}-b", allowed_providers=["demo"], allowed_models=["radiant-demo"])
    assert (await _chat(http, other)).status_code == 200


async def test_allowed_model_list_lets_listed_models_through(stack, http, tenants, tenant_id, policy_db_url):
    second = add_demo_model(policy_db_url)
    key = await tenants.tenant_with_key(tenant_id, allowed_models=[second])
    assert (await _chat(http, key, model=second)).status_code == 200
    err = await _refused(stack, http, key, 403)
    assert "allowed models" in err["message"]


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
async def test_max_tokens_over_tenant_limit_is_400_naming_the_field(stack, http, tenants, tenant_id, field):
    key = await tenants.tenant_with_key(tenant_id, max_tokens_per_request=100)
    err = await _refused(stack, http, key, 400, **{field: 101})
    assert err["code"] == "validation_error" and field in err["details"] and "limit of 100" in err["message"]


async def test_tenant_limit_is_sent_when_the_client_sets_none(stack, http, tenants, tenant_id):
    key = await tenants.tenant_with_key(tenant_id, max_tokens_per_request=100)
    await clear_provider_requests(stack)
    assert (await _chat(http, key, max_tokens=40)).status_code == 200
    assert (await _chat(http, key)).status_code == 200
    assert [b.get("max_tokens") for b in await provider_requests(stack)] == [40, 100]


async def test_tenant_limit_never_exceeds_the_models_max_output(stack, http, tenants, tenant_id):
    key = await tenants.tenant_with_key(tenant_id, max_tokens_per_request=5000)  # radiant-demo writes at most 1024
    await clear_provider_requests(stack)
    assert (await _chat(http, key)).status_code == 200
    assert [b.get("max_tokens") for b in await provider_requests(stack)] == [1024]


async def test_context_window_is_checked_from_a_token_estimate(stack, http, tenants, tenant_id, policy_db_url):
    small = add_demo_model(policy_db_url, context_window=64, max_output_tokens=64)
    key = await tenants.tenant_with_key(tenant_id)
    long_prompt = [{"role": "user", "content": "word " * 80}]  # ~80 tokens: over a 64-token window on its own
    err = await _refused(stack, http, key, 400, model=small, messages=long_prompt)
    assert "messages" in err["details"] and "context window" in err["message"] and small in err["message"]
    err = await _refused(stack, http, key, 400, model=small, max_tokens=60)  # short prompt, but + 60 > 64
    assert "max_tokens" in err["details"] and "context window" in err["message"]
    assert (await _chat(http, key, model=small, max_tokens=20)).status_code == 200


async def test_tenant_cap_is_trimmed_to_what_the_window_leaves(stack, http, tenants, tenant_id, policy_db_url):
    small = add_demo_model(policy_db_url, context_window=64, max_output_tokens=64)
    key = await tenants.tenant_with_key(tenant_id, max_tokens_per_request=1000)
    await clear_provider_requests(stack)
    assert (await _chat(http, key, model=small)).status_code == 200
    [sent] = await provider_requests(stack)
    assert 0 < sent["max_tokens"] < 64


async def test_settings_changes_take_effect_after_update_tenant(stack, http, tenants, tenant_id):
    key = await tenants.tenant_with_key(tenant_id)
    assert (await _chat(http, key)).status_code == 200  # the decision (and settings) is now cached in the router
    await tenants.update(tenant_id, blocked_models=["radiant-demo"])

    async def status():
        return (await _chat(http, key)).status_code
    assert await eventually(status, lambda s: s == 403) == 403
    await tenants.update(tenant_id)
    assert await eventually(status, lambda s: s == 200) == 200


async def test_v2_chat_applies_the_same_policies(stack, http, tenants, tenant_id):
    key = await tenants.tenant_with_key(tenant_id, blocked_models=["radiant-demo"])
    r = await http.post("/api/v2/chat/completions", headers={"X-API-Key": key},
                        json={"model": "radiant-demo", "messages": HELLO})
    assert r.status_code == 403
    assert r.json()["success"] is False and "blocked" in r.json()["error"]["message"]


async def test_fallback_chain_skips_models_the_tenant_may_not_use(stack, http, tenants, tenant_id, policy_db_url):
    blocked, allowed = add_demo_model(policy_db_url), add_demo_model(policy_db_url)
    down = add_unreachable_provider(policy_db_url, stack.demo_provider_id)
    primary = add_demo_model(policy_db_url, provider_id=down, fallback_models=[blocked, allowed])
    key = await tenants.tenant_with_key(tenant_id, blocked_models=[blocked])
    await clear_provider_requests(stack)
    r = await _chat(http, key, model=primary)
    assert r.status_code == 200, r.text
    assert r.json()["model"] == allowed
    assert [b["model"] for b in await provider_requests(stack)] == [allowed]
