"""CreateProvider / CreateModel (validated payloads, seed-catalogue ids, conflicts, change events) and DeleteProvider /
DeleteModel (what is in use is deprecated, not removed)."""
from __future__ import annotations

import uuid

import grpc
from radiant.registry.v1 import registry_pb2 as pb

from services.registry import catalogue
from tests.registry.helpers import expect_error


def _provider(**kw) -> pb.Provider:
    fields = dict(name=f"vllm-{uuid.uuid4().hex[:6]}", type=pb.PROVIDER_TYPE_SELF_HOSTED,
                  api_format=pb.API_FORMAT_OPENAI, base_url="http://127.0.0.1:9/v1")
    fields.update(kw)
    return pb.Provider(**fields)


async def test_create_provider_and_model(registry):
    watch = registry.Watch(pb.WatchRequest(include_snapshot=False))
    provider = await registry.CreateProvider(pb.CreateProviderRequest(provider=_provider(id="ignored")))
    assert provider.id == catalogue.provider_id(provider.name) and provider.status == pb.STATUS_ACTIVE
    assert provider.auth_type == pb.AUTH_TYPE_NONE
    event = await anext(aiter(watch))
    assert event.kind == pb.ChangeEvent.KIND_UPSERT and event.provider.id == provider.id
    name = f"llama-{uuid.uuid4().hex[:6]}"
    model = await registry.CreateModel(pb.CreateModelRequest(model=pb.Model(
        provider_id=provider.id, name=name, thermal_config=pb.ThermalConfig(state=pb.THERMAL_STATE_COLD,
                                                                            max_instances=2),
        pricing=pb.ModelPricing(input_per_million="0.10"), observed=pb.ObservedState(ready_replicas=9))))
    assert model.id == catalogue.model_id(name) and model.display_name == name
    assert model.type == pb.PROVIDER_TYPE_SELF_HOSTED and model.thermal_state == pb.THERMAL_STATE_COLD
    assert model.pricing.input_per_million == "0.10" and model.observed.ready_replicas == 0  # output-only ignored
    err = await expect_error(registry.CreateModel(pb.CreateModelRequest(model=pb.Model(
        provider_id=provider.id, name=name))), grpc.StatusCode.ALREADY_EXISTS)
    assert "model.name" in err.details
    err = await expect_error(registry.CreateProvider(pb.CreateProviderRequest(provider=_provider(
        name=provider.name))), grpc.StatusCode.ALREADY_EXISTS)
    watch.cancel()


async def test_create_validation_names_every_field(registry):
    err = await expect_error(registry.CreateProvider(pb.CreateProviderRequest(provider=pb.Provider(
        name="bad name!", auth_type=pb.AUTH_TYPE_API_KEY, base_url="ftp://x"))), grpc.StatusCode.INVALID_ARGUMENT)
    assert {"provider.name", "provider.type", "provider.api_format", "provider.credential_ref",
            "provider.base_url"} <= set(err.details)
    provider = await registry.CreateProvider(pb.CreateProviderRequest(provider=_provider()))
    err = await expect_error(registry.CreateModel(pb.CreateModelRequest(model=pb.Model(
        provider_id=provider.id, name="ok-name", display_name="x" * 201, description="d" * 2001,
        release_date="May 2024", deployment=pb.DeploymentTarget(kind=pb.DEPLOYMENT_KIND_KUBERNETES),
        fallback_models=["ok-name"]))), grpc.StatusCode.INVALID_ARGUMENT)
    assert {"model.display_name", "model.description", "model.release_date", "model.deployment.name",
            "model.fallback_models"} <= set(err.details)
    err = await expect_error(registry.CreateModel(pb.CreateModelRequest(model=pb.Model(provider_id="nope",
                                                                                       name="x"))),
                             grpc.StatusCode.INVALID_ARGUMENT)
    assert "model.provider_id" in err.details


async def test_delete_removes_unused_and_deprecates_the_rest(registry):
    provider = await registry.CreateProvider(pb.CreateProviderRequest(provider=_provider()))
    base = await registry.CreateModel(pb.CreateModelRequest(model=pb.Model(provider_id=provider.id,
                                                                           name=f"a-{uuid.uuid4().hex[:6]}")))
    fallback = await registry.CreateModel(pb.CreateModelRequest(model=pb.Model(provider_id=provider.id,
                                                                               name=f"b-{uuid.uuid4().hex[:6]}")))
    await registry.UpdateModel(pb.UpdateModelRequest(id=base.id, fallback_models=pb.FallbackModels(
        names=[fallback.name])))
    kept = await registry.DeleteModel(pb.DeleteModelRequest(id=fallback.id))  # another model falls back to it
    assert not kept.removed and kept.model.status == pb.STATUS_DEPRECATED and kept.model.deprecation_date
    used = await registry.DeleteModel(pb.DeleteModelRequest(id=base.id, in_use=True))
    assert not used.removed
    lone = await registry.CreateModel(pb.CreateModelRequest(model=pb.Model(provider_id=provider.id,
                                                                           name=f"c-{uuid.uuid4().hex[:6]}")))
    gone = await registry.DeleteModel(pb.DeleteModelRequest(id=lone.id))
    assert gone.removed
    await expect_error(registry.GetModel(pb.GetModelRequest(id=lone.id)), grpc.StatusCode.NOT_FOUND)
    deprecated = await registry.DeleteProvider(pb.DeleteProviderRequest(id=provider.id))
    assert not deprecated.removed and deprecated.provider.status == pb.STATUS_DEPRECATED
    empty = await registry.CreateProvider(pb.CreateProviderRequest(provider=_provider()))
    assert (await registry.DeleteProvider(pb.DeleteProviderRequest(id=empty.id))).removed
    await expect_error(registry.DeleteProvider(pb.DeleteProviderRequest(id=empty.id)), grpc.StatusCode.NOT_FOUND)


async def test_more_update_fields(registry):
    provider = await registry.CreateProvider(pb.CreateProviderRequest(provider=_provider()))
    updated = await registry.UpdateProvider(pb.UpdateProviderRequest(id=provider.id, credential_ref="RADIANT_X_KEY",
                                                                     baa_available=True))
    assert updated.credential_ref == "RADIANT_X_KEY" and updated.baa_available
    err = await expect_error(registry.UpdateProvider(pb.UpdateProviderRequest(id=provider.id,
                                                                              credential_ref="sk-abc def")),
                             grpc.StatusCode.INVALID_ARGUMENT)
    assert "credential_ref" in err.details
    model = await registry.CreateModel(pb.CreateModelRequest(model=pb.Model(provider_id=provider.id,
                                                                            name=f"d-{uuid.uuid4().hex[:6]}")))
    changed = await registry.UpdateModel(pb.UpdateModelRequest(id=model.id, upstream_model="llama-3", context_window=4096,
                                                               max_output_tokens=256, deprecation_date="2030-01-01"))
    assert (changed.upstream_model, changed.context_window, changed.max_output_tokens, changed.deprecation_date) == (
        "llama-3", 4096, 256, "2030-01-01")
