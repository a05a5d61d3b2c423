"""UpdateModel / UpdateProvider / ReportObservedState: only the fields set change; bad input names its field."""
from __future__ import annotations

import grpc
from radiant.registry.v1 import registry_pb2 as pb

from tests.registry.helpers import expect_error


async def _model(stub, name: str) -> pb.Model:
    return await stub.GetModel(pb.GetModelRequest(name=name))


async def test_update_model_changes_only_given_fields(registry):
    before = await _model(registry, "llama-3.1-8b-instruct")
    after = await registry.UpdateModel(pb.UpdateModelRequest(
        id=before.id, thermal_state=pb.THERMAL_STATE_WARM,
        thermal_config=pb.ThermalConfig(min_instances=1, max_instances=3, scale_to_zero_after_minutes=20,
                                        warmup_time_seconds=240),
        pricing=pb.ModelPricing(input_per_million="0.125")))
    try:
        assert after.thermal_state == pb.THERMAL_STATE_WARM
        assert after.thermal_config == pb.ThermalConfig(state=pb.THERMAL_STATE_WARM, min_instances=1, max_instances=3,
                                                        scale_to_zero_after_minutes=20, warmup_time_seconds=240)
        assert after.pricing.input_per_million == "0.125"
        assert after.pricing.output_per_million == before.pricing.output_per_million  # merged, not replaced
        assert after.pricing.billed_markup == before.pricing.billed_markup
        assert (after.display_name, after.description, after.status) == \
            (before.display_name, before.description, before.status)
        assert await _model(registry, "llama-3.1-8b-instruct") == after
    finally:
        await registry.UpdateModel(pb.UpdateModelRequest(id=before.id, thermal_config=before.thermal_config,
                                                         pricing=before.pricing))
    restored = await _model(registry, "llama-3.1-8b-instruct")
    assert restored.thermal_state == before.thermal_state and restored.pricing == before.pricing


async def test_update_model_validation_names_fields(registry):
    model = await _model(registry, "mistral-7b-instruct")
    cases = [
        (pb.UpdateModelRequest(id=model.id, thermal_config=pb.ThermalConfig(min_instances=3, max_instances=1)),
         "thermal_config.min_instances"),
        (pb.UpdateModelRequest(id=model.id, thermal_config=pb.ThermalConfig(min_instances=-1, max_instances=1)),
         "thermal_config.min_instances"),
        (pb.UpdateModelRequest(id=model.id, thermal_config=pb.ThermalConfig(max_instances=1,
                                                                            warmup_time_seconds=-5)),
         "thermal_config.warmup_time_seconds"),
        (pb.UpdateModelRequest(id=model.id, pricing=pb.ModelPricing(input_per_million="abc")),
         "pricing.input_per_million"),
        (pb.UpdateModelRequest(id=model.id, pricing=pb.ModelPricing(billed_markup="-0.1")), "pricing.billed_markup"),
        (pb.UpdateModelRequest(id=model.id, pricing=pb.ModelPricing(output_per_million="NaN")),
         "pricing.output_per_million"),
        (pb.UpdateModelRequest(id=model.id, display_name="  "), "display_name"),
        (pb.UpdateModelRequest(id=model.id, status=99), "status"),
        (pb.UpdateModelRequest(), "id"),
    ]
    for request, field in cases:
        err = await expect_error(registry.UpdateModel(request), grpc.StatusCode.INVALID_ARGUMENT)
        assert err.code == "VALIDATION_ERROR" and field in err.details, (field, err.details)
    assert await _model(registry, "mistral-7b-instruct") == model  # nothing changed

    await expect_error(registry.UpdateModel(pb.UpdateModelRequest(id="missing", display_name="x")),
                       grpc.StatusCode.NOT_FOUND)


async def test_update_provider(registry):
    providers = (await registry.ListProviders(pb.ListProvidersRequest())).providers
    openai = next(p for p in providers if p.name == "openai")
    updated = await registry.UpdateProvider(pb.UpdateProviderRequest(
        id=openai.id, status=pb.STATUS_ACTIVE, base_url="http://127.0.0.1:9999/v1"))
    try:
        assert updated.status == pb.STATUS_ACTIVE and updated.base_url == "http://127.0.0.1:9999/v1"
        assert updated.hipaa_compliant == openai.hipaa_compliant and updated.config == openai.config
    finally:
        await registry.UpdateProvider(pb.UpdateProviderRequest(id=openai.id, status=openai.status,
                                                               base_url=openai.base_url))
    err = await expect_error(registry.UpdateProvider(pb.UpdateProviderRequest(id=openai.id, base_url="ftp://x")),
                             grpc.StatusCode.INVALID_ARGUMENT)
    assert "base_url" in err.details
    await expect_error(registry.UpdateProvider(pb.UpdateProviderRequest(id="missing", status=pb.STATUS_ACTIVE)),
                       grpc.StatusCode.NOT_FOUND)


async def test_report_observed_state(registry):
    model = await _model(registry, "mistral-7b-instruct")
    got = await registry.ReportObservedState(pb.ReportObservedStateRequest(
        model_id=model.id, observed=pb.ObservedState(ready_replicas=1, desired_replicas=1, phase="InService")))
    assert got.observed.ready_replicas == 1 and got.observed.phase == "InService"
    assert got.observed.HasField("observed_at")
    err = await expect_error(registry.ReportObservedState(pb.ReportObservedStateRequest(
        model_id=model.id, observed=pb.ObservedState(ready_replicas=-1))), grpc.StatusCode.INVALID_ARGUMENT)
    assert "observed.ready_replicas" in err.details
