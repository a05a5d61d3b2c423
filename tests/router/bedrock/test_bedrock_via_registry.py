"""The seeded `bedrock` registry provider pointed at a local Bedrock Runtime: OpenAI and Bedrock clients reach
Bedrock through the router, SigV4-signed with the test credentials, PHI never leaving for the provider."""
import asyncio
import base64

import orjson
import openai
import pytest
from botocore.exceptions import ClientError, EventStreamError


MODEL = "bedrock-claude-3-5-sonnet"
UPSTREAM = "anthropic.claude-3-5-sonnet-20241022-v2:0"
PROMPT = "Patient John Smith (SSN 123-45-6789) asks whether lisinopril is safe."
ORIGINALS = ["John Smith", "123-45-6789"]
PNG = b"\x89PNG\r\n\x1a\n tiny scan"
TOOLS = {"tools": [{"toolSpec": {"name": "lookup_patient", "inputSchema": {"json": {
    "type": "object", "properties": {"echo": {"type": "string"}}}}}}]}


@pytest.fixture
async def bedrock_provider(stack, fake_bedrock, aws_env):
    """The seeded Bedrock provider and model against the fake."""
    async with stack.seeded_provider_at("bedrock", fake_bedrock.base_url, MODEL):
        yield fake_bedrock


def assert_no_phi(fake):
    for seen in fake.requests:
        for value in ORIGINALS:
            assert value not in seen["raw"].decode()


async def test_openai_client_reaches_bedrock(stack, api_key, bedrock_provider):
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)
    r = await client.chat.completions.create(model=MODEL, messages=[{"role": "system", "content": "Be terse."},
                                                                    {"role": "user", "content": PROMPT}])
    assert r.choices[0].message.content == "You said: " + PROMPT
    assert r.model == MODEL and r.usage.prompt_tokens > 0 and r.usage.completion_tokens > 0
    [seen] = bedrock_provider.requests
    assert seen["model"] == UPSTREAM and seen["headers"]["Authorization"].startswith("AWS4-HMAC-SHA256 ")
    assert seen["body"]["system"] == [{"text": "Be terse."}]
    assert "[PHI_NAME_1]" in seen["body"]["messages"][0]["content"][0]["text"]
    assert_no_phi(bedrock_provider)


async def test_openai_stream_reaches_bedrock(stack, api_key, bedrock_provider):
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)
    stream = await client.chat.completions.create(model=MODEL, stream=True, stream_options={"include_usage": True},
                                                  messages=[{"role": "user", "content": PROMPT}])
    chunks = [c async for c in stream]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "You said: " + PROMPT
    assert chunks[-1].usage.completion_tokens > 0
    assert bedrock_provider.requests[0]["path"].endswith("/converse-stream")
    assert_no_phi(bedrock_provider)


async def test_boto3_image_reaches_bedrock_as_bytes(bedrock, bedrock_provider):
    r = await bedrock("converse", modelId=MODEL, messages=[{"role": "user", "content": [
        {"text": "Describe this scan."}, {"image": {"format": "png", "source": {"bytes": PNG}}}]}])
    assert r["output"]["message"]["content"] == [{"text": "You said: Describe this scan. [images: png]"}]
    [seen] = bedrock_provider.requests
    assert seen["body"]["messages"][0]["content"][1] == {
        "image": {"format": "png", "source": {"bytes": base64.b64encode(PNG).decode()}}}


async def test_boto3_tool_use_round_trip_with_phi_restored(bedrock, bedrock_provider):
    first = await bedrock("converse", modelId=MODEL, toolConfig=TOOLS,
                          messages=[{"role": "user", "content": [{"text": PROMPT}]}])
    assert first["stopReason"] == "tool_use"
    [block] = first["output"]["message"]["content"]
    assert block["toolUse"]["name"] == "lookup_patient"
    assert block["toolUse"]["input"] == {"echo": PROMPT}  # the placeholders in the arguments were restored
    second = await bedrock("converse", modelId=MODEL, toolConfig=TOOLS, messages=[
        {"role": "user", "content": [{"text": PROMPT}]}, first["output"]["message"],
        {"role": "user", "content": [{"toolResult": {"toolUseId": block["toolUse"]["toolUseId"],
                                                     "content": [{"text": "John Smith: no known allergies"}]}}]}])
    assert second["output"]["message"]["content"] == [{"text": "Tool said: John Smith: no known allergies"}]
    assert second["stopReason"] == "end_turn"
    assert_no_phi(bedrock_provider)


async def test_boto3_stream_from_bedrock(bedrock, bedrock_provider):
    r = await bedrock("converse_stream", modelId=MODEL, messages=[{"role": "user", "content": [{"text": PROMPT}]}])
    events = await asyncio.to_thread(list, r["stream"])
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
    assert text == "You said: " + PROMPT
    assert events[-1]["metadata"]["usage"]["outputTokens"] > 0
    assert_no_phi(bedrock_provider)


async def test_upstream_throttling_reaches_boto3_as_throttling(bedrock, bedrock_provider):
    for _ in range(10):  # more than the router retries
        bedrock_provider.fail(429, "ThrottlingException", "Too many requests", retry_after="0")
    with pytest.raises(ClientError) as err:
        await bedrock("converse", modelId=MODEL, messages=[{"role": "user", "content": [{"text": "hi"}]}])
    assert err.value.response["Error"]["Code"] == "ThrottlingException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429


async def test_upstream_rejection_is_a_model_error(bedrock, bedrock_provider):
    bedrock_provider.fail(400, "ValidationException", "bad input")
    with pytest.raises(ClientError) as err:
        await bedrock("converse", modelId=MODEL, messages=[{"role": "user", "content": [{"text": "hi"}]}])
    assert err.value.response["Error"]["Code"] == "ModelErrorException"
    assert "bad input" not in err.value.response["Error"]["Message"]


async def test_exception_mid_stream_reaches_boto3_as_stream_error(bedrock, bedrock_provider):
    bedrock_provider.fail(400, "modelStreamErrorException", "model crashed", mid_stream=True, after=3)
    r = await bedrock("converse_stream", modelId=MODEL, messages=[{"role": "user", "content": [{"text": "hi"}]}])

    def read():
        got = []
        with pytest.raises(EventStreamError) as err:
            for event in r["stream"]:
                got.append(event)
        return got, err.value
    got, err = await asyncio.to_thread(read)
    assert err.response["Error"]["Code"] == "modelStreamErrorException"
    assert "".join(e["contentBlockDelta"]["delta"]["text"] for e in got if "contentBlockDelta" in e) == "You said: "


async def test_stream_that_cannot_start_is_an_http_error_from_converse_stream(bedrock, bedrock_provider):
    for _ in range(10):  # more than the router retries
        bedrock_provider.fail(503, "ServiceUnavailableException", "down", retry_after="0")
    with pytest.raises(ClientError) as err:
        await bedrock("converse_stream", modelId=MODEL, messages=[{"role": "user", "content": [{"text": "hi"}]}])
    assert err.value.response["Error"]["Code"] == "ServiceUnavailableException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


async def test_boto3_streamed_tool_use_with_phi_restored(bedrock, bedrock_provider):
    r = await bedrock("converse_stream", modelId=MODEL, toolConfig=TOOLS,
                      messages=[{"role": "user", "content": [{"text": PROMPT}]}])
    events = await asyncio.to_thread(list, r["stream"])
    [start] = [e["contentBlockStart"] for e in events if "contentBlockStart" in e]
    assert start["start"]["toolUse"] == {"toolUseId": "tooluse_fake0001", "name": "lookup_patient"}
    pieces = [e["contentBlockDelta"]["delta"]["toolUse"]["input"] for e in events
              if "contentBlockDelta" in e and e["contentBlockDelta"]["contentBlockIndex"] == start["contentBlockIndex"]]
    assert len(pieces) > 1
    assert orjson.loads("".join(pieces)) == {"echo": PROMPT}
    assert [e["messageStop"]["stopReason"] for e in events if "messageStop" in e] == ["tool_use"]
    assert_no_phi(bedrock_provider)
