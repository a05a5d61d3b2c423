"""The declarative catalogue (RADIANT_CATALOGUE_FILE): upserted at start; a changed declaration is applied on the next
start, an unchanged one leaves run-time edits alone; a bad file refuses the start naming the entry and field. Also:
Watch events reach subscribers of every registry replica, and the embedded default's self-hosted demo model."""
from __future__ import annotations

import asyncio
import json
import uuid

import grpc
import pytest
import yaml
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.registry import catalogue
from services.registry.server import build
from services.runtime.config import ConfigError
from tests.grpc_helpers import internal_channel
from tests.registry.conftest import registry_settings


def _declared(model: str, **changes) -> dict:
    entry = {"name": model, "provider": f"{model}-vllm", "display_name": "Llama 3 8B", "context_window": 8192,
             "pricing": {"input_per_million": "0.10", "output_per_million": "0.20", "billed_markup": "0.2"},
             "thermal": {"state": "COLD", "min_instances": 0, "max_instances": 2, "scale_to_zero_after_minutes": 10,
                         "warmup_time_seconds": 240},
             "deployment": {"kind": "kubernetes", "name": f"radiant-model-{model}", "namespace": "radiant",
                            "instance_type": "g5.xlarge"}}
    entry.update(changes)
    return {"providers": [{"name": f"{model}-vllm", "type": "self-hosted", "api_format": "openai",
                           "config": {"runtime": "vllm",
                                      "service_url_template": "http://{name}.{namespace}.svc.cluster.local:8000/v1"}}],
            "models": [entry]}


async def _start(db_url: str, path, **kw):
    running = await build(registry_settings(db_url, catalogue_file=str(path), **kw), port=0)
    channel = internal_channel(running.address)
    return running, channel, registry_pb2_grpc.RegistryServiceStub(channel)


async def test_a_declared_model_is_upserted_and_runtime_edits_survive_until_the_declaration_changes(db_url,
                                                                                                  tmp_path):
    name = f"llama-{uuid.uuid4().hex[:6]}"
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(_declared(name)))
    running, channel, stub = await _start(db_url, path)
    try:
        model = await stub.GetModel(pb.GetModelRequest(name=name))
        assert model.id == catalogue.model_id(name) and model.type == pb.PROVIDER_TYPE_SELF_HOSTED
        assert (model.thermal_state, model.thermal_config.warmup_time_seconds) == (pb.THERMAL_STATE_COLD, 240)
        assert (model.deployment.kind, model.deployment.name, model.deployment.namespace) == \
            (pb.DEPLOYMENT_KIND_KUBERNETES, f"radiant-model-{name}", "radiant")
        assert (model.pricing.input_per_million, model.pricing.billed_markup) == ("0.10", "0.2")
        provider = await stub.GetProvider(pb.GetProviderRequest(id=model.provider_id))
        assert provider.name == f"{name}-vllm" and provider.config["runtime"] == "vllm"
        # An administrator switches it off at run time.
        await stub.UpdateModel(pb.UpdateModelRequest(id=model.id, thermal_state=pb.THERMAL_STATE_OFF))
    finally:
        await channel.close()
        await running.stop(0)

    running, channel, stub = await _start(db_url, path)  # same declaration: the edit stays
    try:
        assert (await stub.GetModel(pb.GetModelRequest(name=name))).thermal_state == pb.THERMAL_STATE_OFF
    finally:
        await channel.close()
        await running.stop(0)

    path.write_text(yaml.safe_dump(_declared(name, thermal={"state": "WARM", "min_instances": 1,
                                                            "max_instances": 3})))
    running, channel, stub = await _start(db_url, path)  # helm upgrade changed it: the declaration wins
    try:
        model = await stub.GetModel(pb.GetModelRequest(name=name))
        assert model.thermal_state == pb.THERMAL_STATE_WARM and model.thermal_config.max_instances == 3
    finally:
        await channel.close()
        await running.stop(0)


async def test_a_json_catalogue_works_too(db_url, tmp_path):
    name = f"mistral-{uuid.uuid4().hex[:6]}"
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(_declared(name)))
    running, channel, stub = await _start(db_url, path)
    try:
        assert (await stub.GetModel(pb.GetModelRequest(name=name))).name == name
    finally:
        await channel.close()
        await running.stop(0)


@pytest.mark.parametrize("document, problem", [
    ({"models": [{"name": "m", "provider": "nobody"}]}, "names provider 'nobody', which does not exist"),
    ({"models": [{"name": "m", "provider": "p", "thermal": {"state": "TEPID"}}]}, "models[0].thermal.state"),
    ({"models": [{"name": "m", "provider": "p", "thermal": {"min_instances": 3, "max_instances": 1}}]},
     "min_instances must be <= max_instances"),
    ({"models": [{"name": "m", "provider": "p", "pricing": {"input_per_million": "cheap"}}]},
     "models[0].pricing.input_per_million"),
    ({"models": [{"name": "m", "provider": "p", "deployment": {"kind": "kubernetes"}}]},
     "a kubernetes deployment needs a name"),
    ({"providers": [{"name": "p", "colour": "blue"}]}, "providers[0].colour: Extra inputs are not permitted"),
    ({"models": [{"name": "m", "provider": "p"}, {"name": "m", "provider": "p"}]}, "'m' is declared twice"),
    ({"models": [{"name": "m", "provider": "demo", "fallback_models": ["nope"]}]}, "unknown model(s) nope"),
])
async def test_a_bad_catalogue_refuses_the_start_naming_the_problem(db_url, tmp_path, document, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(ConfigError) as err:
        await build(registry_settings(db_url, catalogue_file=str(path)), port=0)
    assert "RADIANT_CATALOGUE_FILE" in str(err.value) and problem in str(err.value)


async def test_a_missing_or_unparsable_file_is_named(db_url, tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        await build(registry_settings(db_url, catalogue_file=str(tmp_path / "absent.yaml")), port=0)
    (tmp_path / "broken.yaml").write_text("models: [ {name: x")
    with pytest.raises(ConfigError, match="not valid YAML or JSON"):
        await build(registry_settings(db_url, catalogue_file=str(tmp_path / "broken.yaml")), port=0)


async def test_watch_events_reach_subscribers_of_every_replica(pg_url, redis_url):
    channel_name = f"radiant:registry:test:{uuid.uuid4().hex}"
    replicas = [await build(registry_settings(pg_url, redis_url=redis_url, watch_channel=channel_name), port=0)
                for _ in range(2)]
    channels = [internal_channel(r.address) for r in replicas]
    writer, reader = (registry_pb2_grpc.RegistryServiceStub(c) for c in channels)
    try:
        model = await writer.GetModel(pb.GetModelRequest(name="radiant-demo"))
        stream = reader.Watch(pb.WatchRequest(include_snapshot=False))
        watching = asyncio.ensure_future(anext(aiter(stream)))
        await asyncio.sleep(0.3)  # the stream is open on the other replica
        await writer.RequestWarmup(pb.RequestWarmupRequest(model_id=model.id))
        event = await asyncio.wait_for(watching, 10)
        assert event.kind == pb.ChangeEvent.KIND_UPSERT and event.model.id == model.id
        assert event.model.HasField("warmup_requested_at")
        stream.cancel()
    finally:
        for c in channels:
            await c.close()
        for r in replicas:
            await r.stop(0)


async def test_the_embedded_default_has_a_self_hosted_local_demo_model(fresh_pg_url):
    running = await build(registry_settings(fresh_pg_url, local_model_url="http://127.0.0.1:8091/v1"), port=0)
    channel = internal_channel(running.address)
    try:
        stub = registry_pb2_grpc.RegistryServiceStub(channel)
        model = await stub.GetModel(pb.GetModelRequest(name=catalogue.LOCAL_MODEL))
        provider = await stub.GetProvider(pb.GetProviderRequest(id=model.provider_id))
        assert model.deployment.kind == pb.DEPLOYMENT_KIND_LOCAL and model.thermal_state == pb.THERMAL_STATE_COLD
        assert model.thermal_config.scale_to_zero_after_minutes == 1 and model.status == pb.STATUS_ACTIVE
        assert provider.base_url == "http://127.0.0.1:8091/v1" and provider.status == pb.STATUS_ACTIVE
    finally:
        await channel.close()
        await running.stop(0)


async def test_without_a_local_model_url_there_is_no_local_model(registry):
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await registry.GetModel(pb.GetModelRequest(name=catalogue.LOCAL_MODEL))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
