"""The seed catalogue is there after start, and a restart neither duplicates nor overwrites it."""
from __future__ import annotations

from collections import Counter

import grpc
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.registry.server import build
from tests.grpc_helpers import internal_channel
from tests.registry.conftest import registry_settings
from tests.registry.helpers import all_models, all_providers


async def test_catalogue_present_after_start(registry):
    providers = {p.name: p for p in await all_providers(registry)}
    assert {"demo", "openai", "anthropic", "azure-openai", "bedrock", "sagemaker",
            "self-hosted-kubernetes"} <= set(providers)
    demo = providers["demo"]
    assert demo.api_format == pb.API_FORMAT_OPENAI and demo.auth_type == pb.AUTH_TYPE_NONE
    assert demo.base_url == "http://127.0.0.1:8090/v1"
    assert demo.hipaa_compliant and demo.status == pb.STATUS_ACTIVE
    assert providers["openai"].credential_ref == "RADIANT_OPENAI_API_KEY"
    assert providers["openai"].base_url == "https://api.openai.com/v1"
    assert providers["anthropic"].api_format == pb.API_FORMAT_ANTHROPIC

    model = await registry.GetModel(pb.GetModelRequest(name="radiant-demo"))
    assert model.provider_id == demo.id and model.status == pb.STATUS_ACTIVE and model.supports_streaming
    assert (model.pricing.input_per_million, model.pricing.output_per_million, model.pricing.billed_markup) == \
        ("0.50", "1.50", "0.20")

    models = {m.name: m for m in await all_models(registry)}
    assert {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "azure-gpt-4o", "bedrock-claude-3-5-sonnet"} <= set(models)
    assert models["bedrock-claude-3-5-sonnet"].upstream_model.startswith("anthropic.claude")
    k8s = [m for m in models.values() if m.deployment.kind == pb.DEPLOYMENT_KIND_KUBERNETES]
    sm = [m for m in models.values() if m.deployment.kind == pb.DEPLOYMENT_KIND_SAGEMAKER]
    assert k8s and sm
    for m in k8s + sm:
        assert m.type == pb.PROVIDER_TYPE_SELF_HOSTED and m.deployment.name
        assert m.thermal_state != pb.THERMAL_STATE_UNSPECIFIED
        assert m.thermal_config.state == m.thermal_state
        assert m.thermal_config.min_instances <= m.thermal_config.max_instances
        assert m.thermal_config.warmup_time_seconds > 0


async def test_restart_neither_duplicates_nor_overwrites(db_url, registry):
    before = await all_models(registry)
    mini = next(m for m in before if m.name == "gpt-4o-mini")
    await registry.UpdateModel(pb.UpdateModelRequest(id=mini.id, description="edited by an admin"))

    for _ in range(2):  # two restarts on the same database
        running = await build(registry_settings(db_url), port=0)
        try:
            async with internal_channel(running.address) as channel:
                stub = registry_pb2_grpc.RegistryServiceStub(channel)
                after = await all_models(stub)
                providers = await all_providers(stub)
        finally:
            await running.stop(0)
        assert sorted(m.id for m in after) == sorted(m.id for m in before)
        assert max(Counter(m.name for m in after).values()) == 1
        assert max(Counter(p.name for p in providers).values()) == 1
        assert next(m for m in after if m.name == "gpt-4o-mini").description == "edited by an admin"


async def _demo_after_start(db_url: str, url: str) -> pb.Provider:
    running = await build(registry_settings(db_url, demo_provider_url=url), port=0)
    try:
        async with internal_channel(running.address) as channel:
            stub = registry_pb2_grpc.RegistryServiceStub(channel)
            return next(p for p in await all_providers(stub) if p.name == "demo")
    finally:
        await running.stop(0)


async def test_demo_url_follows_the_setting_until_edited(db_url):
    default = "http://127.0.0.1:8090/v1"
    try:
        assert (await _demo_after_start(db_url, "http://127.0.0.1:18090/v1")).base_url == "http://127.0.0.1:18090/v1"
        running = await build(registry_settings(db_url, demo_provider_url="http://127.0.0.1:18090/v1"), port=0)
        try:
            async with internal_channel(running.address) as channel:
                stub = registry_pb2_grpc.RegistryServiceStub(channel)
                demo = next(p for p in await all_providers(stub) if p.name == "demo")
                await stub.UpdateProvider(pb.UpdateProviderRequest(id=demo.id, base_url="http://demo.internal/v1"))
        finally:
            await running.stop(0)
        # An admin's edit wins over the setting.
        assert (await _demo_after_start(db_url, default)).base_url == "http://demo.internal/v1"
    finally:
        running = await build(registry_settings(db_url), port=0)
        try:
            async with internal_channel(running.address) as channel:
                stub = registry_pb2_grpc.RegistryServiceStub(channel)
                demo = next(p for p in await all_providers(stub) if p.name == "demo")
                await stub.UpdateProvider(pb.UpdateProviderRequest(id=demo.id, base_url=default))
        finally:
            await running.stop(0)
    assert (await _demo_after_start(db_url, default)).base_url == default
