"""The Bedrock adapter against a local Bedrock Runtime that verifies SigV4 signatures and speaks Converse JSON and
ConverseStream event-stream frames."""
import base64

import pytest

from radiant.registry.v1 import registry_pb2
from services.router.providers.base import Timeouts, is_retryable
from services.router.providers.bedrock import BedrockProvider
from services.runtime.errors import ProviderError, RateLimitError, ServiceUnavailableError, ValidationError
from tests.router.bedrock.conftest import aws_provider

MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n fake image bytes").decode()
TOOLS = [{"type": "function", "function": {"name": "lookup_drug", "description": "Find a drug",
                                           "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}]


@pytest.fixture
async def adapter(fake_bedrock, aws_env):
    a = BedrockProvider(aws_provider(fake_bedrock, registry_pb2.API_FORMAT_BEDROCK), Timeouts(total=10, connect=2))
    yield a
    await a.close()


def body(**kw):
    return {"model": MODEL, "messages": [{"role": "system", "content": "Be terse."},
                                         {"role": "user", "content": "What is lisinopril?"}], **kw}


async def test_chat_is_signed_translated_and_answered(adapter, fake_bedrock):
    out = await adapter.chat(body(max_tokens=64, temperature=0.2, stop=["END"]), None)
    assert out["object"] == "chat.completion"
    assert out["choices"][0]["message"] == {"role": "assistant", "content": "You said: What is lisinopril?"}
    assert out["choices"][0]["finish_reason"] == "stop"
    assert out["usage"] == {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10}
    [seen] = fake_bedrock.requests
    # The model id's ':' is percent-encoded in the signed path, as the AWS SDKs send it.
    assert seen["path"] == "/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse"
    assert seen["model"] == MODEL
    assert seen["headers"]["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDRADIANTTEST/")
    assert "/us-east-1/bedrock/aws4_request" in seen["headers"]["Authorization"]
    assert seen["body"] == {"system": [{"text": "Be terse."}],
                            "messages": [{"role": "user", "content": [{"text": "What is lisinopril?"}]}],
                            "inferenceConfig": {"maxTokens": 64, "temperature": 0.2, "stopSequences": ["END"]}}


async def test_wrong_secret_is_refused_by_the_signature_check(fake_bedrock, aws_env, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    a = BedrockProvider(aws_provider(fake_bedrock, registry_pb2.API_FORMAT_BEDROCK), Timeouts(total=10, connect=2))
    try:
        with pytest.raises(ProviderError) as err:
            await a.chat(body(), None)
    finally:
        await a.close()
    assert "HTTP 403" in err.value.message and "InvalidSignatureException" in err.value.message
    assert not is_retryable(err.value)


async def test_bedrock_api_key_is_sent_as_bearer(adapter, fake_bedrock):
    out = await adapter.chat(body(), "bedrock-api-key-test")
    assert out["choices"][0]["message"]["content"] == "You said: What is lisinopril?"
    assert fake_bedrock.requests[-1]["headers"]["Authorization"] == "Bearer bedrock-api-key-test"


async def test_stream_decodes_event_frames_into_chunks(adapter):
    chunks = [c async for c in adapter.stream_chat(body(), None)]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == "You said: What is lisinopril?"
    assert len([c for c in chunks if c["choices"] and c["choices"][0]["delta"].get("content")]) > 3
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    finish = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
    assert finish == ["stop"]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 5


async def test_tools_round_trip(adapter, fake_bedrock):
    out = await adapter.chat(body(tools=TOOLS, tool_choice={"type": "function", "function": {"name": "lookup_drug"}}),
                             None)
    choice = out["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    [call] = choice["message"]["tool_calls"]
    assert call["function"]["name"] == "lookup_drug" and call["id"] == "tooluse_fake0001"
    assert call["function"]["arguments"] == '{"echo":"What is lisinopril?"}'
    sent = fake_bedrock.requests[-1]["body"]["toolConfig"]
    assert sent == {"tools": [{"toolSpec": {"name": "lookup_drug", "description": "Find a drug", "inputSchema": {
        "json": {"type": "object", "properties": {"q": {"type": "string"}}}}}}],
        "toolChoice": {"tool": {"name": "lookup_drug"}}}
    # Second turn: the assistant's call and the tool's result go back as toolUse / toolResult blocks.
    follow = body(tools=TOOLS)
    follow["messages"] += [choice["message"],
                           {"role": "tool", "tool_call_id": call["id"], "content": "an ACE inhibitor"}]
    out = await adapter.chat(follow, None)
    assert out["choices"][0]["message"]["content"] == "Tool said: an ACE inhibitor"
    msgs = fake_bedrock.requests[-1]["body"]["messages"]
    assert msgs[1] == {"role": "assistant", "content": [{"toolUse": {
        "toolUseId": "tooluse_fake0001", "name": "lookup_drug", "input": {"echo": "What is lisinopril?"}}}]}
    assert msgs[2] == {"role": "user", "content": [{"toolResult": {"toolUseId": "tooluse_fake0001",
                                                                   "content": [{"text": "an ACE inhibitor"}]}}]}


async def test_streamed_tool_call_arrives_in_pieces(adapter):
    chunks = [c async for c in adapter.stream_chat(body(tools=TOOLS), None)]
    calls = [tc for c in chunks if c["choices"] for tc in c["choices"][0]["delta"].get("tool_calls") or ()]
    assert calls[0]["id"] == "tooluse_fake0001" and calls[0]["function"]["name"] == "lookup_drug"
    assert "".join(tc["function"]["arguments"] for tc in calls) == '{"echo":"What is lisinopril?"}'
    assert {tc["index"] for tc in calls} == {0}
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]] \
        == ["tool_calls"]


async def test_images_are_sent_as_bytes(adapter, fake_bedrock):
    msg = {"role": "user", "content": [{"type": "text", "text": "What is in this scan?"},
                                       {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}]}
    out = await adapter.chat({"model": MODEL, "messages": [msg]}, None)
    assert out["choices"][0]["message"]["content"] == "You said: What is in this scan? [images: png]"
    assert fake_bedrock.requests[-1]["body"]["messages"][0]["content"][1] == {
        "image": {"format": "png", "source": {"bytes": PNG}}}


async def test_http_image_urls_are_refused_before_sending(adapter, fake_bedrock):
    msg = {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/x.png"}}]}
    with pytest.raises(ValidationError) as err:
        await adapter.chat({"model": MODEL, "messages": [msg]}, None)
    assert "data URL" in err.value.message and not fake_bedrock.requests


@pytest.mark.parametrize("status,error_type,expected,retryable", [
    (429, "ThrottlingException", RateLimitError, True),
    (400, "ThrottlingException", RateLimitError, True),
    (503, "ServiceUnavailableException", ServiceUnavailableError, True),
    (500, "InternalServerException", ServiceUnavailableError, True),
    (408, "ModelTimeoutException", ServiceUnavailableError, True),
    (400, "ValidationException", ProviderError, False),
    (403, "AccessDeniedException", ProviderError, False),
    (424, "ModelErrorException", ProviderError, False),
])
async def test_errors_map_to_the_taxonomy(adapter, fake_bedrock, status, error_type, expected, retryable):
    fake_bedrock.fail(status, error_type, "prompt text that must not leak", retry_after="7" if status == 429 else None)
    with pytest.raises(expected) as err:
        await adapter.chat(body(), None)
    assert is_retryable(err.value) is retryable
    assert error_type in err.value.message and "prompt text" not in err.value.message
    if status == 429:
        assert err.value.retry_after == 7


@pytest.mark.parametrize("exception_type,expected", [
    ("throttlingException", RateLimitError), ("modelStreamErrorException", ProviderError),
    ("serviceUnavailableException", ServiceUnavailableError)])
async def test_exceptions_inside_the_stream_raise_after_the_text_so_far(adapter, fake_bedrock, exception_type,
                                                                        expected):
    fake_bedrock.fail(400, exception_type, "boom", mid_stream=True, after=3)
    got = []
    with pytest.raises(expected) as err:
        async for chunk in adapter.stream_chat(body(), None):
            got.append(chunk)
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in got) == "You said: "
    assert exception_type[0].upper() + exception_type[1:] in err.value.message


async def test_unreachable_endpoint_is_retryable_unavailable(aws_env):
    from tests.harness import free_port

    class Gone:
        base_url = f"http://127.0.0.1:{free_port()}"
    a = BedrockProvider(aws_provider(Gone, registry_pb2.API_FORMAT_BEDROCK), Timeouts(total=5, connect=1))
    try:
        with pytest.raises(ServiceUnavailableError) as err:
            await a.chat(body(), None)
    finally:
        await a.close()
    assert is_retryable(err.value)
