"""The operator drives SageMaker with boto3: inference components by copy count (0 and back) against a local fake of
the SageMaker JSON protocol (SigV4 checked; moto has no inference components), classic endpoint variants by instance
count against moto. Never an update while Updating; throttling retried; a validation error fails the model with
AWS's message."""
from __future__ import annotations

import boto3
import pytest
from moto.server import ThreadedMotoServer
from radiant.registry.v1 import registry_pb2 as pb

from services.operator.drivers.sagemaker import CLASSIC_FLOOR_REASON
from tests.eventually import eventually
from tests.fakes.sagemaker_api import SageMakerApiServer
from tests.harness import free_port
from tests.operator.conftest import operator_settings


@pytest.fixture
async def sagemaker(monkeypatch):
    server = await SageMakerApiServer(updating_for=2).start()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", server.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", server.secret_key)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    yield server
    await server.stop()


def _settings(backends, url: str, **kw):
    return operator_settings(backends, None, operator_drivers="sagemaker", operator_sagemaker_endpoint_url=url, **kw)


async def _value(v):
    return v


async def test_copy_count_goes_to_zero_when_idle_and_back_on_warmup(backends, sagemaker, start_operator):
    sagemaker.inference_component("radiant-prod-llama", copies=1)
    model = await backends.model("COLD", kind="sagemaker", deployment="radiant-prod-llama", namespace="",
                                 deployment_inference_component="radiant-prod-llama")
    await start_operator(_settings(backends, sagemaker.base_url))
    zero = await backends.observed(model, lambda o: o.phase == "ScaledToZero")
    assert zero.desired_replicas == 0 and "no request for 15 min" in zero.message
    await backends.registry.RequestWarmup(pb.RequestWarmupRequest(model_id=model.id))
    ready = await backends.observed(model, lambda o: o.phase == "Ready")
    assert ready.ready_replicas == 1 and ready.desired_replicas == 1
    assert [(u["action"], u["count"]) for u in sagemaker.updates] == [
        ("UpdateInferenceComponentRuntimeConfig", 0), ("UpdateInferenceComponentRuntimeConfig", 1)]
    assert {u["status_then"] for u in sagemaker.updates} == {"InService"}
    signed = [r for r in sagemaker.requests if r["target"].startswith("SageMaker.")]
    assert signed and all(r["headers"]["Authorization"].startswith("AWS4-HMAC-SHA256") for r in signed)


async def test_nothing_is_asked_while_the_component_is_updating(backends, sagemaker, start_operator):
    component = sagemaker.inference_component("radiant-prod-mistral", copies=0, status="Updating")
    component.updating_left = 4  # describes until SageMaker is done with someone else's change
    model = await backends.model("WARM", min_i=2, max_i=2, kind="sagemaker", deployment="radiant-prod-mistral",
                                 namespace="", deployment_inference_component="radiant-prod-mistral")
    await start_operator(_settings(backends, sagemaker.base_url))
    busy = await backends.observed(model, lambda o: "Updating" in o.message)
    assert busy.phase == "Scaling" and sagemaker.updates == []
    ready = await backends.observed(model, lambda o: o.phase == "Ready")
    assert ready.ready_replicas == 2
    assert [(u["count"], u["status_then"]) for u in sagemaker.updates] == [(2, "InService")]


async def test_throttling_is_retried_with_backoff(backends, sagemaker, start_operator):
    sagemaker.inference_component("radiant-prod-hot", copies=0)
    model = await backends.model("HOT", max_i=3, kind="sagemaker", deployment="radiant-prod-hot", namespace="",
                                 deployment_inference_component="radiant-prod-hot")
    for _ in range(3):
        sagemaker.fail(400, "ThrottlingException", "Rate exceeded")
    await start_operator(_settings(backends, sagemaker.base_url))
    ready = await backends.observed(model, lambda o: o.phase == "Ready")
    assert ready.ready_replicas == 3 and [u["count"] for u in sagemaker.updates] == [3]
    assert not sagemaker.failures  # every throttled call was tried again


async def test_a_validation_error_fails_the_model_with_the_aws_message(backends, sagemaker, start_operator):
    model = await backends.model("WARM", min_i=1, kind="sagemaker", deployment="radiant-prod-gone", namespace="",
                                 deployment_inference_component="radiant-prod-gone")
    await start_operator(_settings(backends, sagemaker.base_url))
    failed = await backends.observed(model, lambda o: o.phase == "Failed")
    assert "ValidationException" in failed.message
    assert 'Could not find inference component "arn:aws:sagemaker:us-east-1:123456789012:inference-component/' \
           'radiant-prod-gone"' in failed.message


async def test_a_classic_endpoint_fake_never_gets_an_impossible_zero(backends, sagemaker, start_operator):
    sagemaker.endpoint("radiant-prod-classic", instances=2)
    model = await backends.model("OFF", kind="sagemaker", deployment="radiant-prod-classic", namespace="")
    await start_operator(_settings(backends, sagemaker.base_url))
    observed = await backends.observed(model, lambda o: o.phase == "Ready" and o.desired_replicas == 1)
    assert CLASSIC_FLOOR_REASON in observed.message and "switched off" in observed.message
    assert [(u["action"], u["count"]) for u in sagemaker.updates] == [("UpdateEndpointWeightsAndCapacities", 1)]


@pytest.fixture
def moto_sagemaker(monkeypatch):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    url = f"http://127.0.0.1:{port}"
    client = boto3.client("sagemaker", endpoint_url=url, region_name="us-east-1")
    client.create_model(ModelName="llama", ExecutionRoleArn="arn:aws:iam::123456789012:role/sagemaker",
                        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/tgi:2"})
    client.create_endpoint_config(EndpointConfigName="classic-cfg", ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "llama", "InitialInstanceCount": 1,
        "InstanceType": "ml.g4dn.xlarge"}])
    client.create_endpoint(EndpointName="radiant-prod-classic", EndpointConfigName="classic-cfg")
    yield url, client
    server.stop()


async def test_a_classic_endpoint_scales_its_variant_and_keeps_one_instance(backends, moto_sagemaker, start_operator):
    url, client = moto_sagemaker
    model = await backends.model("HOT", min_i=1, max_i=3, kind="sagemaker", deployment="radiant-prod-classic",
                                 namespace="")
    await start_operator(_settings(backends, url))

    def variant() -> dict:
        return client.describe_endpoint(EndpointName="radiant-prod-classic")["ProductionVariants"][0]

    hot = await eventually(lambda: _value(variant()), lambda v: v["DesiredInstanceCount"] == 3, timeout=20)
    assert hot["DesiredInstanceCount"] == 3
    assert (await backends.observed(model, lambda o: o.phase == "Ready")).ready_replicas == 3
    await backends.set_state(model, pb.THERMAL_STATE_COLD)  # idle COLD asks for 0: the endpoint keeps one
    floor = await backends.observed(model, lambda o: o.desired_replicas == 1 and o.ready_replicas == 1)
    assert floor.phase == "Ready" and CLASSIC_FLOOR_REASON in floor.message
    assert variant()["DesiredInstanceCount"] == 1
