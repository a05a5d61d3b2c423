"""Issue 11 item 4: PHI in request fields other than message text. Every forwarded free-text field is sanitized in the
request's one Sanitize call (and restored where the provider echoes it), or the request is refused with a 400 that
names the field; items 3 and 5 (Unicode disguises, values split across messages or parts) on the stack too."""
import json

import httpx
import pytest

SSN = "219-09-9999"
NAME = "Eleanor Rigby"


async def _seen(stack) -> dict:
    async with httpx.AsyncClient() as c:
        [body] = (await c.get(stack.demo_app_requests_url)).json()
        return body


@pytest.fixture(autouse=True)
async def _forget(stack):
    async with httpx.AsyncClient() as c:
        await c.delete(stack.demo_app_requests_url)


def _chat(api_key, **fields):
    return {"headers": {"Authorization": f"Bearer {api_key}"},
            "json": {"model": "radiant-demo", "messages": [{"role": "user", "content": "Hello"}], **fields}}


async def test_stop_sequences_are_sanitized(stack, http, api_key):
    r = await http.post("/v1/chat/completions", **_chat(api_key, stop=[f"Patient {NAME}", f"SSN {SSN}"]))
    assert r.status_code == 200, r.text
    seen = await _seen(stack)
    assert NAME not in json.dumps(seen) and SSN not in json.dumps(seen)
    assert seen["stop"][0].startswith("Patient [PHI_NAME_") and "[PHI_SSN_" in seen["stop"][1]


async def test_tool_descriptions_and_schema_values_are_sanitized_and_stay_a_valid_schema(stack, http, api_key):
    params = {"type": "object", "description": f"Look up the chart of patient {NAME}",
              "properties": {"ssn": {"type": "string", "description": f"for example SSN {SSN}",
                                     "enum": [f"SSN {SSN}", "unknown"], "default": f"SSN {SSN}",
                                     "examples": [f"Patient {NAME}"]}},
              "required": ["ssn"]}
    tools = [{"type": "function", "function": {"name": "lookup_chart",
                                               "description": f"Charts of Dr. {NAME}'s patients", "parameters": params}}]
    r = await http.post("/v1/chat/completions", **_chat(api_key, tools=tools))
    assert r.status_code == 200, r.text
    seen = await _seen(stack)
    sent = json.dumps(seen)
    assert NAME not in sent and SSN not in sent
    fn = seen["tools"][0]["function"]
    assert fn["name"] == "lookup_chart" and "[PHI_NAME_" in fn["description"]
    ssn = fn["parameters"]["properties"]["ssn"]
    assert ssn["enum"][0] == ssn["default"] and "[PHI_SSN_" in ssn["default"] and ssn["enum"][1] == "unknown"
    assert fn["parameters"]["required"] == ["ssn"] and ssn["type"] == "string"


async def test_response_format_schema_description_and_const_are_sanitized(stack, http, api_key):
    fmt = {"type": "json_schema", "json_schema": {"name": "note", "description": f"Summary for {NAME}, SSN {SSN}",
                                                  "schema": {"type": "object", "properties": {
                                                      "id": {"const": f"SSN {SSN}"},
                                                      "who": {"type": "string", "title": f"Patient {NAME}"}}}}}
    r = await http.post("/v1/chat/completions", **_chat(api_key, response_format=fmt))
    assert r.status_code == 200, r.text
    sent = json.dumps(await _seen(stack))
    assert NAME not in sent and SSN not in sent and "[PHI_SSN_" in sent


async def test_a_tool_call_id_holding_phi_is_replaced_consistently(stack, http, api_key):
    call_id = f"call_{SSN.replace('-', '')}_ssn_{SSN}"
    messages = [{"role": "user", "content": "look it up"},
                {"role": "assistant", "tool_calls": [{"id": call_id, "type": "function",
                                                      "function": {"name": "lookup", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": call_id, "content": "found"}]
    tools = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"},
                        json={"model": "radiant-demo", "messages": messages, "tools": tools})
    assert r.status_code == 200, r.text
    seen = await _seen(stack)
    sent_id = seen["messages"][1]["tool_calls"][0]["id"]
    assert SSN not in json.dumps(seen) and "219099999" not in json.dumps(seen)
    assert sent_id == seen["messages"][2]["tool_call_id"] and sent_id.startswith("call_")


async def test_an_ordinary_tool_call_id_is_forwarded_as_sent(stack, http, api_key):
    messages = [{"role": "user", "content": "look it up"},
                {"role": "assistant", "tool_calls": [{"id": "call_abc123", "type": "function",
                                                      "function": {"name": "lookup", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_abc123", "content": "found"}]
    tools = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"},
                        json={"model": "radiant-demo", "messages": messages, "tools": tools})
    assert r.status_code == 200
    assert (await _seen(stack))["messages"][1]["tool_calls"][0]["id"] == "call_abc123"


async def test_an_image_url_with_phi_in_its_query_is_refused_naming_the_field(stack, http, api_key):
    url = f"https://images.example.org/xray.png?patient=Eleanor%20Rigby&ssn={SSN}"
    messages = [{"role": "user", "content": [{"type": "text", "text": "What do you see?"},
                                             {"type": "image_url", "image_url": {"url": url}}]}]
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"},
                        json={"model": "radiant-demo", "messages": messages})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "pii_detected" and "messages[0].content[1].image_url.url" in err["message"]
    assert SSN not in r.text and "Rigby" not in r.text
    async with httpx.AsyncClient() as c:
        assert (await c.get(stack.demo_app_requests_url)).json() == []


async def test_an_image_url_without_phi_is_forwarded(stack, http, api_key):
    url = "https://images.example.org/chest/xray.png?w=800"
    messages = [{"role": "user", "content": [{"type": "text", "text": "What do you see?"},
                                             {"type": "image_url", "image_url": {"url": url}}]}]
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"},
                        json={"model": "radiant-demo", "messages": messages})
    assert r.status_code == 200, r.text
    assert (await _seen(stack))["messages"][0]["content"][1]["image_url"]["url"] == url


async def test_a_function_name_holding_phi_is_refused(stack, http, api_key):
    tools = [{"type": "function", "function": {"name": "chart_of_Eleanor_Rigby", "parameters": {"type": "object"}}}]
    r = await http.post("/v1/chat/completions", **_chat(api_key, tools=tools))
    assert r.status_code == 400 and "tools[0].function.name" in r.json()["error"]["message"]
    assert "Rigby" not in r.text


async def test_anthropic_system_tools_and_stop_sequences_are_sanitized(stack, http, api_key):
    body = {"model": "radiant-demo", "max_tokens": 50, "system": f"The patient is {NAME}.",
            "stop_sequences": [f"SSN {SSN}"],
            "tools": [{"name": "lookup", "description": f"Chart of {NAME}",
                       "input_schema": {"type": "object", "properties": {
                           "q": {"type": "string", "description": f"SSN {SSN}"}}}}],
            "messages": [{"role": "user", "content": "Hello"}]}
    r = await http.post("/v1/messages", headers={"x-api-key": api_key, "anthropic-version": "2023-06-01"}, json=body)
    assert r.status_code == 200, r.text
    sent = json.dumps(await _seen(stack))
    assert NAME not in sent and SSN not in sent and sent.count("[PHI_") >= 4


async def test_bedrock_system_stop_sequences_and_tool_spec_are_sanitized(stack, http, api_key):
    body = {"system": [{"text": f"The patient is {NAME}."}], "inferenceConfig": {"stopSequences": [f"SSN {SSN}"]},
            "toolConfig": {"tools": [{"toolSpec": {"name": "lookup", "description": f"Chart of {NAME}",
                                                   "inputSchema": {"json": {"type": "object"}}}}]},
            "messages": [{"role": "user", "content": [{"text": "Hello"}]}]}
    r = await http.post("/model/radiant-demo/converse", headers={"Authorization": f"Bearer {api_key}"}, json=body)
    assert r.status_code == 200, r.text
    sent = json.dumps(await _seen(stack))
    assert NAME not in sent and SSN not in sent and sent.count("[PHI_") >= 3


async def test_a_value_split_across_two_messages_is_replaced_piece_by_piece(stack, http, api_key):
    messages = [{"role": "user", "content": "My SSN is 536-90-"}, {"role": "user", "content": "4399, please help"},
                {"role": "user", "content": "My first name is Eleanor"}, {"role": "user", "content": "Rigby is my surname"}]
    r = await http.post("/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"},
                        json={"model": "radiant-demo", "messages": messages})
    assert r.status_code == 200, r.text
    seen = await _seen(stack)
    texts = [m["content"] for m in seen["messages"]]
    assert "536" not in json.dumps(texts) and "4399" not in json.dumps(texts) and "Rigby" not in json.dumps(texts)
    assert texts[1].startswith("[PHI_SSN_") and texts[1].endswith(", please help")
    # the demo echoes the last message: its piece comes back as the caller wrote it
    assert r.json()["choices"][0]["message"]["content"] == "Rigby is my surname"


@pytest.mark.parametrize("disguised", [
    "SSN 219\u200b-09-99\u200d99", "SSN 219\u2060-09-9999\ufeff", "SSN 21\u200f9-09-9999",
    "phone \uff16\uff11\uff17\uff0d\uff15\uff15\uff15\uff0d\uff10\uff11\uff13\uff14",
    "SSN 219\u201309\u20119999", "phone 617\u00a0555\u20090134", "Patient \uff25\uff4c\uff45\uff41\uff4e\uff4f\uff52 Rigby",
    "email j\u043ehn.d\u043ee@ex\u0430mple.com",
])
async def test_unicode_disguised_identifiers_are_replaced_in_the_original_text(stack, http, api_key, disguised):
    r = await http.post("/v1/chat/completions", **_chat(api_key, messages=[{"role": "user", "content": disguised}]))
    assert r.status_code == 200, r.text
    content = (await _seen(stack))["messages"][0]["content"]
    assert "[PHI_" in content
    assert not any(c.isdigit() for c in content.replace("[PHI_", "").split("]")[-1]) and "@" not in content
    assert r.json()["choices"][0]["message"]["content"] == disguised  # restored exactly, zero-width characters too
