"""Any client reaches an Anthropic-format provider through the router: the registry's `anthropic` provider is pointed
at the local Messages API fake, then the OpenAI SDK and the anthropic SDK call `claude-3-5-sonnet` (plain, streaming,
tools, images), with PHI replaced before the provider and restored after, and upstream errors mapped."""
import json
import os

import anthropic
import grpc
import openai
import pytest

from radiant.registry.v1 import registry_pb2, registry_pb2_grpc
from services.registry.catalogue import provider_id
from tests.grpc_helpers import internal_channel
from tests.fakes.anthropic_server import API_KEY

MODEL = "claude-3-5-sonnet"
UPSTREAM_MODEL = "claude-3-5-sonnet-20241022"
PROMPT = "Patient John Smith (SSN 123-45-6789) called from 617-555-0134 about Maria Garcia."
ORIGINALS = ["John Smith", "123-45-6789", "617-555-0134", "Maria Garcia"]
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
WEATHER = {"name": "get_weather", "description": "Current weather in a city",
           "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}


@pytest.fixture(scope="module", autouse=True)
async def anthropic_provider(stack, fake_anthropic):
    """The seeded (inactive) `anthropic` provider and one of its models, activated against the fake; put back
    afterwards, since other modules share the catalogue database."""
    previous_key = os.environ.get("RADIANT_ANTHROPIC_API_KEY")
    os.environ["RADIANT_ANTHROPIC_API_KEY"] = API_KEY
    async with stack.seeded_provider_at("anthropic", fake_anthropic.base_url, MODEL):
        yield
    if previous_key is None:
        os.environ.pop("RADIANT_ANTHROPIC_API_KEY", None)
    else:
        os.environ["RADIANT_ANTHROPIC_API_KEY"] = previous_key


@pytest.fixture(autouse=True)
async def closed_circuit(stack):
    """Error tests trip the router's circuit breaker for the fake; each test starts with it closed."""
    yield
    async with internal_channel(stack.services["registry"].address) as ch:
        provider = await registry_pb2_grpc.RegistryServiceStub(ch).GetProvider(
            registry_pb2.GetProviderRequest(id=provider_id("anthropic")))
    stack.router_app.state.pipeline.resilience.breaker(provider).success()


@pytest.fixture
def oai(stack, api_key):
    return openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)


@pytest.fixture
def claude(stack, api_key):
    return anthropic.AsyncAnthropic(base_url=stack.base_url, api_key=api_key, max_retries=0)


def _no_phi(fake) -> None:
    sent = json.dumps(fake.bodies())
    for value in ORIGINALS:
        assert value not in sent


async def test_openai_sdk_reaches_the_anthropic_provider(oai, fake):
    answer = await oai.chat.completions.create(model=MODEL, max_tokens=100, messages=[
        {"role": "system", "content": "You are a careful assistant."}, {"role": "user", "content": PROMPT}])
    assert answer.choices[0].message.content == PROMPT and answer.choices[0].finish_reason == "stop"
    assert answer.model == MODEL and answer.usage.prompt_tokens > 0 and answer.usage.completion_tokens > 0
    [seen] = fake.requests
    assert seen["headers"]["x-api-key"] == API_KEY and seen["headers"]["anthropic-version"] == "2023-06-01"
    assert seen["body"]["model"] == UPSTREAM_MODEL and seen["body"]["system"] == "You are a careful assistant."
    assert seen["body"]["max_tokens"] == 100
    _no_phi(fake)
    assert "[PHI_NAME_1]" in json.dumps(seen["body"])


async def test_openai_sdk_streams_from_the_anthropic_provider(oai, fake):
    stream = await oai.chat.completions.create(model=MODEL, stream=True, stream_options={"include_usage": True},
                                               messages=[{"role": "user", "content": PROMPT}])
    chunks = [c async for c in stream]
    pieces = [c.choices[0].delta.content or "" for c in chunks if c.choices]
    assert "".join(pieces) == PROMPT and all("[PHI_" not in p for p in pieces)
    assert chunks[-1].usage.completion_tokens > 0
    assert fake.bodies()[0]["stream"] is True
    _no_phi(fake)


async def test_openai_sdk_tool_round_trip_and_image(oai, fake):
    tools = [{"type": "function", "function": {"name": WEATHER["name"], "description": WEATHER["description"],
                                               "parameters": WEATHER["input_schema"]}}]
    image = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}
    messages = [{"role": "user", "content": [{"type": "text", "text": "Weather where John Smith lives?"}, image]}]
    first = await oai.chat.completions.create(model=MODEL, tools=tools, tool_choice="auto", messages=messages)
    assert first.choices[0].finish_reason == "tool_calls"
    [call] = first.choices[0].message.tool_calls
    # The provider saw a placeholder; the caller gets the name back inside the tool arguments.
    assert json.loads(call.function.arguments) == {"city": "Weather where John Smith lives?"}
    assert fake.bodies()[0]["messages"][0]["content"][1] == {
        "type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}
    messages += [first.choices[0].message.model_dump(exclude_none=True),
                 {"role": "tool", "tool_call_id": call.id, "content": "Sunny"}]
    second = await oai.chat.completions.create(model=MODEL, tools=tools, messages=messages)
    assert second.choices[0].message.content == "tool said: Sunny"
    # The tool_use id is re-minted for the provider (it reads as a catch-all code); use and result still match.
    sent = fake.bodies()[1]["messages"]
    result = sent[-1]["content"][0]
    assert result["type"] == "tool_result" and result["content"] == "Sunny"
    assert result["tool_use_id"] == next(b["id"] for b in sent[-2]["content"] if b["type"] == "tool_use")
    _no_phi(fake)


async def test_anthropic_sdk_tool_use_round_trip(claude, fake):
    first = await claude.messages.create(model=MODEL, max_tokens=200, tools=[WEATHER],
                                         tool_choice={"type": "any"},
                                         messages=[{"role": "user", "content": "Boston please"}])
    assert first.stop_reason == "tool_use"
    tool_use = next(b for b in first.content if b.type == "tool_use")
    assert tool_use.name == "get_weather" and tool_use.input == {"city": "Boston please"}
    assert fake.bodies()[0]["tools"] == [WEATHER] and fake.bodies()[0]["tool_choice"] == {"type": "any"}
    second = await claude.messages.create(model=MODEL, max_tokens=200, tools=[WEATHER], messages=[
        {"role": "user", "content": "Boston please"},
        {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": tool_use.id, "content": "21 C"}]}])
    assert second.content[0].text == "tool said: 21 C" and second.stop_reason == "end_turn"


async def test_anthropic_sdk_streams_a_tool_call(claude):
    async with claude.messages.stream(model=MODEL, max_tokens=200, tools=[WEATHER],
                                      messages=[{"role": "user", "content": "Paris"}]) as stream:
        final = await stream.get_final_message()
    assert [b.type for b in final.content] == ["text", "tool_use"]
    assert final.content[1].input == {"city": "Paris"} and final.stop_reason == "tool_use"


async def test_streamed_tool_input_gets_phi_restored(claude, fake):
    async with claude.messages.stream(model=MODEL, max_tokens=200, tools=[WEATHER],
                                      messages=[{"role": "user", "content": PROMPT}]) as stream:
        final = await stream.get_final_message()
    assert final.content[1].input == {"city": PROMPT}
    _no_phi(fake)


async def test_anthropic_sdk_image_and_phi_to_an_anthropic_provider(claude, fake):
    message = await claude.messages.create(model=MODEL, max_tokens=100, system="Describe images.", messages=[
        {"role": "user", "content": [
            {"type": "image", "source": {"type": "url", "url": "https://example.com/xray.png"}},
            {"type": "text", "text": PROMPT}]}])
    assert message.content[0].text == PROMPT
    sent = fake.bodies()[0]
    assert sent["messages"][0]["content"][0] == {"type": "image",
                                                 "source": {"type": "url", "url": "https://example.com/xray.png"}}
    assert sent["system"] == "Describe images."
    _no_phi(fake)


async def test_upstream_overload_is_503_in_both_shapes(oai, claude, fake):
    # Enough failures for any retry policy the router applies.
    fake.fail_next(529, "overloaded_error", "Overloaded", times=20)
    with pytest.raises(anthropic.ServiceUnavailableError) as err:
        await claude.messages.create(model=MODEL, max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert err.value.body["error"]["type"] == "overloaded_error"
    with pytest.raises(openai.InternalServerError) as err:
        await oai.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "x"}])
    assert err.value.status_code == 503


async def test_stream_that_cannot_start_is_a_plain_http_error(claude, fake):
    fake.fail_next(529, "overloaded_error", "Overloaded", times=20)
    with pytest.raises(anthropic.ServiceUnavailableError) as err:
        await claude.messages.create(model=MODEL, max_tokens=5, stream=True,
                                     messages=[{"role": "user", "content": "x"}])
    assert err.value.body["error"]["type"] == "overloaded_error"


async def test_upstream_rejection_is_502_api_error(claude, fake):
    fake.fail_next(400, "invalid_request_error", "prompt is too long: 1 tokens > 0 maximum")
    with pytest.raises(anthropic.InternalServerError) as err:
        await claude.messages.create(model=MODEL, max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert err.value.status_code == 502 and err.value.body["error"]["type"] == "api_error"
    assert "prompt is too long" not in err.value.body["error"]["message"]


async def test_error_mid_stream_reaches_the_anthropic_client_as_an_error_event(claude, fake):
    fake.fail_next(200, "overloaded_error", "Overloaded", mid_stream=True, times=20)
    received = []
    with pytest.raises(anthropic.APIStatusError) as err:
        async with claude.messages.stream(model=MODEL, max_tokens=50,
                                          messages=[{"role": "user", "content": "a long enough answer"}]) as stream:
            async for text in stream.text_stream:
                received.append(text)
    assert "".join(received) == "a lon"
    assert err.value.body["error"]["type"] == "overloaded_error"
