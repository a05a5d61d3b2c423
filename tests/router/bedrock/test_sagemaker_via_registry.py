"""The seeded `sagemaker` registry provider pointed at a local SageMaker Runtime: an OpenAI client reaches a TGI
endpoint through the router (SigV4 for service `sagemaker`, the Mistral chat template, PHI replaced before it
leaves)."""
import grpc
import openai
import pytest
from google.protobuf.struct_pb2 import Struct

from radiant.registry.v1 import registry_pb2, registry_pb2_grpc
from services.registry.catalogue import model_id, provider_id

MODEL = "mistral-7b-instruct"
PROMPT = "Patient John Smith (SSN 123-45-6789) asks whether lisinopril is safe."


@pytest.fixture
async def sagemaker_provider(stack, fake_sagemaker, aws_env):
    """Activate the seeded SageMaker provider and Mistral model against the fake, with one ready replica reported;
    put everything back afterwards."""
    config = Struct()
    config.update({"region": "us-east-1", "container": "tgi",
                   "endpoints": {"mistralai/Mistral-7B-Instruct-v0.2": "radiant-mistral-7b"}})
    async with grpc.aio.insecure_channel(stack.services["registry"].address) as ch:
        registry = registry_pb2_grpc.RegistryServiceStub(ch)
        before = await registry.GetProvider(registry_pb2.GetProviderRequest(id=provider_id("sagemaker")))
        model_before = await registry.GetModel(registry_pb2.GetModelRequest(id=model_id(MODEL)))
        await registry.UpdateProvider(registry_pb2.UpdateProviderRequest(
            id=before.id, base_url=fake_sagemaker.base_url, status=registry_pb2.STATUS_ACTIVE, config=config))
        await registry.UpdateModel(registry_pb2.UpdateModelRequest(id=model_id(MODEL),
                                                                   status=registry_pb2.STATUS_ACTIVE))
        await registry.ReportObservedState(registry_pb2.ReportObservedStateRequest(
            model_id=model_id(MODEL), observed=registry_pb2.ObservedState(ready_replicas=1, desired_replicas=1,
                                                                          phase="InService")))
        try:
            yield fake_sagemaker
        finally:
            await registry.ReportObservedState(registry_pb2.ReportObservedStateRequest(
                model_id=model_id(MODEL), observed=model_before.observed))
            await registry.UpdateModel(registry_pb2.UpdateModelRequest(id=model_id(MODEL),
                                                                       status=model_before.status))
            await registry.UpdateProvider(registry_pb2.UpdateProviderRequest(
                id=before.id, base_url=before.base_url, status=before.status, config=before.config))


async def test_openai_client_reaches_a_tgi_endpoint(stack, api_key, sagemaker_provider):
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)
    r = await client.chat.completions.create(model=MODEL, max_tokens=100,
                                             messages=[{"role": "system", "content": "Be terse."},
                                                       {"role": "user", "content": PROMPT}])
    [seen] = sagemaker_provider.requests
    prompt = seen["body"]["inputs"]
    assert seen["path"] == "/endpoints/radiant-mistral-7b/invocations"
    assert "/sagemaker/aws4_request" in seen["headers"]["Authorization"]
    assert prompt.startswith("<s>[INST] Be terse.\n\nPatient [PHI_NAME_1]") and prompt.endswith(" [/INST]")
    assert "John Smith" not in prompt and "123-45-6789" not in prompt
    assert r.choices[0].message.content == f"TGI read {len(prompt)} characters"
    assert r.usage.completion_tokens == 5 and r.usage.prompt_tokens > 0


async def test_openai_stream_from_a_tgi_endpoint(stack, api_key, sagemaker_provider):
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)
    stream = await client.chat.completions.create(model=MODEL, stream=True, stream_options={"include_usage": True},
                                                  messages=[{"role": "user", "content": PROMPT}])
    chunks = [c async for c in stream]
    prompt = sagemaker_provider.requests[0]["body"]["inputs"]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == \
        f"TGI read {len(prompt)} characters"
    assert chunks[-1].usage.completion_tokens == 5
