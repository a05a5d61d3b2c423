"""The official anthropic SDK, unchanged, against the router's POST /v1/messages (served here by the OpenAI-format
demo provider): plain, streaming, system prompts, PHI protection, and Anthropic-shaped errors."""
import asyncio
import json

import anthropic
import pytest
from anthropic import Omit

from tests.eventually import eventually

PROMPT = "Patient John Smith (SSN 123-45-6789) called from 617-555-0134 about Maria Garcia."
ORIGINALS = ["John Smith", "123-45-6789", "617-555-0134", "Maria Garcia"]
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="


@pytest.fixture
def client(stack, api_key):
    return anthropic.AsyncAnthropic(base_url=stack.base_url, api_key=api_key, max_retries=0)


async def _provider_saw(http, stack) -> list[dict]:
    return (await http.get(stack.demo_app_requests_url)).json()


async def test_plain_message_with_system_prompt_and_phi(stack, http, client):
    await http.delete(stack.demo_app_requests_url)
    message = await client.messages.create(model="radiant-demo", max_tokens=200, system="You are terse.",
                                           messages=[{"role": "user", "content": PROMPT}])
    assert message.type == "message" and message.role == "assistant" and message.model == "radiant-demo"
    assert message.id.startswith("msg_")
    assert [b.type for b in message.content] == ["text"] and message.content[0].text == PROMPT
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens > 0 and message.usage.output_tokens > 0
    [sent] = await _provider_saw(http, stack)
    assert sent["messages"][0] == {"role": "system", "content": "You are terse."}
    assert sent["max_tokens"] == 200
    for value in ORIGINALS:
        assert value not in json.dumps(sent)
    assert "[PHI_NAME_1]" in json.dumps(sent)


async def test_usage_of_a_message_is_metered(http, client, api_key):
    message = await client.messages.create(model="radiant-demo", max_tokens=50,
                                           messages=[{"role": "user", "content": "count these four words"}])

    async def report():
        r = await http.get("/api/v2/usage", headers={"x-api-key": api_key},
                           params={"start": "2020-01-01", "end": "2100-01-01"})
        return r.json()["data"]

    data = await eventually(report, lambda d: d["totalRequests"] == 1)
    assert data["breakdown"][0]["inputTokens"] == message.usage.input_tokens
    assert data["breakdown"][0]["outputTokens"] == message.usage.output_tokens


async def test_system_blocks_and_multi_turn_history(stack, http, client):
    await http.delete(stack.demo_app_requests_url)
    message = await client.messages.create(
        # This SDK version no longer has sampling keywords; extra_body sends them as older clients do.
        model="radiant-demo", max_tokens=100, extra_body={"temperature": 0.3, "top_k": 5}, stop_sequences=["STOP"],
        metadata={"user_id": "clinician-7"},
        system=[{"type": "text", "text": "Rule one."}, {"type": "text", "text": "Rule two."}],
        messages=[{"role": "user", "content": "first question"},
                  {"role": "assistant", "content": [{"type": "text", "text": "first answer"}]},
                  {"role": "user", "content": [{"type": "text", "text": "second question"}]}])
    assert message.content[0].text == "second question"
    [sent] = await _provider_saw(http, stack)
    assert [m["role"] for m in sent["messages"]] == ["system", "user", "assistant", "user"]
    assert [p["text"] for p in sent["messages"][0]["content"]] == ["Rule one.", "Rule two."]
    assert sent["temperature"] == 0.3 and sent["stop"] == ["STOP"]
    assert "top_k" not in sent  # an OpenAI-format provider has no top_k
    assert sent["user"].startswith("u-") and "clinician-7" not in json.dumps(sent)


async def test_sync_client(stack, api_key):
    def call():
        with anthropic.Anthropic(base_url=stack.base_url, api_key=api_key, max_retries=0) as sync:
            created = sync.messages.create(model="radiant-demo", max_tokens=50,
                                           messages=[{"role": "user", "content": PROMPT}])
            with sync.messages.stream(model="radiant-demo", max_tokens=50,
                                      messages=[{"role": "user", "content": PROMPT}]) as stream:
                streamed = "".join(stream.text_stream)
            return created, streamed

    created, streamed = await asyncio.to_thread(call)
    assert created.content[0].text == PROMPT and streamed == PROMPT


async def test_stream_helper_restores_phi_and_reports_usage(stack, http, client):
    await http.delete(stack.demo_app_requests_url)
    async with client.messages.stream(model="radiant-demo", max_tokens=100,
                                      messages=[{"role": "user", "content": PROMPT}]) as stream:
        pieces = [text async for text in stream.text_stream]
        final = await stream.get_final_message()
    assert "".join(pieces) == PROMPT and len(pieces) > 1
    assert all("[PHI_" not in p for p in pieces)
    assert final.content[0].text == PROMPT and final.stop_reason == "end_turn"
    assert final.usage.input_tokens > 0 and final.usage.output_tokens > 0
    sent = json.dumps(await _provider_saw(http, stack))
    for value in ORIGINALS:
        assert value not in sent


async def test_raw_stream_events_follow_the_documented_sequence(client):
    stream = await client.messages.create(model="radiant-demo", max_tokens=50, stream=True,
                                          messages=[{"role": "user", "content": "hello streaming world"}])
    events = [e async for e in stream]
    kinds = [e.type for e in events]
    assert kinds[:2] == ["message_start", "content_block_start"]
    assert kinds[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert set(kinds[2:-3]) == {"content_block_delta"}  # the SDK drops ping events
    assert "".join(e.delta.text for e in events if e.type == "content_block_delta") == "hello streaming world"
    assert events[-2].delta.stop_reason == "end_turn" and events[-2].usage.output_tokens > 0


async def test_sse_wire_framing_and_ping(http, api_key):
    async with http.stream("POST", "/v1/messages", headers={"x-api-key": api_key, "anthropic-version": "2023-06-01"},
                           json={"model": "radiant-demo", "max_tokens": 20, "stream": True,
                                 "messages": [{"role": "user", "content": "hi"}]}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        raw = (await r.aread()).decode()
    frames = [f for f in raw.split("\n\n") if f]
    names = [f.split("\n")[0].removeprefix("event: ") for f in frames]
    assert names[:3] == ["message_start", "content_block_start", "ping"]
    for frame, name in zip(frames, names):
        assert json.loads(frame.split("\ndata: ", 1)[1])["type"] == name


async def test_bearer_token_is_accepted_too(stack, api_key):
    client = anthropic.AsyncAnthropic(base_url=stack.base_url, auth_token=api_key, max_retries=0)
    message = await client.messages.create(model="radiant-demo", max_tokens=20,
                                           messages=[{"role": "user", "content": "bearer works"}])
    assert message.content[0].text == "bearer works"


async def test_missing_or_wrong_key_is_authentication_error(stack):
    no_key = anthropic.AsyncAnthropic(base_url=stack.base_url, api_key=None, max_retries=0,
                                      default_headers={"Authorization": Omit()})
    with pytest.raises(anthropic.AuthenticationError) as err:
        await no_key.messages.create(model="radiant-demo", max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert err.value.status_code == 401 and err.value.body["error"]["type"] == "authentication_error"
    wrong = anthropic.AsyncAnthropic(base_url=stack.base_url, api_key="rk_live_wrong", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError):
        await wrong.messages.create(model="radiant-demo", max_tokens=5, messages=[{"role": "user", "content": "x"}])


@pytest.mark.parametrize("kwargs,field", [
    (dict(messages=[]), "messages"),
    (dict(extra_body={"temperature": 1.5}), "temperature"),
    (dict(messages=[{"role": "user", "content": [{"type": "document", "source": {"type": "text", "data": "x",
                                                   "media_type": "text/plain"}}]}]), "messages.0.content"),
    (dict(messages=[{"role": "assistant", "content": [{"type": "tool_result", "tool_use_id": "t",
                                                        "content": "x"}]}]), "messages.0"),
    (dict(tools=[{"name": "f", "input_schema": {"type": "string"}}]), "tools.0.input_schema"),
    (dict(tool_choice={"type": "tool"}), "tool_choice"),
    (dict(stop_sequences=["a", "b", "c", "d", "e"]), "stop_sequences"),
    (dict(messages=[{"role": "user", "content": [{"type": "image", "source": {
        "type": "base64", "media_type": "image/png", "data": "not base64!"}}]}]), "messages.0.content.0.image.source"),
])
async def test_bad_requests_are_anthropic_bad_request_errors(client, kwargs, field):
    params = dict(model="radiant-demo", max_tokens=10, messages=[{"role": "user", "content": "x"}])
    params.update(kwargs)
    with pytest.raises(anthropic.BadRequestError) as err:
        await client.messages.create(**params)
    body = err.value.body
    assert body["type"] == "error" and body["error"]["type"] == "invalid_request_error"
    assert field in body["error"]["message"]


async def test_missing_max_tokens_and_invalid_json(http, api_key):
    h = {"x-api-key": api_key}
    r = await http.post("/v1/messages", headers=h, json={"model": "radiant-demo",
                                                         "messages": [{"role": "user", "content": "x"}]})
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"
    assert "max_tokens" in r.json()["error"]["message"]
    r = await http.post("/v1/messages", headers={**h, "content-type": "application/json"}, content=b"{not json")
    assert r.status_code == 400 and r.json()["type"] == "error" and "JSON" in r.json()["error"]["message"]


async def test_pipeline_errors_keep_their_status_in_anthropic_shape(client):
    with pytest.raises(anthropic.NotFoundError) as err:
        await client.messages.create(model="no-such-model", max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert err.value.body["error"] == {"type": "not_found_error", "message": "The model 'no-such-model' does not exist"}
    with pytest.raises(anthropic.NotFoundError):
        await client.messages.create(model="no-such-model", max_tokens=5, stream=True,
                                     messages=[{"role": "user", "content": "x"}])
    with pytest.raises(anthropic.BadRequestError) as err:  # the demo model writes at most 1024 tokens
        await client.messages.create(model="radiant-demo", max_tokens=5000, messages=[{"role": "user", "content": [
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}]}])
    assert "max_tokens" in err.value.body["error"]["message"]


async def test_other_v1_routes_keep_openai_error_shape(http, api_key):
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"},
                        json={"model": "radiant-demo", "messages": []})
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error" and "type" not in r.json()
    r = await http.post("/v1/chat/completions", json={"model": "radiant-demo", "messages": []})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"



async def test_request_id_reaches_the_sdk_and_the_route_is_documented(http, client):
    raw = await client.messages.with_raw_response.create(model="radiant-demo", max_tokens=5,
                                                         messages=[{"role": "user", "content": "id please"}])
    message = await raw.parse()
    assert message._request_id and message._request_id == raw.headers["x-request-id"]
    with pytest.raises(anthropic.NotFoundError) as err:
        await client.messages.create(model="nope", max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert err.value.request_id == err.value.response.headers["x-request-id"]
    operation = (await http.get("/openapi.json")).json()["paths"]["/v1/messages"]["post"]
    assert {"200", "400", "401", "429", "503"} <= set(operation["responses"])
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("MessageResponse")


async def test_count_tokens(client):
    short = await client.messages.count_tokens(model="radiant-demo", messages=[{"role": "user", "content": "hi"}])
    longer = await client.messages.count_tokens(
        model="radiant-demo", system="You are a careful clinical assistant.",
        messages=[{"role": "user", "content": "Summarise the discharge letter in three short bullet points."}],
        tools=[{"name": "lookup", "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}}])
    assert 0 < short.input_tokens < longer.input_tokens
    with pytest.raises(anthropic.NotFoundError):
        await client.messages.count_tokens(model="nope", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(anthropic.BadRequestError):
        await client.messages.count_tokens(model="radiant-demo", messages=[])


async def test_body_that_is_not_utf8_is_a_400(http, api_key):
    r = await http.post("/v1/messages", headers={"x-api-key": api_key, "content-type": "application/json"},
                        content=b"\x84\x0b:\xff")
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"
