"""Retries of retryable provider failures: exponential backoff with full jitter, Retry-After honoured up to a cap,
at most max attempts, never a retry for a request the provider rejected, never after the first streamed byte."""
import openai
import pytest

from services.router.providers.pool import ProviderPool
from tests.fakes.openai_server import Step
from tests.router.resilience.conftest import chat, usage_rows


@pytest.fixture
async def solo(world):
    provider, prefix = await world.provider()
    return await world.model(provider), prefix


async def test_retryable_failures_are_retried_with_growing_backoff(http, headers, fake, sleeps, solo):
    model, prefix = solo
    fake.script(prefix, Step(status=503), Step(status=500))
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(model, "third time lucky"))
    assert r.status_code == 200, r.text
    assert r.json()["choices"][0]["message"]["content"] == "third time lucky"
    assert len(fake.seen(prefix)) == 3
    # Full jitter is pinned to its ceiling here: base 0.25 s, doubling.
    assert sleeps.waited == [0.25, 0.5]


async def test_retries_stop_at_max_attempts(http, headers, fake, sleeps, solo):
    model, prefix = solo
    fake.script(prefix, *[Step(status=502)] * 5)
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(model))
    assert r.status_code == 503 and "HTTP 502" in r.json()["error"]["message"]
    assert len(fake.seen(prefix)) == 3 and len(sleeps.waited) == 2


async def test_retry_after_is_honoured(http, headers, fake, sleeps, solo):
    model, prefix = solo
    fake.script(prefix, Step(status=429, retry_after="2"))
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(model))
    assert r.status_code == 200 and len(fake.seen(prefix)) == 2
    assert sleeps.waited == [2.0]


async def test_retry_after_beyond_the_cap_is_not_waited_for(http, headers, fake, sleeps, solo):
    model, prefix = solo
    fake.script(prefix, Step(status=429, retry_after="120"))
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(model))
    assert r.status_code == 429 and r.headers["retry-after"] == "120"
    assert r.json()["error"]["code"] == "rate_limited"
    assert len(fake.seen(prefix)) == 1 and sleeps.waited == []


async def test_rejected_requests_are_not_retried(http, headers, fake, sleeps, solo):
    model, prefix = solo
    fake.script(prefix, Step(status=400, error_message="Invalid 'messages': patient John Smith"))
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(model))
    assert r.status_code == 502 and r.json()["error"]["code"] == "provider_error"
    assert "John Smith" not in r.text  # the provider's message may quote the prompt; it is not echoed
    assert len(fake.seen(prefix)) == 1 and sleeps.waited == []


async def test_dropped_connections_and_timeouts_are_retried(http, headers, fake, pipeline, solo):
    model, prefix = solo
    pool, pipeline.providers = pipeline.providers, ProviderPool(timeout=0.3, connect_timeout=0.3)
    try:
        fake.script(prefix, Step(drop=True), Step(delay=5))
        r = await http.post("/v1/chat/completions", headers=headers, json=chat(model, "finally"))
    finally:
        await pipeline.providers.close()
        pipeline.providers = pool
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "finally"
    seen = fake.seen(prefix)
    assert len(seen) == 3 and seen[0].dropped and seen[2].completed
    assert seen[1].cancelled  # the timed-out call was abandoned, not left running


async def test_streams_are_retried_before_the_first_chunk(stack, api_key, fake, sleeps, solo):
    model, prefix = solo
    fake.script(prefix, Step(status=503), Step(status=429, retry_after="1"))
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)
    stream = await client.chat.completions.create(model=model, stream=True,
                                                  messages=[{"role": "user", "content": "streamed after all"}])
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == "streamed after all" and len(fake.seen(prefix)) == 3
    assert sleeps.waited == [0.25, 1.0]


async def test_no_retry_after_the_first_streamed_byte(stack, http, api_key, headers, fake, sleeps, solo):
    model, prefix = solo
    fake.script(prefix, Step(break_after=3))
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)
    stream = await client.chat.completions.create(
        model=model, stream=True, messages=[{"role": "user", "content": "this answer breaks half way through"}])
    pieces = []
    with pytest.raises(openai.APIError) as err:
        async for c in stream:
            if c.choices:
                pieces.append(c.choices[0].delta.content or "")
    assert "unreachable" in str(err.value.message)
    assert "".join(pieces) == "this answer " and len(fake.seen(prefix)) == 1 and sleeps.waited == []
    # What was generated before the break is still metered.
    [row] = await usage_rows(http, headers, 1)
    assert row["outputTokens"] > 0


async def test_a_stream_that_cannot_start_is_a_plain_http_error(stack, api_key, fake, sleeps, solo):
    """Every attempt failed before the first chunk: the client gets the status and Retry-After, not a 200 stream."""
    model, prefix = solo
    fake.script(prefix, *[Step(status=429, retry_after="120")])
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)
    with pytest.raises(openai.RateLimitError) as err:
        await client.chat.completions.create(model=model, stream=True,
                                             messages=[{"role": "user", "content": "never streamed"}])
    assert err.value.status_code == 429 and err.value.response.headers["retry-after"] == "120"
    fake.script(prefix, *[Step(status=503)] * 3)
    with pytest.raises(openai.InternalServerError) as err:
        await client.chat.completions.create(model=model, stream=True,
                                             messages=[{"role": "user", "content": "never streamed"}])
    assert err.value.status_code == 503
