"""The Anthropic provider adapter against a local fake of the Messages API: headers, translated bodies, plain and
streamed answers, tools, images, and upstream errors mapped to the gateway's taxonomy."""
import pytest
from google.protobuf.struct_pb2 import Struct

from radiant.registry.v1 import registry_pb2
from services.router.providers.anthropic import AnthropicProvider
from services.router.providers.base import Timeouts, is_retryable
from services.router.providers.pool import ADAPTERS
from services.runtime.errors import ProviderError, RateLimitError, ServiceUnavailableError, ValidationError
from tests.fakes.anthropic_server import API_KEY
from tests.harness import free_port

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
QUERY_SCHEMA = {"type": "object", "properties": {"query": {"type": "string"}}}
TOOLS = [{"type": "function", "function": {"name": "lookup_patient", "description": "Find a chart",
                                           "parameters": QUERY_SCHEMA}}]


def _provider(base_url: str, version: str | None = None) -> registry_pb2.Provider:
    config = Struct()
    if version:
        config.update({"anthropic_version": version})
    return registry_pb2.Provider(id="anthropic-test", base_url=base_url, api_format=registry_pb2.API_FORMAT_ANTHROPIC,
                                 config=config)


@pytest.fixture
async def adapter(fake):
    a = AnthropicProvider(_provider(fake.base_url), Timeouts(total=10, connect=2))
    yield a
    await a.close()


def _body(content="Hello there, Claude", **extra):
    return {"model": "claude-3-5-haiku-20241022",
            "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": content}], **extra}


def test_registered_for_the_anthropic_wire_format():
    assert ADAPTERS[registry_pb2.API_FORMAT_ANTHROPIC] is AnthropicProvider


async def test_plain_chat_sends_anthropic_headers_and_body(adapter, fake):
    answer = await adapter.chat(_body(max_tokens=50, stop=["\n\n"], user="u-1"), API_KEY)
    [seen] = fake.requests
    assert seen["headers"]["x-api-key"] == API_KEY and seen["headers"]["anthropic-version"] == "2023-06-01"
    assert "authorization" not in seen["headers"]
    assert seen["body"] == {"model": "claude-3-5-haiku-20241022", "system": "Be brief.", "max_tokens": 50,
                            "stop_sequences": ["\n\n"], "metadata": {"user_id": "u-1"},
                            "messages": [{"role": "user",
                                          "content": [{"type": "text", "text": "Hello there, Claude"}]}]}
    assert answer["object"] == "chat.completion" and answer["id"].startswith("msg_")
    assert answer["choices"][0]["message"] == {"role": "assistant", "content": "Hello there, Claude"}
    assert answer["choices"][0]["finish_reason"] == "stop"
    assert answer["usage"] == {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}


async def test_max_tokens_default_and_version_from_provider_config(fake):
    adapter = AnthropicProvider(_provider(fake.base_url + "/v1", version="2023-01-01"), Timeouts(10, 2))
    try:
        await adapter.chat(_body(), API_KEY)
    finally:
        await adapter.close()
    [seen] = fake.requests
    assert seen["headers"]["anthropic-version"] == "2023-01-01" and seen["body"]["max_tokens"] == 4096


async def test_stop_sequence_hit_is_a_stop(adapter):
    answer = await adapter.chat(_body("one two END three", stop="END"), API_KEY)
    assert answer["choices"][0]["message"]["content"] == "one two " and answer["choices"][0]["finish_reason"] == "stop"


async def test_streaming_yields_openai_chunks_and_final_usage(adapter, fake):
    chunks = [c async for c in adapter.stream_chat(_body("streaming works fine"), API_KEY)]
    assert fake.bodies()[0]["stream"] is True
    assert fake.requests[0]["headers"]["accept"] == "text/event-stream"
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    pieces = [c["choices"][0]["delta"].get("content") for c in chunks if c["choices"]]
    assert "".join(p or "" for p in pieces) == "streaming works fine"
    assert len([p for p in pieces if p]) == 4  # the fake streams 5 characters per delta
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 3


async def test_tool_call_and_tool_result_round_trip(adapter, fake):
    first = await adapter.chat(_body("find Jane", tools=TOOLS, tool_choice="required"), API_KEY)
    assert fake.bodies()[0]["tools"] == [{"name": "lookup_patient", "description": "Find a chart",
                                          "input_schema": TOOLS[0]["function"]["parameters"]}]
    assert fake.bodies()[0]["tool_choice"] == {"type": "any"}
    message = first["choices"][0]["message"]
    assert first["choices"][0]["finish_reason"] == "tool_calls" and message["content"] == "Let me check."
    [call] = message["tool_calls"]
    assert call["function"] == {"name": "lookup_patient", "arguments": '{"query":"find Jane"}'}
    follow_up = _body("find Jane", tools=TOOLS)
    follow_up["messages"] += [message, {"role": "tool", "tool_call_id": call["id"], "content": "chart 7"}]
    second = await adapter.chat(follow_up, API_KEY)
    assert second["choices"][0]["message"]["content"] == "tool said: chart 7"
    sent = fake.bodies()[1]["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    assert sent[2]["content"] == [{"type": "tool_result", "tool_use_id": call["id"], "content": "chart 7"}]


async def test_streamed_tool_call(adapter):
    chunks = [c async for c in adapter.stream_chat(_body("find Jane", tools=TOOLS), API_KEY)]
    calls = [tc for c in chunks if c["choices"] for tc in c["choices"][0]["delta"].get("tool_calls") or ()]
    assert calls[0]["id"].startswith("toolu_") and calls[0]["function"]["name"] == "lookup_patient"
    assert "".join(tc["function"]["arguments"] for tc in calls) == '{"query":"find Jane"}'
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]][-1] == "tool_calls"


async def test_images_go_as_base64_and_url_sources(adapter, fake):
    content = [{"type": "text", "text": "what is this"},
               {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
               {"type": "image_url", "image_url": {"url": "https://example.com/x.jpg", "detail": "low"}}]
    answer = await adapter.chat(_body(content), API_KEY)
    assert answer["choices"][0]["message"]["content"] == "what is this"
    blocks = fake.bodies()[0]["messages"][0]["content"]
    assert blocks[1] == {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}
    assert blocks[2] == {"type": "image", "source": {"type": "url", "url": "https://example.com/x.jpg"}}


async def test_429_is_rate_limited_with_retry_after(adapter, fake):
    fake.fail_next(429, "rate_limit_error", "Number of request tokens has exceeded your rate limit",
                   retry_after="7")
    with pytest.raises(RateLimitError) as err:
        await adapter.chat(_body(), API_KEY)
    assert err.value.retry_after == 7 and err.value.headers["Retry-After"] == "7" and is_retryable(err.value)
    assert "request tokens" not in err.value.message  # the provider's text is not echoed


@pytest.mark.parametrize("status,kind", [(529, "overloaded_error"), (500, "api_error")])
async def test_overloaded_and_server_errors_are_retryable_503(adapter, fake, status, kind):
    fake.fail_next(status, kind, "Overloaded")
    with pytest.raises(ServiceUnavailableError) as err:
        await adapter.chat(_body(), API_KEY)
    assert is_retryable(err.value) and str(status) in err.value.message


async def test_streaming_request_refused_before_the_stream_starts(adapter, fake):
    fake.fail_next(529, "overloaded_error", "Overloaded")
    with pytest.raises(ServiceUnavailableError):
        [c async for c in adapter.stream_chat(_body(), API_KEY)]


async def test_error_event_mid_stream(adapter, fake):
    fake.fail_next(200, "overloaded_error", "Overloaded", mid_stream=True)
    received = []
    with pytest.raises(ServiceUnavailableError):
        async for chunk in adapter.stream_chat(_body("a long enough answer"), API_KEY):
            received.append(chunk)
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in received if c["choices"]) == "a lon"


async def test_bad_key_and_bad_request_are_provider_errors(adapter, fake):
    with pytest.raises(ProviderError) as err:
        await adapter.chat(_body(), "sk-ant-wrong")
    assert "401" in err.value.message and not is_retryable(err.value)
    fake.fail_next(400, "invalid_request_error", "prompt is too long")
    with pytest.raises(ProviderError) as err:
        await adapter.chat(_body(), API_KEY)
    assert "400" in err.value.message and not is_retryable(err.value)


async def test_unreachable_provider_is_retryable_503():
    adapter = AnthropicProvider(_provider(f"http://127.0.0.1:{free_port()}"), Timeouts(total=5, connect=1))
    try:
        with pytest.raises(ServiceUnavailableError) as err:
            await adapter.chat(_body(), API_KEY)
    finally:
        await adapter.close()
    assert "unreachable" in err.value.message and is_retryable(err.value)


async def test_untranslatable_request_is_refused_before_sending(adapter, fake):
    with pytest.raises(ValidationError):
        await adapter.chat(_body(temperature=1.7), API_KEY)
    assert fake.requests == []


async def test_embeddings_are_not_offered(adapter):
    with pytest.raises(ValidationError) as err:
        await adapter.embeddings({"model": "claude-3-5-haiku", "input": "x"}, API_KEY)
    assert "no embeddings" in err.value.message


async def test_legacy_functions_come_back_as_function_call(adapter):
    body = _body("find Jane", functions=[TOOLS[0]["function"]])
    answer = await adapter.chat(body, API_KEY)
    assert answer["choices"][0]["message"]["function_call"]["name"] == "lookup_patient"
    assert answer["choices"][0]["finish_reason"] == "function_call"
    chunks = [c async for c in adapter.stream_chat(body, API_KEY)]
    args = "".join(c["choices"][0]["delta"]["function_call"]["arguments"]
                   for c in chunks if c["choices"] and "function_call" in c["choices"][0]["delta"])
    assert args == '{"query":"find Jane"}'
