"""Streaming chat completions: PHI restored while streaming (placeholders split across chunks), usage billed with
the provider's real token counts, errors before and during the stream."""
import json

import openai
import pytest

from tests.eventually import eventually

PROMPT = "Patient John Smith (SSN 123-45-6789) called from 617-555-0134 about Maria Garcia."
ORIGINALS = ["John Smith", "123-45-6789", "617-555-0134", "Maria Garcia"]


@pytest.fixture
def client(stack, api_key):
    return openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)


async def test_stream_restores_phi_and_meters_real_tokens(stack, http, client, tenant_id, api_key):
    await http.delete(stack.demo_app_requests_url)
    stream = await client.chat.completions.create(model="radiant-demo", stream=True,
                                                  stream_options={"include_usage": True},
                                                  messages=[{"role": "user", "content": PROMPT}])
    pieces, usage = [], None
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
        if chunk.usage:
            usage = chunk.usage
    text = "".join(pieces)
    assert text == PROMPT
    # The demo provider streams 4-character chunks, so placeholders arrived split; none leaked to the client.
    assert all("[PHI_" not in p for p in pieces)
    sent = json.dumps((await http.get(stack.demo_app_requests_url)).json())
    for value in ORIGINALS:
        assert value not in sent
    assert usage is not None and usage.completion_tokens > 0
    h = {"Authorization": f"Bearer {api_key}"}

    async def report():
        r = await http.get("/api/v2/usage", headers=h, params={"start": "2020-01-01", "end": "2100-01-01"})
        return r.json()["data"]

    data = await eventually(report, lambda d: d["totalRequests"] == 1)
    assert data["breakdown"][0]["inputTokens"] == usage.prompt_tokens
    assert data["breakdown"][0]["outputTokens"] == usage.completion_tokens


async def test_stream_without_usage_option_sends_no_usage_chunk(client):
    stream = await client.chat.completions.create(model="radiant-demo", stream=True,
                                                  messages=[{"role": "user", "content": "hello there"}])
    chunks = [c async for c in stream]
    assert all(c.usage is None for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "hello there"


async def test_errors_before_streaming_are_plain_http_errors(client):
    with pytest.raises(openai.NotFoundError):
        await client.chat.completions.create(model="nope", stream=True, messages=[{"role": "user", "content": "x"}])


async def test_v2_refuses_streaming_with_a_clear_error(http, api_key):
    r = await http.post("/api/v2/chat/completions", headers={"X-API-Key": api_key}, json={
        "model": "radiant-demo", "stream": True, "messages": [{"role": "user", "content": "x"}]})
    assert r.status_code == 400 and "stream" in r.json()["error"]["details"]
