"""The demo provider speaks OpenAI's wire format and echoes what reached it (in-process via ASGITransport)."""
from __future__ import annotations

import asyncio

import httpx
import openai
import orjson
import pytest

from services.demo_provider.app import create_app

BASE = "http://demo.test"


@pytest.fixture
def app():
    return create_app()


@pytest.fixture
async def client(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


@pytest.fixture
async def sdk(app):
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    sdk = openai.AsyncOpenAI(base_url=f"{BASE}/v1", api_key="demo", http_client=http, max_retries=0)
    yield sdk
    await sdk.close()


def sse_events(body: str) -> list[str]:
    assert body.endswith("\n\n")
    events = body.split("\n\n")[:-1]
    for event in events:
        assert event.startswith("data: "), event
    return [event.removeprefix("data: ") for event in events]


def chat(text: str, **extra) -> dict:
    return {"model": "radiant-demo", "messages": [{"role": "system", "content": "You are terse."},
                                                   {"role": "user", "content": "first question"},
                                                   {"role": "assistant", "content": "first answer"},
                                                   {"role": "user", "content": text}], **extra}


async def test_answer_echoes_last_user_message_with_word_token_counts(client):
    response = await client.post("/v1/chat/completions", json=chat("Patient [PHI_NAME_1] has a cough"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"].startswith("chatcmpl-")
    assert body["object"] == "chat.completion"
    assert body["model"] == "radiant-demo"
    assert isinstance(body["created"], int)
    assert body["choices"][0]["message"] == {"role": "assistant", "content": "Patient [PHI_NAME_1] has a cough",
                                             "refusal": None}
    assert body["choices"][0]["finish_reason"] == "stop"
    # 3 (system) + 2 + 2 + 5 words in; 5 words out
    assert body["usage"] == {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17}


async def test_text_parts_are_concatenated_and_counts_never_zero(client):
    content = [{"type": "text", "text": "Hello "},
               {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
               {"type": "text", "text": "world"}]
    body = (await client.post("/v1/chat/completions",
                              json={"model": "m", "messages": [{"role": "user", "content": content}]})).json()
    assert body["choices"][0]["message"]["content"] == "Hello world [1 image received]"

    content[1]["image_url"]["url"] = "data:,"  # not an image: refused the way OpenAI refuses it
    bad = await client.post("/v1/chat/completions", json={"model": "m", "messages": [{"role": "user",
                                                                                    "content": content}]})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_image_url"

    empty = (await client.post("/v1/chat/completions",
                               json={"model": "m", "messages": [{"role": "user", "content": ""}]})).json()
    assert empty["choices"][0]["message"]["content"] == ""
    assert empty["usage"] == {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}


async def test_stream_is_well_formed_sse_that_reassembles_to_the_answer(client):
    text = "Call [PHI_NAME_1] at [PHI_PHONE_1] today"
    response = await client.post("/v1/chat/completions", json=chat(text, stream=True))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    assert events[-1] == "[DONE]"
    chunks = [orjson.loads(e) for e in events[:-1]]
    assert len({c["id"] for c in chunks}) == 1 and chunks[0]["id"].startswith("chatcmpl-")
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "radiant-demo" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    pieces = [c["choices"][0]["delta"].get("content") or "" for c in chunks]
    assert "".join(pieces) == text
    content_pieces = [p for p in pieces if p]
    assert len(content_pieces) > 5
    assert "[PHI_NAME_1]" not in content_pieces  # placeholders arrive split across chunks
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    assert all("usage" not in c for c in chunks)


async def test_stream_include_usage_adds_a_usage_chunk_before_done(client):
    text = "one two three"
    plain = (await client.post("/v1/chat/completions", json=chat(text))).json()
    response = await client.post("/v1/chat/completions",
                                 json=chat(text, stream=True, stream_options={"include_usage": True}))
    events = sse_events(response.text)
    assert events[-1] == "[DONE]"
    last = orjson.loads(events[-2])
    assert last["choices"] == []
    assert last["usage"] == plain["usage"] == {"prompt_tokens": 10, "completion_tokens": 3, "total_tokens": 13}
    assert all(orjson.loads(e)["usage"] is None for e in events[:-2])


@pytest.mark.parametrize("body, param", [
    ({"messages": [{"role": "user", "content": "hi"}]}, "model"),
    ({"model": "", "messages": [{"role": "user", "content": "hi"}]}, "model"),
    ({"model": "m", "messages": []}, "messages"),
    ({"model": "m", "messages": "hi"}, "messages"),
    ({"model": "m", "messages": [{"content": "no role"}]}, "messages[0]"),
])
async def test_bad_body_is_400_in_openai_error_shape(client, body, param):
    response = await client.post("/v1/chat/completions", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param
    assert param.split("[")[0] in error["message"]


async def test_non_json_body_is_400(client):
    response = await client.post("/v1/chat/completions", content=b"not json",
                                 headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "JSON object" in response.json()["error"]["message"]


async def test_requests_are_recorded_and_clearable(client):
    assert (await client.delete("/_demo/requests")).status_code == 204
    assert (await client.get("/_demo/requests")).json() == []
    first, second = chat("first"), {"model": "e", "input": "embed me"}
    await client.post("/v1/chat/completions", json=first)
    await client.post("/v1/embeddings", json=second, headers={"x-test": "yes"})
    assert (await client.get("/_demo/requests")).json() == [first, second]
    full = (await client.get("/_demo/requests", params={"full": "true"})).json()
    assert [(r["method"], r["path"]) for r in full] == [("POST", "/v1/chat/completions"), ("POST", "/v1/embeddings")]
    assert full[1]["headers"]["x-test"] == "yes"
    await client.delete("/_demo/requests")
    assert (await client.get("/_demo/requests")).json() == []


async def test_only_the_last_200_requests_are_kept(client):
    for i in range(205):
        await client.post("/v1/chat/completions", json={"model": "m", "messages": [{"role": "user", "content": str(i)}]})
    recorded = (await client.get("/_demo/requests")).json()
    assert len(recorded) == 200
    assert recorded[0]["messages"][0]["content"] == "5"
    assert recorded[-1]["messages"][0]["content"] == "204"


async def test_openai_sdk_chat_stream_and_models(sdk):
    completion = await sdk.chat.completions.create(model="radiant-demo",
                                                   messages=[{"role": "user", "content": "ping from the SDK"}])
    assert completion.choices[0].message.content == "ping from the SDK"
    assert completion.usage.completion_tokens == 4

    stream = await sdk.chat.completions.create(model="radiant-demo", stream=True,
                                               stream_options={"include_usage": True},
                                               messages=[{"role": "user", "content": "streamed via the SDK"}])
    text, usage = "", None
    async for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        if chunk.usage:
            usage = chunk.usage
    assert text == "streamed via the SDK"
    assert usage.prompt_tokens == 4 and usage.completion_tokens == 4

    models = [m.id async for m in sdk.models.list()]
    assert "radiant-demo" in models


async def test_embeddings_are_deterministic_in_float_and_base64(sdk, client):
    # The SDK asks for base64 by default and decodes it; the raw float answer must match.
    via_sdk = await sdk.embeddings.create(model="demo-embed", input=["alpha", "beta", "alpha"])
    vectors = [d.embedding for d in via_sdk.data]
    assert len(vectors[0]) == 16
    assert vectors[0] == pytest.approx(vectors[2])
    assert vectors[0] != pytest.approx(vectors[1])
    assert sum(v * v for v in vectors[0]) == pytest.approx(1.0, abs=1e-4)
    raw = (await client.post("/v1/embeddings", json={"model": "m", "input": "alpha", "dimensions": 16})).json()
    assert raw["object"] == "list" and raw["data"][0]["object"] == "embedding"
    assert raw["data"][0]["embedding"] == pytest.approx(vectors[0], abs=1e-5)
    assert raw["usage"] == {"prompt_tokens": 1, "total_tokens": 1}
    bad = await client.post("/v1/embeddings", json={"model": "m", "input": []})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "input"


async def test_failure_injection(sdk, client):
    with pytest.raises(openai.RateLimitError) as rate_limited:
        await sdk.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}],
                                          extra_headers={"x-demo-fail": "429"})
    assert rate_limited.value.response.headers["retry-after"] == "1"
    with pytest.raises(openai.InternalServerError):
        await sdk.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}],
                                          extra_headers={"x-demo-fail": "500"})


async def test_failure_injection_timeout_outlasts_the_caller_deadline():
    app = create_app(timeout_seconds=5)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(c.post("/v1/chat/completions", headers={"x-demo-fail": "timeout"},
                                          json={"model": "m", "messages": [{"role": "user", "content": "x"}]}), 0.3)


async def test_healthz(client):
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
