"""Anthropic Messages <-> internal (OpenAI chat-completions) translation, both directions, including round trips
and the streaming event sequences."""
import orjson
import pytest

from services.router.formats import anthropic as fmt
from services.runtime.errors import ProviderError, ValidationError

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="

ANTHROPIC_REQUEST = {
    "model": "claude-3-5-haiku", "max_tokens": 300, "temperature": 0.2, "top_p": 0.9, "top_k": 40,
    "system": [{"type": "text", "text": "You are terse."}, {"type": "text", "text": "Answer in English."}],
    "stop_sequences": ["END"], "metadata": {"user_id": "user-42"}, "stream": True,
    "tools": [{"name": "get_weather", "description": "Weather by city",
               "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
    "tool_choice": {"type": "tool", "name": "get_weather", "disable_parallel_tool_use": True},
    "messages": [
        {"role": "user", "content": [
            {"type": "text", "text": "What is this and how is the weather?"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}},
            {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}}]},
        {"role": "assistant", "content": [
            {"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Boston"}}]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": "Sunny, 21 C"},
            {"type": "text", "text": "Thanks, and tomorrow?"}]},
    ],
}


def test_request_to_openai_maps_every_field():
    body = fmt.request_to_openai(ANTHROPIC_REQUEST)
    assert body["model"] == "claude-3-5-haiku" and body["max_tokens"] == 300
    assert (body["temperature"], body["top_p"], body["top_k"]) == (0.2, 0.9, 40)
    assert body["stop"] == ["END"] and body["user"] == "user-42" and body["stream"] is True
    assert body["tools"] == [{"type": "function", "function": {
        "name": "get_weather", "description": "Weather by city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert body["parallel_tool_calls"] is False
    system, user, assistant, tool, user2 = body["messages"]
    assert system == {"role": "system", "content": [{"type": "text", "text": "You are terse."},
                                                     {"type": "text", "text": "Answer in English."}]}
    assert user["content"][1] == {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}
    assert user["content"][2] == {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}
    assert assistant == {"role": "assistant", "content": [{"type": "text", "text": "Checking."}], "tool_calls": [
        {"id": "toolu_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city":"Boston"}'}}]}
    # The tool result comes first, right after the assistant's call, as OpenAI requires.
    assert tool == {"role": "tool", "tool_call_id": "toolu_1", "content": "Sunny, 21 C"}
    assert user2 == {"role": "user", "content": [{"type": "text", "text": "Thanks, and tomorrow?"}]}


@pytest.mark.parametrize("anthropic_choice,openai_choice", [
    ({"type": "auto"}, "auto"), ({"type": "any"}, "required"), ({"type": "none"}, "none"),
    ({"type": "tool", "name": "f"}, {"type": "function", "function": {"name": "f"}})])
def test_tool_choice_both_ways(anthropic_choice, openai_choice):
    tools = [{"name": "f", "input_schema": {"type": "object", "properties": {}}}]
    req = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}], "tools": tools,
           "tool_choice": anthropic_choice}
    body = fmt.request_to_openai(req)
    assert body["tool_choice"] == openai_choice
    assert fmt.request_from_openai(body)["tool_choice"] == anthropic_choice


def test_request_round_trip_is_lossless_for_what_both_formats_share():
    back = fmt.request_from_openai(fmt.request_to_openai(ANTHROPIC_REQUEST))
    assert back == ANTHROPIC_REQUEST


def test_request_from_openai_collects_system_merges_turns_and_defaults_max_tokens():
    body = {"model": "claude-3-5-haiku-20241022", "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "first"},
        {"role": "user", "content": [{"type": "text", "text": "second"}]},
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "a", "arguments": "{}"}},
            {"id": "c2", "type": "function", "function": {"name": "b", "arguments": '{"x": 1}'}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "one"},
        {"role": "tool", "tool_call_id": "c2", "content": [{"type": "text", "text": "two"}]},
        {"role": "user", "content": "go on"}],
        "stop": "STOP", "user": "u-1", "seed": 7, "presence_penalty": 0.5}
    out = fmt.request_from_openai(body)
    assert out["system"] == "Be brief." and out["max_tokens"] == fmt.DEFAULT_MAX_TOKENS
    assert out["stop_sequences"] == ["STOP"] and out["metadata"] == {"user_id": "u-1"}
    assert "seed" not in out and "presence_penalty" not in out
    assert out["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "first"}, {"type": "text", "text": "second"}]},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "c1", "name": "a", "input": {}},
                                          {"type": "tool_use", "id": "c2", "name": "b", "input": {"x": 1}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "c1", "content": "one"},
                                     {"type": "tool_result", "tool_use_id": "c2",
                                      "content": [{"type": "text", "text": "two"}]},
                                     {"type": "text", "text": "go on"}]}]


def test_empty_assistant_turns_are_left_out():
    out = fmt.request_from_openai({"model": "m", "messages": [
        {"role": "user", "content": "a"}, {"role": "assistant", "content": ""}, {"role": "user", "content": "b"}]})
    assert out["messages"] == [{"role": "user", "content": [{"type": "text", "text": "a"},
                                                            {"type": "text", "text": "b"}]}]


def test_thinking_blocks_are_not_forwarded():
    body = fmt.request_to_openai({"model": "m", "max_tokens": 5, "messages": [
        {"role": "user", "content": "a"},
        {"role": "assistant", "content": [{"type": "thinking", "thinking": "hmm", "signature": "s"}]},
        {"role": "assistant", "content": [{"type": "thinking", "thinking": "so", "signature": "s"},
                                          {"type": "text", "text": "b"}]}]})
    assert body["messages"] == [{"role": "user", "content": "a"},
                                {"role": "assistant", "content": [{"type": "text", "text": "b"}]}]


def test_top_k_is_dropped_for_openai_targets_by_the_internal_schema():
    from services.router.formats.openai_schemas import ChatCompletionRequest
    internal = ChatCompletionRequest.model_validate(fmt.request_to_openai(ANTHROPIC_REQUEST))
    assert "top_k" not in internal.model_dump()


def test_legacy_functions_become_tools_with_paired_ids():
    body = {"model": "m", "functions": [{"name": "lookup", "parameters": {"type": "object", "properties": {}}}],
            "function_call": {"name": "lookup"}, "messages": [
                {"role": "user", "content": "find it"},
                {"role": "assistant", "content": None, "function_call": {"name": "lookup", "arguments": "{}"}},
                {"role": "function", "name": "lookup", "content": "found"}]}
    out = fmt.request_from_openai(body)
    assert out["tools"] == [{"name": "lookup", "input_schema": {"type": "object", "properties": {}}}]
    assert out["tool_choice"] == {"type": "tool", "name": "lookup"}
    call_id = out["messages"][1]["content"][0]["id"]
    assert out["messages"][2]["content"] == [{"type": "tool_result", "tool_use_id": call_id, "content": "found"}]


@pytest.mark.parametrize("body,field", [
    ({"n": 2}, "n"), ({"temperature": 1.5}, "temperature"), ({"logprobs": True}, "logprobs"),
    ({"response_format": {"type": "json_object"}}, "response_format"),
    ({"messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:image/bmp;base64,AAAA"}}]}]}, "messages[0].content[0]"),
    ({"messages": [{"role": "assistant", "content": None, "tool_calls": [
        {"id": "c", "type": "function", "function": {"name": "f", "arguments": "not json"}}]}]},
     "messages[0].tool_calls[0]")])
def test_what_anthropic_cannot_take_is_a_clear_400(body, field):
    with pytest.raises(ValidationError) as err:
        fmt.request_from_openai({"model": "m", "messages": [{"role": "user", "content": "x"}], **body})
    assert field in err.value.details or field in err.value.message


ANTHROPIC_RESPONSE = {
    "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-3-5-haiku-20241022",
    "content": [{"type": "text", "text": "Let me look."},
                {"type": "tool_use", "id": "toolu_9", "name": "get_weather", "input": {"city": "Paris"}}],
    "stop_reason": "tool_use", "stop_sequence": None, "usage": {"input_tokens": 12, "output_tokens": 7}}


def test_response_to_openai():
    out = fmt.response_to_openai(ANTHROPIC_RESPONSE)
    assert out["id"] == "msg_01" and out["object"] == "chat.completion"
    [choice] = out["choices"]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"] == {"role": "assistant", "content": "Let me look.", "tool_calls": [
        {"id": "toolu_9", "type": "function", "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'}}]}
    assert out["usage"] == {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}


def test_response_round_trip():
    back = fmt.response_from_openai(fmt.response_to_openai(ANTHROPIC_RESPONSE))
    assert back == {**ANTHROPIC_RESPONSE, "model": "claude-3-5-haiku-20241022"}


@pytest.mark.parametrize("stop_reason,finish_reason", [
    ("end_turn", "stop"), ("max_tokens", "length"), ("tool_use", "tool_calls"), ("stop_sequence", "stop")])
def test_stop_reasons(stop_reason, finish_reason):
    resp = fmt.response_to_openai({**ANTHROPIC_RESPONSE, "content": [{"type": "text", "text": "x"}],
                                   "stop_reason": stop_reason})
    assert resp["choices"][0]["finish_reason"] == finish_reason
    expected_back = "end_turn" if stop_reason == "stop_sequence" else stop_reason  # OpenAI cannot tell them apart
    assert fmt.response_from_openai(resp)["stop_reason"] == expected_back


def test_response_from_openai_with_unparseable_tool_arguments_is_a_provider_error():
    resp = {"id": "chatcmpl-1", "model": "m", "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
        "role": "assistant", "content": None,
        "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{oops"}}]}}]}
    with pytest.raises(ProviderError):
        fmt.response_from_openai(resp)


def test_legacy_function_response():
    out = fmt.response_to_openai(ANTHROPIC_RESPONSE, legacy_functions=True)
    message = out["choices"][0]["message"]
    assert message["function_call"] == {"name": "get_weather", "arguments": '{"city":"Paris"}'}
    assert "tool_calls" not in message and out["choices"][0]["finish_reason"] == "function_call"


def _anthropic_events(message: dict, pieces: list[str]) -> list[dict]:
    events = [{"type": "message_start", "message": {**message, "content": [], "stop_reason": None,
                                                     "usage": {"input_tokens": 12, "output_tokens": 1}}},
              {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
              {"type": "ping"}]
    events += [{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}
               for p in pieces]
    events += [{"type": "content_block_stop", "index": 0},
               {"type": "content_block_start", "index": 1,
                "content_block": {"type": "tool_use", "id": "toolu_9", "name": "get_weather", "input": {}}},
               {"type": "content_block_delta", "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": '{"ci'}},
               {"type": "content_block_delta", "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": 'ty": "Paris"}'}},
               {"type": "content_block_stop", "index": 1},
               {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                "usage": {"output_tokens": 7}},
               {"type": "message_stop"}]
    return events


def test_anthropic_stream_to_openai_chunks():
    converter = fmt.StreamToOpenAI()
    chunks = [c for e in _anthropic_events(ANTHROPIC_RESPONSE, ["Let ", "me look."]) for c in converter.feed(e)]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert all(c["id"] == "msg_01" for c in chunks)
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == "Let me look."
    calls = [tc for c in chunks if c["choices"] for tc in c["choices"][0]["delta"].get("tool_calls") or ()]
    assert calls[0] == {"index": 0, "id": "toolu_9", "type": "function",
                        "function": {"name": "get_weather", "arguments": ""}}
    assert "".join(tc["function"]["arguments"] for tc in calls) == '{"city": "Paris"}'
    assert chunks[-2]["choices"][0]["finish_reason"] == "tool_calls"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"] == {
        "prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}


def test_openai_chunks_to_anthropic_events_in_documented_order():
    def chunk(delta, finish=None):
        return {"id": "chatcmpl-abc", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    chunks = [chunk({"role": "assistant", "content": ""}), chunk({"content": "Hel"}), chunk({"content": "lo"}),
              chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                     "function": {"name": "f", "arguments": ""}}]}),
              chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"a":'}}]}),
              chunk({"tool_calls": [{"index": 0, "function": {"arguments": ' 1}'}}]}),
              chunk({}, "tool_calls"),
              {"id": "chatcmpl-abc", "choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 4}}]
    converter = fmt.StreamToAnthropic("claude-3-5-haiku")
    events = [e for c in chunks for e in converter.feed(c)] + converter.finish()
    assert [e["type"] for e in events] == [
        "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
        "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop"]
    assert events[0]["message"]["id"] == "msg_abc" and events[0]["message"]["model"] == "claude-3-5-haiku"
    assert events[6] == {"type": "content_block_start", "index": 1,
                         "content_block": {"type": "tool_use", "id": "call_1", "name": "f", "input": {}}}
    assert [e["delta"] for e in events if e["type"] == "content_block_delta"] == [
        {"type": "text_delta", "text": "Hel"}, {"type": "text_delta", "text": "lo"},
        {"type": "input_json_delta", "partial_json": '{"a":'}, {"type": "input_json_delta", "partial_json": " 1}"}]
    assert events[-2] == {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                          "usage": {"input_tokens": 9, "output_tokens": 4}}


def test_streams_round_trip_through_both_converters():
    to_openai, to_anthropic = fmt.StreamToOpenAI(), fmt.StreamToAnthropic("claude-3-5-haiku")
    original = [e for e in _anthropic_events(ANTHROPIC_RESPONSE, ["Let ", "me look."])]
    back = [e for ev in original for c in to_openai.feed(ev) for e in to_anthropic.feed(c)] + to_anthropic.finish()
    assert [e["type"] for e in back] == [e["type"] for e in original]
    assert [e.get("delta") for e in back] == [e.get("delta") for e in original]
    assert [e.get("content_block") for e in back] == [e.get("content_block") for e in original]
    assert back[-2]["usage"] == {"input_tokens": 12, "output_tokens": 7}


def test_stream_of_only_an_empty_answer_is_still_well_formed():
    converter = fmt.StreamToAnthropic("m")
    assert [e["type"] for e in converter.finish()] == ["message_start", "message_delta", "message_stop"]


@pytest.mark.parametrize("status,kind", [(400, "invalid_request_error"), (401, "authentication_error"),
                                         (403, "permission_error"), (404, "not_found_error"),
                                         (429, "rate_limit_error"), (500, "api_error"), (502, "api_error"),
                                         (503, "overloaded_error")])
def test_error_types(status, kind):
    assert fmt.error_type(status) == kind


def test_sse_event_framing():
    raw = fmt.sse_event({"type": "ping"})
    assert raw == b'event: ping\ndata: {"type":"ping"}\n\n'
    assert orjson.loads(raw.split(b"data: ")[1]) == {"type": "ping"}
