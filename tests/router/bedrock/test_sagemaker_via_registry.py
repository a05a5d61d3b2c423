"""The seeded `sagemaker` registry provider pointed at a local SageMaker Runtime: an OpenAI client reaches a TGI
endpoint through the router (SigV4 for service `sagemaker`, the Mistral chat template, PHI replaced before it
leaves)."""
import openai
import pytest

MODEL = "mistral-7b-instruct"
PROMPT = "Patient John Smith (SSN 123-45-6789) asks whether lisinopril is safe."


@pytest.fixture
async def sagemaker_provider(stack, fake_sagemaker, aws_env):
    """The seeded SageMaker provider and Mistral model against the fake, with one ready replica reported."""
    config = {"region": "us-east-1", "container": "tgi",
              "endpoints": {"mistralai/Mistral-7B-Instruct-v0.2": "radiant-mistral-7b"}}
    async with stack.seeded_provider_at("sagemaker", fake_sagemaker.base_url, MODEL, config, ready_replicas=1):
        yield fake_sagemaker


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
