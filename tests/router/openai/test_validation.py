"""Every limit of the chat and embeddings requests: a 400 in OpenAI's error shape that the SDK raises as
BadRequestError, naming the field at fault, and nothing sent to the provider."""
import base64

import openai
import pytest

from services.router.formats.openai_schemas import MAX_IMAGE_BYTES
from tests.router.openai.conftest import EMBEDDING, PLAIN

USER = [{"role": "user", "content": "hi"}]
TOOL = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}}


def _image(url: str) -> list[dict]:
    return [{"role": "user", "content": [{"type": "text", "text": "look"},
                                         {"type": "image_url", "image_url": {"url": url}}]}]


CHAT_CASES = [
    # (id, request fields, field named in details, words in the message)
    ("max_tokens over the seed limit", {"max_tokens": 128_001}, "max_tokens", "128000"),
    ("max_tokens over the model's output", {"max_tokens": 1025}, "max_tokens", "1024"),
    ("max_completion_tokens over the model's output", {"max_completion_tokens": 5000}, "max_completion_tokens",
     "1024"),
    ("temperature above 2", {"temperature": 2.5}, "temperature", "2"),
    ("temperature below 0", {"temperature": -0.1}, "temperature", "0"),
    ("top_p above 1", {"top_p": 1.5}, "top_p", "1"),
    ("n above 128", {"n": 129}, "n", "128"),
    ("five stop sequences", {"stop": ["a", "b", "c", "d", "e"]}, "stop", "4"),
    ("top_logprobs without logprobs", {"top_logprobs": 2}, "top_logprobs", "logprobs"),
    ("top_logprobs above 20", {"logprobs": True, "top_logprobs": 21}, "top_logprobs", "20"),
    ("logit_bias out of range", {"logit_bias": {"42": 101}}, "logit_bias.42", "100"),
    ("seventeen metadata pairs", {"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata", "16"),
    ("metadata key too long", {"metadata": {"k" * 65: "v"}}, "metadata." + "k" * 65, "64"),
    ("metadata value too long", {"metadata": {"k": "v" * 513}}, "metadata.k", "512"),
    ("metadata value not a string", {"metadata": {"k": 5}}, "metadata.k", "string"),
    ("tool name with a space", {"tools": [{"type": "function", "function": {"name": "look up"}}]},
     "tools.0.function.name", "pattern"),
    ("tool of an unknown type", {"tools": [{"type": "retrieval", "function": {"name": "x"}}]}, "tools.0.type",
     "function"),
    ("tool parameters not an object schema",
     {"tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "string"}}}]},
     "tools.0.function.parameters", "object"),
    ("tool parameters not a JSON schema",
     {"tools": [{"type": "function", "function": {"name": "f", "parameters": {
         "type": "object", "properties": {"a": {"type": "nonsense"}}}}}]},
     "tools.0.function.parameters", "JSON Schema"),
    ("duplicate tool names", {"tools": [TOOL, TOOL]}, "tools", "unique"),
    ("tool_choice without tools", {"tool_choice": "required"}, "tool_choice", "tools"),
    ("tool_choice naming an unknown tool",
     {"tools": [TOOL], "tool_choice": {"type": "function", "function": {"name": "other"}}}, "tool_choice", "other"),
    ("unknown tool_choice", {"tools": [TOOL], "tool_choice": "sometimes"}, "tool_choice", "none"),
    ("function_call without functions", {"function_call": {"name": "f"}}, "function_call", "functions"),
    ("unknown response_format", {"response_format": {"type": "xml"}}, "response_format", "json_schema"),
    ("json_schema without a name", {"response_format": {"type": "json_schema", "json_schema": {"schema": {}}}},
     "response_format.json_schema.json_schema.name", "required"),
    ("json_schema with an invalid schema", {"response_format": {"type": "json_schema", "json_schema": {
        "name": "r", "schema": {"type": 5}}}}, "response_format.json_schema.json_schema.schema", "JSON Schema"),
    ("image URL with an ftp scheme", {"messages": _image("ftp://example.org/a.png")},
     "messages.0.content.1.image_url.image_url.url", "http"),
    ("data URL that is not an image", {"messages": _image("data:text/plain;base64,aGk=")},
     "messages.0.content.1.image_url.image_url.url", "image/png"),
    ("data URL that is not base64", {"messages": _image("data:image/png;base64,***")},
     "messages.0.content.1.image_url.image_url.url", "base64"),
    ("image in a system message", {"messages": [{"role": "system", "content": [
        {"type": "image_url", "image_url": {"url": "https://example.org/a.png"}}]}, *USER]}, "messages.0", "user"),
    ("tool message without tool_call_id", {"messages": [*USER, {"role": "tool", "content": "42"}]}, "messages.1",
     "tool_call_id"),
    ("function message without a name", {"messages": [*USER, {"role": "function", "content": "42"}]}, "messages.1",
     "name"),
    ("assistant message with nothing in it", {"messages": [*USER, {"role": "assistant"}]}, "messages.1",
     "content"),
    ("session_id longer than 128", {"extra_body": {"session_id": "s" * 129}}, "session_id", "128"),
    ("phi_categories not a list", {"extra_body": {"phi_categories": "SSN"}}, "phi_categories", "list"),
]


@pytest.mark.parametrize("fields,field,words", [c[1:] for c in CHAT_CASES], ids=[c[0] for c in CHAT_CASES])
async def test_chat_limits_are_400s_naming_the_field(aclient, provider_saw, fields, field, words):
    body = {"model": "radiant-demo", "messages": USER, **fields}
    with pytest.raises(openai.BadRequestError) as caught:
        await aclient.chat.completions.create(**body)
    err = caught.value
    assert err.status_code == 400 and err.code == "validation_error"
    details = err.body["details"]
    assert field in details, details
    assert words.lower() in " ".join(details[field]).lower() + err.message.lower()
    assert await provider_saw() == []


@pytest.mark.parametrize("model,fields,field", [
    (PLAIN, {"tools": [TOOL]}, "tools"),
    (PLAIN, {"functions": [TOOL["function"]]}, "functions"),
    (PLAIN, {"messages": _image("https://example.org/a.png")}, "messages.0.content"),
    (PLAIN, {"max_tokens": 513}, "max_tokens"),
    (EMBEDDING, {}, "model"),
], ids=["tools on a model without function calling", "legacy functions likewise", "image on a model without vision",
        "max_tokens over this model's 512", "chat on an embeddings model"])
async def test_what_the_model_cannot_do_is_a_400(aclient, provider_saw, model, fields, field):
    with pytest.raises(openai.BadRequestError) as caught:
        await aclient.chat.completions.create(**{"model": model, "messages": USER, **fields})
    assert field in caught.value.body["details"]
    assert model in caught.value.message
    assert await provider_saw() == []


async def test_image_larger_than_the_limit_is_refused(aclient, provider_saw):
    payload = base64.b64encode(b"\0" * (MAX_IMAGE_BYTES + 3)).decode()
    with pytest.raises(openai.BadRequestError) as caught:
        await aclient.chat.completions.create(model="radiant-demo-vision",
                                              messages=_image(f"data:image/jpeg;base64,{payload}"))
    assert "5 MB" in str(caught.value.body["details"])
    assert await provider_saw() == []


async def test_limits_at_the_boundary_are_accepted(aclient):
    completion = await aclient.chat.completions.create(
        model="radiant-demo", messages=USER, max_tokens=1024, temperature=2, top_logprobs=20, logprobs=True,
        metadata={f"k{i}": "v" * 512 for i in range(16)}, stop=["a", "b", "c", "d"])
    assert completion.choices[0].message.content == "hi"


EMBEDDING_CASES = [
    ("empty string", {"input": ""}, "input"),
    ("empty list", {"input": []}, "input"),
    ("an empty string in the list", {"input": ["a", ""]}, "input"),
    ("2049 inputs", {"input": ["a"] * 2049}, "input"),
    ("negative token id", {"input": [1, -2]}, "input"),
    ("token id outside the vocabulary", {"input": [[1, 2_000_000]]}, "input"),
    ("unknown encoding_format", {"encoding_format": "hex"}, "encoding_format"),
    ("dimensions of 0", {"dimensions": 0}, "dimensions"),
]


@pytest.mark.parametrize("fields,field", [c[1:] for c in EMBEDDING_CASES], ids=[c[0] for c in EMBEDDING_CASES])
async def test_embedding_limits_are_400s_naming_the_field(http, api_key, provider_saw, fields, field):
    r = await http.post("/v1/embeddings", headers={"Authorization": f"Bearer {api_key}"},
                        json={"model": EMBEDDING, "input": "hello", **fields})
    assert r.status_code == 400, r.text
    assert field in r.json()["error"]["details"]
    assert await provider_saw() == []


async def test_embeddings_on_a_chat_model_is_a_400(aclient):
    with pytest.raises(openai.BadRequestError) as caught:
        await aclient.embeddings.create(model="radiant-demo", input="hello")
    assert "not an embeddings model" in caught.value.message


RAW_CASES = [
    # (id, raw JSON body, field named) -- inputs that once reached the registry, the PHI service or orjson
    ("model name with a NUL", b'{"model":"radi\\u0000ant","messages":[{"role":"user","content":"a"}]}', "model"),
    ("content with a lone surrogate", b'{"model":"radiant-demo","messages":[{"role":"user","content":"a\\ud800"}]}',
     "messages.0.content"),
    ("seed beyond 64 bits", b'{"model":"radiant-demo","seed":123456789012345678901234567890,'
                            b'"messages":[{"role":"user","content":"a"}]}', "seed"),
    ("temperature NaN", b'{"model":"radiant-demo","temperature":NaN,"messages":[{"role":"user","content":"a"}]}',
     "temperature"),
    ("tool schema with a huge integer",
     b'{"model":"radiant-demo","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object",'
     b'"maxProperties":123456789012345678901234567890}}}],"messages":[{"role":"user","content":"a"}]}',
     "tools.0.function.parameters"),
    ("embedding input with a lone surrogate", b'{"model":"radiant-demo-embedding","input":["\\udfff"]}', "input.0"),
]


@pytest.mark.parametrize("body,field", [c[1:] for c in RAW_CASES], ids=[c[0] for c in RAW_CASES])
async def test_malformed_text_and_numbers_are_400s(http, api_key, provider_saw, body, field):
    path = "/v1/embeddings" if b'"input"' in body else "/v1/chat/completions"
    r = await http.post(path, content=body, headers={"Authorization": f"Bearer {api_key}",
                                                     "content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert field in r.json()["error"]["details"]
    assert await provider_saw() == []
