"""The Azure OpenAI adapter against a fake Azure resource: deployment URLs, api-version, the api-key header, Azure's
answers (content-filter annotations, a first stream event without choices) and its errors mapped like every
provider's (429 -> RATE_LIMITED with Retry-After, 5xx -> SERVICE_UNAVAILABLE, other errors -> PROVIDER_ERROR);
then the same provider reached through the router with the official SDK."""
import openai
import pytest
from google.protobuf.struct_pb2 import Struct

from radiant.registry.v1 import registry_pb2
from services.router.providers.azure_openai import DEFAULT_API_VERSION, AzureOpenAIProvider
from services.router.providers.base import Timeouts, is_retryable
from services.runtime.errors import ProviderError, RateLimitError, ServiceUnavailableError
from tests.router.openai.conftest import AZURE_CHAT

CHAT = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello Azure"}]}


def _adapter(fake, *, base_suffix: str = "", api_version: str | None = None) -> AzureOpenAIProvider:
    config = Struct()
    if api_version is not None:
        config.update({"api_version": api_version})
    provider = registry_pb2.Provider(id="azure-test", base_url=fake.url + base_suffix, config=config,
                                     api_format=registry_pb2.API_FORMAT_AZURE_OPENAI)
    return AzureOpenAIProvider(provider, Timeouts(total=5, connect=2))


@pytest.fixture
async def fake(azure_fake):
    azure_fake.requests.clear()
    azure_fake.faults.clear()
    yield azure_fake
    azure_fake.faults.clear()


@pytest.mark.parametrize("base_suffix", ["", "/openai", "/openai/"], ids=["resource", "openai root", "slash"])
async def test_chat_goes_to_the_deployment_url_with_api_version_and_api_key(fake, base_suffix):
    adapter = _adapter(fake, base_suffix=base_suffix, api_version="2024-06-01")
    try:
        answer = await adapter.chat(CHAT, fake.api_key)
    finally:
        await adapter.close()
    assert answer["choices"][0]["message"]["content"] == "Hello Azure"
    assert answer["model"] == "gpt-4o-2024-08-06" and answer["usage"]["total_tokens"] > 0
    [sent] = fake.requests
    assert sent.path == "/openai/deployments/gpt-4o/chat/completions"
    assert sent.query == {"api-version": "2024-06-01"}
    assert sent.headers["api-key"] == fake.api_key and "Authorization" not in sent.headers
    assert sent.body == CHAT


async def test_default_api_version_when_the_provider_names_none(fake):
    adapter = _adapter(fake)
    try:
        await adapter.chat(CHAT, fake.api_key)
    finally:
        await adapter.close()
    assert fake.requests[-1].query["api-version"] == DEFAULT_API_VERSION


async def test_stream_relays_azure_chunks(fake):
    adapter = _adapter(fake)
    try:
        chunks = [c async for c in adapter.stream_chat(
            {**CHAT, "stream": True, "stream_options": {"include_usage": True}}, fake.api_key)]
    finally:
        await adapter.close()
    assert chunks[0]["choices"] == [] and "prompt_filter_results" in chunks[0]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == "Hello Azure"
    assert chunks[-1]["usage"]["completion_tokens"] > 0
    assert fake.requests[-1].headers["Accept"] == "text/event-stream"


async def test_embeddings_use_the_embeddings_deployment(fake):
    adapter = _adapter(fake)
    try:
        answer = await adapter.embeddings({"model": "embed-small", "input": ["a", "b"]}, fake.api_key)
    finally:
        await adapter.close()
    assert [d["index"] for d in answer["data"]] == [0, 1]
    assert fake.requests[-1].path == "/openai/deployments/embed-small/embeddings"


@pytest.mark.parametrize("case,expected,retryable", [
    ("wrong key", ProviderError, False),
    ("unknown deployment", ProviderError, False),
    ("unsupported api-version", ProviderError, False),
    ("500", ServiceUnavailableError, True),
    ("503", ServiceUnavailableError, True),
])
async def test_errors_map_to_the_taxonomy(fake, case, expected, retryable):
    adapter = _adapter(fake, api_version="1999-01-01" if case == "unsupported api-version" else None)
    body, key = dict(CHAT), fake.api_key
    if case == "wrong key":
        key = "not-the-key"
    elif case == "unknown deployment":
        body["model"] = "gpt-5-nowhere"
    elif case.isdigit():
        fake.fail_next(int(case))
    try:
        with pytest.raises(expected) as caught:
            await adapter.chat(body, key)
    finally:
        await adapter.close()
    assert is_retryable(caught.value) is retryable
    assert "azure-test" in caught.value.message
    assert key not in caught.value.message


@pytest.mark.parametrize("streaming", [False, True], ids=["json", "stream"])
async def test_429_is_rate_limited_with_azures_retry_after(fake, streaming):
    fake.fail_next(429, retry_after=17)
    adapter = _adapter(fake)
    try:
        with pytest.raises(RateLimitError) as caught:
            if streaming:
                [c async for c in adapter.stream_chat({**CHAT, "stream": True}, fake.api_key)]
            else:
                await adapter.chat(CHAT, fake.api_key)
    finally:
        await adapter.close()
    assert caught.value.retry_after == 17 and caught.value.headers["Retry-After"] == "17"
    assert is_retryable(caught.value)


async def test_sdk_through_the_router_to_azure(aclient, fake):
    completion = await aclient.chat.completions.create(model=AZURE_CHAT, messages=[
        {"role": "user", "content": "Patient Maria Garcia asks about her results"}])
    assert completion.choices[0].message.content == "Patient Maria Garcia asks about her results"
    assert completion.model == AZURE_CHAT
    stream = await aclient.chat.completions.create(model=AZURE_CHAT, stream=True,
                                                   stream_options={"include_usage": True},
                                                   messages=[{"role": "user", "content": "stream via Azure"}])
    chunks = [c async for c in stream]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "stream via Azure"
    assert chunks[-1].usage.completion_tokens > 0
    assert all(r.path == "/openai/deployments/gpt-4o/chat/completions" for r in fake.requests)
    assert "Maria Garcia" not in str(fake.requests[0].body)


async def test_sdk_sees_azures_rate_limit_as_429_with_retry_after(aclient, fake):
    fake.fail_next(429, retry_after=120)  # longer than the router waits: handed to the client
    with pytest.raises(openai.RateLimitError) as caught:
        await aclient.chat.completions.create(model=AZURE_CHAT, messages=[{"role": "user", "content": "hi"}])
    assert caught.value.response.headers["retry-after"] == "120"
