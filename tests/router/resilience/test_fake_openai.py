"""The fault-injecting fake speaks OpenAI's wire format: the official SDK parses its answers, streams and errors."""
import openai
import pytest

from tests.fakes.openai_server import Step


@pytest.fixture
def sdk(fake):
    return openai.AsyncOpenAI(base_url=fake.url("sdk"), api_key="sk-test", max_retries=0)


async def test_sdk_reads_completions_streams_and_tool_calls(fake, sdk):
    fake.reset()
    done = await sdk.chat.completions.create(model="gpt-x", messages=[{"role": "user", "content": "ping pong"}])
    assert done.choices[0].message.content == "ping pong" and done.usage.completion_tokens == 2
    stream = await sdk.chat.completions.create(model="gpt-x", stream=True, stream_options={"include_usage": True},
                                               messages=[{"role": "user", "content": "stream me please"}])
    chunks = [c async for c in stream]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "stream me please"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 3
    fake.script("sdk", Step(tool_call={"name": "lookup", "arguments": '{"q": 1}'}))
    called = await sdk.chat.completions.create(model="gpt-x", messages=[{"role": "user", "content": "x"}])
    assert called.choices[0].message.tool_calls[0].function.arguments == '{"q": 1}'
    assert [r.body["model"] for r in fake.seen("sdk")] == ["gpt-x"] * 3


async def test_sdk_parses_error_bodies_and_retry_after(fake, sdk):
    fake.reset()
    fake.script("sdk", Step(status=429, retry_after="7", error_message="Rate limit reached"),
                Step(status=400, error_message="Invalid 'messages'"), Step(status=503))
    with pytest.raises(openai.RateLimitError) as rate:
        await sdk.chat.completions.create(model="gpt-x", messages=[{"role": "user", "content": "x"}])
    assert rate.value.response.headers["retry-after"] == "7" and rate.value.code == "rate_limit_exceeded"
    with pytest.raises(openai.BadRequestError) as bad:
        await sdk.chat.completions.create(model="gpt-x", messages=[{"role": "user", "content": "x"}])
    assert bad.value.body["type"] == "invalid_request_error"
    with pytest.raises(openai.InternalServerError):
        await sdk.chat.completions.create(model="gpt-x", messages=[{"role": "user", "content": "x"}])


async def test_dropped_connections_and_broken_streams_reach_the_sdk(fake, sdk):
    fake.reset()
    fake.script("sdk", Step(drop=True), Step(break_after=2))
    with pytest.raises(openai.APIConnectionError):
        await sdk.chat.completions.create(model="gpt-x", messages=[{"role": "user", "content": "x"}])
    stream = await sdk.chat.completions.create(model="gpt-x", stream=True,
                                               messages=[{"role": "user", "content": "a longer answer here"}])
    with pytest.raises(openai.APIConnectionError):
        async for _ in stream:
            pass
    assert [r.dropped for r in fake.seen("sdk")] == [True, True]
