"""Limits, token quotas and budgets on tenants, apps, users and API keys (and the key's tier): validated, stored,
changed over gRPC, and delivered with the authentication decision; every change announced to routers."""
from __future__ import annotations

import grpc
import pytest
import redis.asyncio as aioredis
from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2

from services.auth.server import build
from services.auth.settings import Settings
from services.runtime.auth_events import CHANNEL, decode
from services.runtime.config import ConfigError, load_settings
from tests.grpc_helpers import internal_channel
from tests.auth.conftest import JWKS_JSON, PEPPER, claims, rpc_error, sign

Limits = common_pb2.Limits


async def _key(auth, tenant_id: str, **kw) -> auth_pb2.CreateApiKeyResponse:
    return await auth.stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="k", **kw))


async def _principal(auth, secret: str) -> common_pb2.Principal:
    return (await auth.stub.Authenticate(auth_pb2.AuthenticateRequest(api_key=secret))).principal


async def test_every_level_arrives_with_the_decision(auth, tenant_id, secrets_never_logged):
    stub = auth.stub
    await stub.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="Limited", settings=auth_pb2.TenantSettings(
        limits=Limits(requests_per_hour=5000, monthly_budget="250.50"), admit_when_uncounted=True)))
    app = await stub.CreateApp(auth_pb2.CreateAppRequest(tenant_id=tenant_id, name="Scribe",
                                                         limits=Limits(tokens_per_minute=90_000)))
    user = await stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant_id, app_id=app.id,
                                                            email="n@example.org",
                                                            limits=Limits(concurrent_requests=4)))
    key = await _key(auth, tenant_id, app_id=app.id, user_id=user.id, key_tier=common_pb2.KEY_TIER_FREE,
                     limits=Limits(daily_budget="2"))
    secrets_never_logged.append(key.secret)
    assert (app.limits.tokens_per_minute, user.limits.concurrent_requests) == (90_000, 4)
    assert (key.key.key_tier, key.key.limits.daily_budget) == (common_pb2.KEY_TIER_FREE, "2")

    limits = (await _principal(auth, key.secret)).limits
    assert limits.tenant == Limits(requests_per_hour=5000, monthly_budget="250.50")
    assert limits.app == Limits(tokens_per_minute=90_000)
    assert limits.user == Limits(concurrent_requests=4)
    assert limits.key == Limits(daily_budget="2")
    # The gateway guide's free tier: 10 requests per minute, 100 per hour.
    assert (limits.key_tier, limits.tier) == (common_pb2.KEY_TIER_FREE,
                                              Limits(requests_per_minute=10, requests_per_hour=100))
    assert limits.admit_when_uncounted


async def test_the_seed_names_on_tenant_settings_mirror_limits(auth, tenant_id):
    created = await auth.stub.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="Seed", settings=(
        auth_pb2.TenantSettings(requests_per_minute=60, tokens_per_day=1000, monthly_budget="10",
                                limits=Limits(requests_per_minute=30)))))
    s = created.settings
    # `limits` wins where both are set; the seed's names fill what limits leaves unset; reads show both equal.
    assert (s.limits.requests_per_minute, s.limits.tokens_per_day, s.limits.monthly_budget) == (30, 1000, "10")
    assert (s.requests_per_minute, s.tokens_per_day, s.monthly_budget) == (30, 1000, "10")


async def test_jwt_users_get_their_app_and_user_limits(auth, tenant_id):
    stub = auth.stub
    await stub.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="Jwt"))
    await stub.CreateApp(auth_pb2.CreateAppRequest(tenant_id=tenant_id, name="thinktank",
                                                   limits=Limits(requests_per_minute=7)))
    await stub.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant_id, app_id="thinktank", email="dr@example.org",
                                                     subject="user-sub-123", limits=Limits(tokens_per_day=5000)))
    token = sign(claims(tenant_id))
    limits = (await stub.Authenticate(auth_pb2.AuthenticateRequest(bearer_token=token))).principal.limits
    assert limits.app == Limits(requests_per_minute=7) and limits.user == Limits(tokens_per_day=5000)
    assert not limits.HasField("key") and limits.key_tier == common_pb2.KEY_TIER_UNSPECIFIED


async def test_updates_take_effect_and_are_announced(auth, tenant, secrets_never_logged, redis_url):
    stub = auth.stub
    key = await _key(auth, tenant.id)
    secrets_never_logged.append(key.secret)
    assert not (await _principal(auth, key.secret)).limits.HasField("key")
    listener = aioredis.from_url(redis_url)
    pubsub = listener.pubsub()
    await pubsub.subscribe(CHANNEL)
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    try:
        updated = await stub.UpdateApiKey(auth_pb2.UpdateApiKeyRequest(
            tenant_id=tenant.id, id=key.key.id, limits=Limits(requests_per_minute=3),
            key_tier=common_pb2.KEY_TIER_PREMIUM))
        assert updated.limits.requests_per_minute == 3 and updated.key_tier == common_pb2.KEY_TIER_PREMIUM
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        assert decode(message["data"]) == (tenant.id, key.key.id)
        principal = await _principal(auth, key.secret)
        assert principal.limits.key.requests_per_minute == 3
        assert principal.limits.tier.requests_per_minute == 1000  # the guide's premium tier

        await stub.UpdateApp(auth_pb2.UpdateAppRequest(tenant_id=tenant.id, id="default",
                                                       limits=Limits(requests_per_minute=9)))
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        assert decode(message["data"]) == (tenant.id, "")
        assert (await _principal(auth, key.secret)).limits.app.requests_per_minute == 9

        cleared = await stub.UpdateApiKey(auth_pb2.UpdateApiKeyRequest(tenant_id=tenant.id, id=key.key.id,
                                                                       limits=Limits(),
                                                                       key_tier=common_pb2.KEY_TIER_UNSPECIFIED))
        assert not cleared.HasField("limits") and cleared.key_tier == common_pb2.KEY_TIER_UNSPECIFIED
        assert not (await _principal(auth, key.secret)).limits.HasField("tier")
    finally:
        await pubsub.aclose()
        await listener.aclose()


async def test_rotation_keeps_the_limits_and_tier(auth, tenant, secrets_never_logged):
    key = await _key(auth, tenant.id, limits=Limits(requests_per_minute=5), key_tier=common_pb2.KEY_TIER_BASIC)
    rotated = await auth.stub.RotateApiKey(auth_pb2.RotateApiKeyRequest(tenant_id=tenant.id, id=key.key.id))
    secrets_never_logged += [key.secret, rotated.secret]
    assert rotated.key.limits.requests_per_minute == 5 and rotated.key.key_tier == common_pb2.KEY_TIER_BASIC


@pytest.mark.parametrize("limits, field, problem", [
    (Limits(requests_per_minute=-1), "limits.requests_per_minute", "between 0 and"),
    (Limits(requests_per_hour=2_000_000), "limits.requests_per_hour", "between 0 and 1000000"),
    (Limits(concurrent_requests=-3), "limits.concurrent_requests", "between 0 and"),
    (Limits(daily_budget="lots"), "limits.daily_budget", "decimal number"),
    (Limits(monthly_budget="-5"), "limits.monthly_budget", "non-negative"),
    (Limits(monthly_budget="10000000"), "limits.monthly_budget", "at most 9000000 USD"),
])
async def test_invalid_limits_name_the_field(auth, tenant, limits, field, problem):
    err = await rpc_error(auth.stub.CreateApp(auth_pb2.CreateAppRequest(tenant_id=tenant.id, name="bad",
                                                                        limits=limits)))
    assert err.code == "VALIDATION_ERROR" and problem in err.details[field][0]
    err = await rpc_error(auth.stub.UpdateTenant(auth_pb2.UpdateTenantRequest(
        id=tenant.id, settings=auth_pb2.TenantSettings(limits=limits))))
    assert f"settings.{field}" in err.details


async def test_every_invalid_limit_is_reported_at_once(auth, tenant):
    err = await rpc_error(auth.stub.CreateUser(auth_pb2.CreateUserRequest(
        tenant_id=tenant.id, email="x@example.org", limits=Limits(tokens_per_day=-1, daily_budget="x"))))
    assert set(err.details) == {"limits.tokens_per_day", "limits.daily_budget"}


async def test_unknown_tier_and_unknown_keys_are_refused(auth, tenant):
    err = await rpc_error(_key(auth, tenant.id, key_tier=9))
    assert "key_tier" in err.details
    err = await rpc_error(auth.stub.UpdateApiKey(auth_pb2.UpdateApiKeyRequest(tenant_id=tenant.id, id="nope",
                                                                              limits=Limits())))
    assert err.grpc_code == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(auth.stub.UpdateApp(auth_pb2.UpdateAppRequest(tenant_id=tenant.id, id="nope",
                                                                        limits=Limits())))
    assert err.grpc_code == grpc.StatusCode.NOT_FOUND


async def test_tier_defaults_are_configurable(db_url, tenant_id):
    settings = load_settings(Settings, env="test", database_url=db_url, api_key_pepper=PEPPER, jwks_json=JWKS_JSON,
                             key_tier_limits={"free": {"requests_per_minute": 2, "tokens_per_day": 1000}})
    assert settings.key_tier_limits["premium"] == {"requests_per_minute": 1000, "requests_per_hour": 30000}
    running = await build(settings, port=0)
    try:
        async with internal_channel(running.address) as ch:
            stub = auth_pb2_grpc.AuthServiceStub(ch)
            await stub.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="Tiers"))
            key = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="f",
                                                                       key_tier=common_pb2.KEY_TIER_FREE))
            limits = (await stub.Authenticate(auth_pb2.AuthenticateRequest(api_key=key.secret))).principal.limits
            assert limits.tier == Limits(requests_per_minute=2, tokens_per_day=1000)
    finally:
        await running.stop(0)
    for bad, words in (({"gold": {}}, "unknown tier"), ({"free": {"rpm": 1}}, "unknown limit"),
                       ({"free": {"requests_per_minute": -1}}, "between 0 and")):
        with pytest.raises(ConfigError, match="RADIANT_KEY_TIER_LIMITS") as info:
            load_settings(Settings, env="test", api_key_pepper=PEPPER, key_tier_limits=bad)
        assert words in str(info.value)
