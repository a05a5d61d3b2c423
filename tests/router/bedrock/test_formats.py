"""Bedrock Converse <-> OpenAI chat-completions translation, both directions, and round trips."""
import base64

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.router.formats.bedrock import (ConverseChunkReader, ConverseEventWriter, ConverseRequest,
                                             converse_response_to_openai, converse_to_openai, finish_reason,
                                             openai_to_converse, openai_to_converse_response, stop_reason)
from services.runtime.errors import ValidationError

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nxx").decode()
SCHEMA = {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}
CONVERSE = {
    "system": [{"text": "You are a pharmacist."}, {"text": "Be terse."}],
    "messages": [
        {"role": "user", "content": [{"text": "Look up lisinopril"}, {"image": {"format": "jpeg",
                                                                              "source": {"bytes": PNG}}}]},
        {"role": "assistant", "content": [{"text": "Checking."}, {"toolUse": {"toolUseId": "tu_1",
                                                                            "name": "lookup", "input": {"q": "lis"}}}]},
        {"role": "user", "content": [{"toolResult": {"toolUseId": "tu_1", "content": [{"text": "ACE inhibitor"}]}},
                                     {"text": "Thanks, and the dose?"}]},
    ],
    "inferenceConfig": {"maxTokens": 300, "temperature": 0.3, "topP": 0.9, "stopSequences": ["END"]},
    "toolConfig": {"tools": [{"toolSpec": {"name": "lookup", "description": "Drug lookup",
                                           "inputSchema": {"json": SCHEMA}}}], "toolChoice": {"any": {}}},
}


def test_converse_request_to_openai():
    body = converse_to_openai(ConverseRequest.model_validate(CONVERSE), "radiant-demo", stream=False)
    assert body == {
        "model": "radiant-demo", "stream": False,
        "messages": [
            {"role": "system", "content": "You are a pharmacist."}, {"role": "system", "content": "Be terse."},
            {"role": "user", "content": [{"type": "text", "text": "Look up lisinopril"},
                                         {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{PNG}"}}]},
            {"role": "assistant", "content": "Checking.", "tool_calls": [
                {"id": "tu_1", "type": "function", "function": {"name": "lookup", "arguments": '{"q":"lis"}'}}]},
            {"role": "tool", "tool_call_id": "tu_1", "content": "ACE inhibitor"},
            {"role": "user", "content": "Thanks, and the dose?"}],
        "max_tokens": 300, "temperature": 0.3, "top_p": 0.9, "stop": ["END"],
        "tools": [{"type": "function", "function": {"name": "lookup", "description": "Drug lookup",
                                                    "parameters": SCHEMA}}],
        "tool_choice": "required"}


def test_round_trip_converse_openai_converse():
    openai_body = converse_to_openai(ConverseRequest.model_validate(CONVERSE), "m", stream=False)
    assert openai_to_converse(openai_body) == CONVERSE


@pytest.mark.parametrize("choice,expected", [({"auto": {}}, "auto"), ({"any": {}}, "required"),
                                             ({"tool": {"name": "lookup"}},
                                              {"type": "function", "function": {"name": "lookup"}})])
def test_tool_choice_both_ways(choice, expected):
    req = {**CONVERSE, "toolConfig": {**CONVERSE["toolConfig"], "toolChoice": choice}}
    body = converse_to_openai(ConverseRequest.model_validate(req), "m", stream=False)
    assert body["tool_choice"] == expected
    assert openai_to_converse(body)["toolConfig"]["toolChoice"] == choice


def test_openai_to_converse_merges_turns_and_maps_legacy_functions():
    body = {"model": "m", "messages": [
        {"role": "developer", "content": [{"type": "text", "text": "Rules."}]},
        {"role": "user", "content": "a"}, {"role": "user", "content": "b"},
        {"role": "assistant", "content": None, "function_call": {"name": "lookup", "arguments": '{"q":"x"}'}},
        {"role": "function", "name": "lookup", "content": "found"}],
        "functions": [{"name": "lookup", "parameters": SCHEMA}], "function_call": {"name": "lookup"},
        "max_completion_tokens": 50, "stop": "STOP"}
    assert openai_to_converse(body) == {
        "system": [{"text": "Rules."}],
        "messages": [
            {"role": "user", "content": [{"text": "a"}, {"text": "b"}]},
            {"role": "assistant", "content": [{"toolUse": {"toolUseId": "call_lookup", "name": "lookup",
                                                           "input": {"q": "x"}}}]},
            {"role": "user", "content": [{"toolResult": {"toolUseId": "call_lookup",
                                                         "content": [{"text": "found"}]}}]}],
        "inferenceConfig": {"maxTokens": 50, "stopSequences": ["STOP"]},
        "toolConfig": {"tools": [{"toolSpec": {"name": "lookup", "inputSchema": {"json": SCHEMA}}}],
                       "toolChoice": {"tool": {"name": "lookup"}}}}


def test_openai_images_must_be_supported_data_urls():
    def msg(url):
        return {"model": "m", "messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": url}}]}]}
    assert openai_to_converse(msg(f"data:image/webp;base64,{PNG}"))["messages"][0]["content"] == [
        {"image": {"format": "webp", "source": {"bytes": PNG}}}]
    for url in ("https://example.com/a.png", f"data:image/tiff;base64,{PNG}"):
        with pytest.raises(ValidationError) as err:
            openai_to_converse(msg(url))
        assert "messages.0.content.0.image_url.url" in err.value.details


def test_empty_user_text_is_refused_with_its_position():
    with pytest.raises(ValidationError) as err:
        openai_to_converse({"model": "m", "messages": [{"role": "user", "content": ""}]})
    assert "messages[0]" in err.value.message


@pytest.mark.parametrize("body,field,words", [
    ({"messages": []}, "messages", "at least 1"),
    ({"messages": [{"role": "system", "content": [{"text": "x"}]}]}, "messages.0.role", "user"),
    ({"messages": [{"role": "user", "content": [{"video": {}}]}]}, "messages.0.content.0", "'video' is not supported"),
    ({"messages": [{"role": "user", "content": [{"toolUse": {"toolUseId": "a", "name": "f", "input": {}}}]}]},
     "messages.0", "only assistant"),
    ({"messages": [{"role": "user", "content": [{"text": "x"}]}], "inferenceConfig": {"topP": 2}},
     "inferenceConfig.topP", "less than or equal to 1"),
    ({"messages": [{"role": "user", "content": [{"text": "x"}]}], "toolConfig": {"tools": [
        {"toolSpec": {"name": "bad name", "inputSchema": {"json": {}}}}]}}, "toolConfig.tools.0.toolSpec.name",
     "pattern"),
])
def test_invalid_converse_bodies_name_the_field(body, field, words):
    with pytest.raises(pydantic.ValidationError) as err:
        ConverseRequest.model_validate(body)
    [e] = err.value.errors()
    assert ".".join(str(p) for p in e["loc"]).startswith(field) and words in e["msg"]


def test_stop_reasons_both_ways():
    assert [finish_reason(s) for s in ("end_turn", "stop_sequence", "max_tokens", "tool_use", "content_filtered",
                                       "guardrail_intervened", None)] == \
        ["stop", "stop", "length", "tool_calls", "content_filter", "content_filter", "stop"]
    assert [stop_reason(f) for f in ("stop", "length", "tool_calls", "function_call", "content_filter", None)] == \
        ["end_turn", "max_tokens", "tool_use", "tool_use", "content_filtered", "end_turn"]


ANSWER = {"id": "x", "object": "chat.completion", "created": 1, "model": "m",
          "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
              "role": "assistant", "content": "Let me check.", "tool_calls": [
                  {"id": "call_9", "type": "function", "function": {"name": "lookup", "arguments": '{"q":"lis"}'}}]}}],
          "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}}


def test_answer_round_trip_openai_converse_openai():
    converse = openai_to_converse_response(ANSWER, latency_ms=42)
    assert converse == {"output": {"message": {"role": "assistant", "content": [
        {"text": "Let me check."}, {"toolUse": {"toolUseId": "call_9", "name": "lookup", "input": {"q": "lis"}}}]}},
        "stopReason": "tool_use", "usage": {"inputTokens": 12, "outputTokens": 7, "totalTokens": 19},
        "metrics": {"latencyMs": 42}}
    back = converse_response_to_openai(converse, "m")
    assert back["choices"] == ANSWER["choices"] and back["usage"] == ANSWER["usage"]
    assert back["object"] == "chat.completion" and back["model"] == "m"


def chunks_of(answer_text: str, calls: list[tuple[str, str, str]], finish: str) -> list[dict]:
    base = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    out = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}]
    for k in range(0, len(answer_text), 3):
        out.append({**base, "choices": [{"index": 0, "delta": {"content": answer_text[k:k + 3]},
                                         "finish_reason": None}]})
    for i, (call_id, name, args) in enumerate(calls):
        out.append({**base, "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": i, "id": call_id, "type": "function", "function": {"name": name, "arguments": ""}}]},
            "finish_reason": None}]})
        for k in range(0, len(args), 4):
            out.append({**base, "choices": [{"index": 0, "delta": {"tool_calls": [
                {"index": i, "function": {"arguments": args[k:k + 4]}}]}, "finish_reason": None}]})
    out.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    out.append({**base, "choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 9, "total_tokens": 14}})
    return out


def test_stream_events_in_bedrock_order():
    writer = ConverseEventWriter()
    events = [e for c in chunks_of("Hi there", [("call_1", "lookup", '{"q":"a"}')], "tool_calls")
              for e in writer.feed(c)] + writer.finish_events(latency_ms=5)
    assert [name for name, _ in events][:2] == ["messageStart", "contentBlockDelta"]
    starts = [p for name, p in events if name == "contentBlockStart"]
    assert starts == [{"start": {"toolUse": {"toolUseId": "call_1", "name": "lookup"}}, "contentBlockIndex": 1}]
    assert [p["contentBlockIndex"] for name, p in events if name == "contentBlockStop"] == [0, 1]
    assert events[-2] == ("messageStop", {"stopReason": "tool_use"})
    assert events[-1] == ("metadata", {"usage": {"inputTokens": 5, "outputTokens": 9, "totalTokens": 14},
                                       "metrics": {"latencyMs": 5}})


@given(text=st.text(min_size=0, max_size=60),
       calls=st.lists(st.tuples(st.from_regex(r"call_[a-z0-9]{4}", fullmatch=True),
                                st.from_regex(r"[a-z_]{1,10}", fullmatch=True), st.text(max_size=40)), max_size=3),
       finish=st.sampled_from(["stop", "length", "tool_calls", "content_filter"]))
def test_stream_round_trip_openai_converse_openai(text, calls, finish):
    writer, reader = ConverseEventWriter(), ConverseChunkReader("m")
    events = [e for c in chunks_of(text, calls, finish) for e in writer.feed(c)] + writer.finish_events(1)
    back = [c for name, payload in events if (c := reader.feed(name, payload)) is not None]
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in back if c["choices"]) == text
    got: dict[int, dict] = {}
    for c in back:
        for tc in (c["choices"][0]["delta"].get("tool_calls") or []) if c["choices"] else []:
            entry = got.setdefault(tc["index"], {"id": tc.get("id"), "name": tc["function"].get("name"), "args": ""})
            entry["args"] += tc["function"].get("arguments") or ""
    assert [(g["id"], g["name"], g["args"]) for _, g in sorted(got.items())] == calls
    assert [c["choices"][0]["finish_reason"] for c in back if c["choices"] and c["choices"][0]["finish_reason"]] \
        == [finish]
    assert back[-1]["usage"] == {"prompt_tokens": 5, "completion_tokens": 9, "total_tokens": 14}
    assert reader.stopped


@pytest.mark.parametrize("extra,field", [({"n": 2}, "n"), ({"logprobs": True}, "logprobs"),
                                         ({"response_format": {"type": "json_object"}}, "response_format")])
def test_what_bedrock_cannot_deliver_is_refused_naming_the_field(extra, field):
    with pytest.raises(ValidationError) as err:
        openai_to_converse({"model": "m", "messages": [{"role": "user", "content": "hi"}], **extra})
    assert field in err.value.details
    # Sampling hints Bedrock has no equivalent for are not a reason to refuse.
    assert openai_to_converse({"model": "m", "messages": [{"role": "user", "content": "hi"}], "seed": 3,
                               "presence_penalty": 0.5, "n": 1, "response_format": {"type": "text"}})
