"""The official openai SDK, sync and async, unchanged against the router: plain and streamed chat, tool calls (PHI in
tool arguments and tool results restored for the caller, never sent to the provider), legacy functions, images,
and the OpenAI parameters reaching the provider."""
import asyncio
import base64
import json

import pytest

from tests.router.openai.conftest import VISION

PHI_ASK = "Call lookup_patient for John Smith, SSN 123-45-6789, please."
PHI_VALUES = ["John Smith", "123-45-6789"]
TOOLS = [{"type": "function", "function": {
    "name": "lookup_patient", "description": "Find a patient's chart",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}}]
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()


def _sent(seen: list[dict]) -> str:
    return json.dumps(seen)


async def test_sync_sdk_plain_chat(client):
    completion = await asyncio.to_thread(client.chat.completions.create, model="radiant-demo",
                                         messages=[{"role": "user", "content": "Hello from the sync SDK"}])
    assert completion.choices[0].message.content == "Hello from the sync SDK"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.model == "radiant-demo"
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens > 0


async def test_sync_sdk_streaming_with_usage(client):
    def run():
        stream = client.chat.completions.create(model="radiant-demo", stream=True,
                                                stream_options={"include_usage": True},
                                                messages=[{"role": "user", "content": "stream me please"}])
        return list(stream)

    chunks = await asyncio.to_thread(run)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "stream me please"
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0
    assert all(c.usage is None for c in chunks[:-1])


async def test_async_sdk_plain_chat(aclient):
    completion = await aclient.chat.completions.create(
        model="radiant-demo", messages=[{"role": "system", "content": "Be brief."},
                                        {"role": "user", "content": "Hello from the async SDK"}])
    assert completion.choices[0].message.content == "Hello from the async SDK"


async def test_async_sdk_streaming_with_usage(aclient):
    stream = await aclient.chat.completions.create(model="radiant-demo", stream=True,
                                                   stream_options={"include_usage": True},
                                                   messages=[{"role": "user", "content": "async stream"}])
    chunks = [c async for c in stream]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "async stream"
    assert chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens > 0


async def test_tool_call_round_trip_restores_phi_and_never_sends_it(aclient, provider_saw):
    messages = [{"role": "user", "content": PHI_ASK}]
    first = await aclient.chat.completions.create(model="radiant-demo", messages=messages, tools=TOOLS)
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    [call] = choice.message.tool_calls
    assert call.function.name == "lookup_patient"
    arguments = json.loads(call.function.arguments)
    assert arguments == {"query": PHI_ASK}  # the provider's placeholders came back as the caller's values

    messages.append(choice.message)  # the SDK's own message object, appended as applications do
    messages.append({"role": "tool", "tool_call_id": call.id,
                     "content": "Chart of John Smith: DOB 03/14/1962, allergic to penicillin"})
    final = await aclient.chat.completions.create(model="radiant-demo", messages=messages, tools=TOOLS)
    assert final.choices[0].finish_reason == "stop"
    assert final.choices[0].message.content == "Chart of John Smith: DOB 03/14/1962, allergic to penicillin"

    seen = await provider_saw()
    assert len(seen) == 2
    for value in [*PHI_VALUES, "03/14/1962"]:
        assert value not in _sent(seen)
    assert seen[0]["tools"] == TOOLS
    second = seen[1]["messages"]
    # Provider-minted ids look like Safe Harbor catch-all codes, so the provider gets ids minted for this request:
    # the call and its result still name the same one, and the caller kept its own (checked above).
    assert second[1]["tool_calls"][0]["id"] == second[2]["tool_call_id"]
    assert "penicillin" in second[2]["content"]


async def test_streamed_tool_call_restores_phi_in_argument_deltas(aclient, provider_saw):
    stream = await aclient.chat.completions.create(model="radiant-demo", stream=True, tools=TOOLS,
                                                   tool_choice={"type": "function",
                                                                "function": {"name": "lookup_patient"}},
                                                   messages=[{"role": "user", "content": PHI_ASK}])
    name, arguments, finish = "", "", None
    async for chunk in stream:
        for choice in chunk.choices:
            for call in choice.delta.tool_calls or ():
                name += call.function.name or ""
                arguments += call.function.arguments or ""
            finish = choice.finish_reason or finish
    assert name == "lookup_patient" and finish == "tool_calls"
    assert json.loads(arguments) == {"query": PHI_ASK}
    sent = _sent(await provider_saw())
    assert all(v not in sent for v in PHI_VALUES)


async def test_sync_sdk_tool_choice_required(client, provider_saw):
    completion = await asyncio.to_thread(
        client.chat.completions.create, model="radiant-demo", tools=TOOLS, tool_choice="required",
        parallel_tool_calls=False, messages=[{"role": "user", "content": "what is on file?"}])
    assert completion.choices[0].message.tool_calls[0].function.name == "lookup_patient"
    [sent] = await provider_saw()
    assert sent["tool_choice"] == "required" and sent["parallel_tool_calls"] is False


async def test_legacy_functions_round_trip(aclient, provider_saw):
    functions = [TOOLS[0]["function"]]
    first = await aclient.chat.completions.create(model="radiant-demo", functions=functions,
                                                  function_call={"name": "lookup_patient"},
                                                  messages=[{"role": "user", "content": PHI_ASK}])
    message = first.choices[0].message
    assert first.choices[0].finish_reason == "function_call"
    assert json.loads(message.function_call.arguments) == {"query": PHI_ASK}
    final = await aclient.chat.completions.create(model="radiant-demo", functions=functions, messages=[
        {"role": "user", "content": PHI_ASK}, message,
        {"role": "function", "name": "lookup_patient", "content": "John Smith has no appointments"}])
    assert final.choices[0].message.content == "John Smith has no appointments"
    seen = await provider_saw()
    assert seen[0]["function_call"] == {"name": "lookup_patient"}
    assert seen[1]["messages"][2]["name"] == "lookup_patient"
    assert all(v not in _sent(seen) for v in PHI_VALUES)


@pytest.mark.parametrize("model", ["radiant-demo", VISION])
@pytest.mark.parametrize("url", ["https://example.org/xray.png", f"data:image/png;base64,{PNG}"])
async def test_images_by_url_and_data_url_reach_a_vision_model(aclient, provider_saw, url, model):
    completion = await aclient.chat.completions.create(model=model, messages=[{"role": "user", "content": [
        {"type": "text", "text": "What does this show?"},
        {"type": "image_url", "image_url": {"url": url, "detail": "low"}}]}])
    assert completion.choices[0].message.content == "What does this show? [1 image received]"
    [sent] = await provider_saw()
    assert sent["messages"][0]["content"][1] == {"type": "image_url", "image_url": {"url": url, "detail": "low"}}


async def test_sync_sdk_image_in_streaming_request(client):
    def run():
        return list(client.chat.completions.create(model=VISION, stream=True, messages=[{"role": "user", "content": [
            {"type": "text", "text": "describe"},
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}]}]))

    chunks = await asyncio.to_thread(run)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "describe [1 image received]"


async def test_openai_parameters_reach_the_provider(aclient, provider_saw):
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"],
              "additionalProperties": False}
    completion = await aclient.chat.completions.create(
        model="radiant-demo", messages=[{"role": "user", "content": "two please"}], n=2, stop=["END", "STOP"],
        seed=7, logprobs=True, top_logprobs=2, temperature=0.2, top_p=0.9, max_completion_tokens=100,
        presence_penalty=0.5, frequency_penalty=-0.5, logit_bias={"50256": -100},
        response_format={"type": "json_schema", "json_schema": {"name": "reply", "schema": schema, "strict": True}},
        user="jane.doe@example.org", metadata={"ticket": "T-1"})
    assert [c.index for c in completion.choices] == [0, 1]
    assert all(c.message.content == "two please" for c in completion.choices)
    [sent] = await provider_saw()
    assert {k: sent[k] for k in ("n", "stop", "seed", "logprobs", "top_logprobs", "temperature", "top_p",
                                 "max_tokens", "presence_penalty", "frequency_penalty", "logit_bias")} == {
        "n": 2, "stop": ["END", "STOP"], "seed": 7, "logprobs": True, "top_logprobs": 2, "temperature": 0.2,
        "top_p": 0.9, "max_tokens": 100, "presence_penalty": 0.5, "frequency_penalty": -0.5,
        "logit_bias": {"50256": -100}}
    assert sent["response_format"] == {"type": "json_schema",
                                       "json_schema": {"name": "reply", "schema": schema, "strict": True}}
    # The end user is pseudonymised, and metadata (which may hold PHI) stays in the gateway.
    assert sent["user"].startswith("u-") and "jane" not in sent["user"] and "metadata" not in sent


async def test_json_object_response_format_and_the_seed_fields(aclient, provider_saw):
    completion = await aclient.chat.completions.create(
        model="radiant-demo", messages=[{"role": "user", "content": '{"ok": true}'}],
        response_format={"type": "json_object"},
        extra_body={"session_id": "2b9f6a1e-3c1d-4c8e-9a57-1f0e2d3c4b5a", "phi_categories": ["SSN"]})
    assert json.loads(completion.choices[0].message.content) == {"ok": True}
    [sent] = await provider_saw()
    assert sent["response_format"] == {"type": "json_object"}
    assert not {"session_id", "phi_categories", "enable_phi"} & set(sent)
