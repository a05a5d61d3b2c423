"""End to end, a cold GPU model: the whole stack (router over real HTTP, real Postgres and Redis), the operator with
its Kubernetes driver against KMock, and a fake vLLM (OpenAI-compatible) behind the model's Service URL. A request
to the COLD model is held; the operator scales the Deployment; the test marks the replica ready (as the kubelet
would); the held request is answered with its PHI restored, a held stream sends keep-alives and then its tokens;
after the idle window the Deployment is back at 0 and observed.phase says so."""
from __future__ import annotations

import asyncio
import json
import uuid

import grpc
import httpx
import pytest
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.operator.server import build as build_operator
from services.operator.settings import Settings as OperatorSettings
from services.registry.store import RegistryStore
from services.runtime.db import create_engine
from tests.grpc_helpers import internal_channel
from tests.conftest import _create_pg_database, _drop_pg_database
from tests.eventually import eventually
from tests.fakes.openai_server import FakeOpenAIServer
from tests.harness import InProcessStack
from tests.operator.conftest import NAMESPACE, cluster  # noqa: F401 - the KMock fixture

PROMPT = "Patient John Smith, SSN 123-45-6789, asks about his dose."


async def _value(v):
    return v


@pytest.fixture
async def world(redis_url, cluster):  # noqa: F811 - the fixture imported above
    name, url = _create_pg_database()
    stack = await InProcessStack(url, redis_url).start()
    fake = await FakeOpenAIServer().__aenter__()
    engine = create_engine(url)
    store = RegistryStore(engine)
    provider_id, model_id, deployment = str(uuid.uuid4()), str(uuid.uuid4()), f"vllm-{uuid.uuid4().hex[:6]}"
    await store.insert_absent([dict(
        id=provider_id, name=f"vllm-{provider_id[:6]}", type="self-hosted", status="active", hipaa_compliant=True,
        baa_available=True, base_url=None, auth_type="none", api_format="openai", credential_ref=None,
        capabilities=["chat", "streaming"],
        config={"service_url_template": f"http://127.0.0.1:{fake.port}/{{name}}/v1"})], [dict(
            id=model_id, provider_id=provider_id, name=f"llama-{model_id[:6]}", display_name="Llama (vLLM)",
            description=None, type="self-hosted", specialty="general", capabilities=["chat", "streaming"],
            context_window=None, max_output_tokens=None, supports_functions=False, supports_vision=False,
            supports_streaming=True, has_thinking_mode=False, thinking_budget_tokens=None,
            pricing={"input_per_million": "0.10", "output_per_million": "0.10"}, thermal_state="COLD",
            thermal_config={"state": "COLD", "min_instances": 0, "max_instances": 2,
                            "scale_to_zero_after_minutes": 15, "warmup_time_seconds": 300},
            status="active", release_date=None, deprecation_date=None, upstream_model="meta-llama/Llama-3.1-8B",
            deployment_kind="kubernetes", deployment_name=deployment, deployment_namespace=NAMESPACE,
            deployment_instance_type="g5.xlarge", observed=None)])
    cluster.deployment(deployment, 0)
    pipeline = stack.router_app.state.pipeline
    pipeline.warmup.hold_seconds, pipeline.warmup.poll_seconds = 60.0, 0.1
    pipeline.settings.warmup_keepalive_seconds = 0.2
    operator = await build_operator(OperatorSettings(
        env="test", grpc_port=0, registry_addr=stack.services["registry"].address,
        metering_addr=stack.services["metering"].address, operator_drivers="kubernetes",
        operator_kubeconfig=str(cluster.kubeconfig), operator_namespace=NAMESPACE, operator_leader_election=False,
        operator_resync_seconds=1.0, operator_converge_seconds=0.2, operator_scale_to_zero_after_seconds=2.0),
        port=0)
    key = await stack.new_tenant_key(f"t-{uuid.uuid4().hex[:8]}")
    yield stack, fake, cluster, model_id, f"llama-{model_id[:6]}", deployment, key
    await operator.stop(0)
    await stack.stop()
    await fake.__aexit__(None, None, None)
    await engine.dispose()
    _drop_pg_database(name)


async def _observed(stack: InProcessStack, model_id: str, ok) -> pb.ObservedState:
    async def get() -> pb.ObservedState:
        async with internal_channel(stack.services["registry"].address) as ch:
            stub = registry_pb2_grpc.RegistryServiceStub(ch)
            return (await stub.GetModel(pb.GetModelRequest(id=model_id))).observed
    return await eventually(get, ok, timeout=30)


async def test_a_cold_model_is_woken_by_a_held_request_and_goes_back_to_zero(world):
    stack, fake, cluster, model_id, model, deployment, key = world
    await _observed(stack, model_id, lambda o: o.phase == "ScaledToZero")
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=60,
                                 headers={"Authorization": f"Bearer {key}"}) as http:
        held = asyncio.create_task(http.post("/v1/chat/completions", json={
            "model": model, "messages": [{"role": "user", "content": PROMPT}]}))
        assert await eventually(lambda: _value(cluster.replicas(deployment)), lambda n: n == 1, timeout=30) == 1
        scaling = await _observed(stack, model_id, lambda o: o.desired_replicas == 1)
        assert scaling.phase == "Scaling" and not held.done()
        cluster.set_ready(deployment, 1)  # the vLLM pod passed its readiness probe
        response = await held
        assert response.status_code == 200, response.text
        assert response.json()["choices"][0]["message"]["content"] == PROMPT  # PHI restored
        [upstream] = fake.seen(deployment)
        assert "John Smith" not in json.dumps(upstream.body) and "[PHI_SSN_1]" in json.dumps(upstream.body)
        assert (await _observed(stack, model_id, lambda o: o.phase == "Ready")).ready_replicas == 1

        # Idle for the window (2 s here): back to zero.
        assert await eventually(lambda: _value(cluster.replicas(deployment)), lambda n: n == 0, timeout=30) == 0
        cluster.set_ready(deployment, 0)
        zero = await _observed(stack, model_id, lambda o: o.phase == "ScaledToZero")
        assert zero.desired_replicas == 0 and zero.ready_replicas == 0 and "no request for 2 s" in zero.message

        # Cold again: a held stream gets keep-alives until the replica is ready, then its tokens.
        lines: list[str] = []

        async def stream() -> int:
            async with http.stream("POST", "/v1/chat/completions", json={
                    "model": model, "stream": True, "messages": [{"role": "user", "content": PROMPT}]}) as r:
                async for line in r.aiter_lines():
                    if line:
                        lines.append(line)
                return r.status_code

        streaming = asyncio.create_task(stream())
        await eventually(lambda: _value(lines), lambda got: got.count(": keep-alive") >= 2, timeout=30)
        assert await eventually(lambda: _value(cluster.replicas(deployment)), lambda n: n == 1, timeout=30) == 1
        assert all(line == ": keep-alive" for line in lines)  # nothing else before a replica is ready
        cluster.set_ready(deployment, 1)
        assert await streaming == 200
        data = [line for line in lines if line.startswith("data: ")]
        assert data[-1] == "data: [DONE]"
        text = "".join((json.loads(line[6:]).get("choices") or [{}])[0].get("delta", {}).get("content") or ""
                       for line in data[:-1])
        assert text == PROMPT
        first_data = lines.index(data[0])
        assert first_data >= 2 and all(line == ": keep-alive" for line in lines[:first_data])
