"""boto3's bedrock-runtime client, unchanged, against the router: Converse and ConverseStream through the whole
pipeline (PHI sanitized before the provider and restored in the answer), Bedrock-shaped errors."""
import asyncio
import base64

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError

from services.registry import catalogue
from services.registry.store import RegistryStore
from services.runtime.db import create_engine
from tests.router.bedrock.conftest import bedrock_client

PROMPT = "Patient John Smith, SSN 123-45-6789, asks about his lisinopril dose."
ORIGINALS = ["John Smith", "123-45-6789"]
PNG = base64.b64decode(base64.b64encode(b"\x89PNG\r\n\x1a\n tiny"))


async def provider_saw(stack) -> list[dict]:
    async with httpx.AsyncClient() as c:
        return (await c.get(stack.demo_app_requests_url)).json()


async def forget(stack) -> None:
    async with httpx.AsyncClient() as c:
        await c.delete(stack.demo_app_requests_url)


def user(*blocks):
    return [{"role": "user", "content": list(blocks)}]


async def test_converse_with_system_prompt_restores_phi(stack, bedrock):
    await forget(stack)
    r = await bedrock("converse", modelId="radiant-demo", system=[{"text": "You are terse."}],
                      messages=user({"text": PROMPT}), inferenceConfig={"maxTokens": 200, "temperature": 0.5})
    text = r["output"]["message"]["content"][0]["text"]
    assert r["output"]["message"]["role"] == "assistant"
    for value in ORIGINALS:
        assert value in text
    assert r["stopReason"] == "end_turn"
    assert r["usage"]["inputTokens"] > 0 and r["usage"]["outputTokens"] > 0
    assert r["usage"]["totalTokens"] == r["usage"]["inputTokens"] + r["usage"]["outputTokens"]
    [seen] = await provider_saw(stack)
    sent = str(seen)
    for value in ORIGINALS:
        assert value not in sent
    assert "[PHI_NAME_1]" in sent and "lisinopril" in sent
    assert seen["messages"][0] == {"role": "system", "content": "You are terse."}
    assert seen["max_tokens"] == 200 and seen["temperature"] == 0.5


async def test_converse_stream_restores_phi_and_reports_usage(stack, bedrock):
    await forget(stack)
    r = await bedrock("converse_stream", modelId="radiant-demo", messages=user({"text": PROMPT}))
    events = await asyncio.to_thread(list, r["stream"])  # reading blocks: not on the loop serving the router
    assert list(events[0]) == ["messageStart"] and events[0]["messageStart"]["role"] == "assistant"
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
    assert text == PROMPT  # the demo provider echoes; placeholders were restored across split chunks
    assert [list(e)[0] for e in events[-3:]] == ["contentBlockStop", "messageStop", "metadata"]
    assert events[-2]["messageStop"]["stopReason"] == "end_turn"
    usage = events[-1]["metadata"]["usage"]
    assert usage["outputTokens"] > 0 and usage["totalTokens"] == usage["inputTokens"] + usage["outputTokens"]
    sent = str((await provider_saw(stack))[0])
    assert all(value not in sent for value in ORIGINALS)


TEXT_ONLY = "radiant-demo-text-only"


@pytest.fixture(scope="module")
async def text_only_model(stack):
    """A demo model without vision (the seeded radiant-demo accepts images)."""
    engine = create_engine(stack.db_url)
    await RegistryStore(engine).insert_absent([], [catalogue._model(
        catalogue.DEMO_PROVIDER, TEXT_ONLY, "Radiant Demo Text Only", status="active", context_window=8192,
        max_output_tokens=512, pricing={"input_per_million": "0.50", "output_per_million": "1.50"})])
    await engine.dispose()
    return TEXT_ONLY


async def test_image_for_a_model_without_vision_is_a_validation_exception(stack, bedrock, text_only_model):
    # Images reaching a vision model: tests/router/bedrock/test_bedrock_via_registry.py.
    await forget(stack)
    with pytest.raises(ClientError) as err:
        await bedrock("converse", modelId=text_only_model,
                      messages=user({"text": "Describe this."}, {"image": {"format": "png", "source": {"bytes": PNG}}}))
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "does not accept images" in err.value.response["Error"]["Message"]
    assert await provider_saw(stack) == []


async def test_tool_config_and_tool_results_reach_the_provider(stack, bedrock):
    await forget(stack)
    tool_config = {"tools": [{"toolSpec": {"name": "lookup_drug", "description": "Find a drug",
                                           "inputSchema": {"json": {"type": "object",
                                                                    "properties": {"q": {"type": "string"}}}}}}],
                   "toolChoice": {"auto": {}}}
    messages = user({"text": "Look up lisinopril"}) + [
        {"role": "assistant", "content": [{"toolUse": {"toolUseId": "tu_1", "name": "lookup_drug",
                                                       "input": {"q": "lisinopril"}}}]},
        {"role": "user", "content": [{"toolResult": {"toolUseId": "tu_1", "content": [{"json": {"class": "ACE"}}]}}]}]
    r = await bedrock("converse", modelId="radiant-demo", messages=messages, toolConfig=tool_config)
    assert r["stopReason"] in ("end_turn", "tool_use")
    [seen] = await provider_saw(stack)
    b = seen
    assert b["tools"] == [{"type": "function", "function": {
        "name": "lookup_drug", "description": "Find a drug",
        "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}]
    assert b["tool_choice"] == "auto"
    assert b["messages"][1]["tool_calls"] == [{"id": "tu_1", "type": "function", "function": {
        "name": "lookup_drug", "arguments": '{"q":"lisinopril"}'}}]
    assert b["messages"][2] == {"role": "tool", "tool_call_id": "tu_1", "content": '{"class":"ACE"}'}


async def test_unknown_model_is_resource_not_found(bedrock):
    with pytest.raises(ClientError) as err:
        await bedrock("converse", modelId="no-such-model", messages=user({"text": "hi"}))
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert "no-such-model" in err.value.response["Error"]["Message"]


async def test_bad_body_is_a_validation_exception_naming_the_field(bedrock):
    with pytest.raises(ClientError) as err:
        await bedrock("converse", modelId="radiant-demo",
                      messages=[{"role": "user", "content": [{"document": {"format": "pdf", "name": "x",
                                                                           "source": {"bytes": b"%PDF"}}}]}])
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "document" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        await bedrock("converse", modelId="radiant-demo", messages=user({"text": "hi"}),
                      inferenceConfig={"temperature": 1.5})
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "inferenceConfig.temperature" in err.value.response["Error"]["Message"]


async def test_bad_api_key_is_access_denied(tls_router, monkeypatch):
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "rk_not_a_real_key")
    client = bedrock_client(*tls_router)
    with pytest.raises(ClientError) as err:
        await asyncio.to_thread(client.converse, modelId="radiant-demo", messages=user({"text": "hi"}))
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"


async def test_sigv4_is_refused_with_a_message_saying_what_to_do(tls_router, monkeypatch):
    monkeypatch.delenv("AWS_BEARER_TOKEN_BEDROCK", raising=False)
    client = boto3.client("bedrock-runtime", endpoint_url=tls_router[0], region_name="us-east-1",
                          verify=tls_router[1], aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    with pytest.raises(ClientError) as err:
        await asyncio.to_thread(client.converse, modelId="radiant-demo", messages=user({"text": "hi"}))
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "AWS_BEARER_TOKEN_BEDROCK" in err.value.response["Error"]["Message"]
