"""A local stand-in for Anthropic's Messages API (`POST /v1/messages`) speaking its documented wire format:
`x-api-key` + `anthropic-version` headers, JSON bodies, SSE streams (`event: <type>` / `data: <json>`), and error
bodies `{"type": "error", "error": {"type": ..., "message": ...}}` with 429 Retry-After and 529 overloaded.

Behaviour: it answers with the text of the last user turn (so tests can see what reached it); when tools are offered
(and tool_choice is not `none`) and the last user turn is not a tool result, it calls the chosen tool (or the first)
with string properties set to that text. After a tool result it answers "tool said: <result>".
Tokens are words. Every request is recorded in `fake.requests`; `fake.fail_next(...)` queues failures."""
from __future__ import annotations

import asyncio
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, AsyncIterator

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse

API_KEY = "sk-ant-fake-key"
VERSION = "2023-06-01"
_ROLES = ("user", "assistant")
_BLOCK_TYPES = {"text", "image", "tool_use", "tool_result", "thinking", "redacted_thinking"}


@dataclass
class Fault:
    status: int = 500
    error_type: str = "api_error"
    message: str = "Internal server error"
    retry_after: str | None = None
    # With mid_stream, the 200 stream starts and an `error` event replaces the rest after the first text delta.
    mid_stream: bool = False


@dataclass
class FakeAnthropic:
    api_key: str = API_KEY
    chunk_size: int = 5
    requests: list[dict[str, Any]] = field(default_factory=list)
    faults: deque[Fault] = field(default_factory=deque)

    def fail_next(self, status: int, error_type: str, message: str = "injected failure", *,
                  retry_after: str | None = None, mid_stream: bool = False, times: int = 1) -> None:
        for _ in range(times):
            self.faults.append(Fault(status, error_type, message, retry_after, mid_stream))

    def bodies(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests]


def error(status: int, error_type: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"type": "error", "error": {"type": error_type, "message": message},
            "request_id": f"req_{uuid.uuid4().hex[:24]}"}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


def _invalid(message: str) -> Response:
    return error(400, "invalid_request_error", message)


def _check_body(body: Any) -> str | None:
    """The API's own checks on what the adapter sends; returns the error message."""
    if not isinstance(body, dict):
        return "request body must be a JSON object"
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "model: Field required"
    if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] < 1:
        return "max_tokens: Field required"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in _ROLES:
            return f"messages.{i}.role: Input should be 'user' or 'assistant'"
        # The API merges consecutive same-role turns; this fake insists on alternation, so tests prove the adapter
        # sends the turns already merged.
        if i and message["role"] == messages[i - 1]["role"]:
            return f"messages.{i}: roles must alternate between 'user' and 'assistant'"
        content = message.get("content")
        if isinstance(content, str):
            continue
        if not isinstance(content, list) or not content:
            return f"messages.{i}.content: must be a string or a non-empty list of content blocks"
        for j, block in enumerate(content):
            if not isinstance(block, dict) or block.get("type") not in _BLOCK_TYPES:
                return f"messages.{i}.content.{j}: unknown content block type"
            if block["type"] == "text" and not block.get("text"):
                return f"messages.{i}.content.{j}.text: text content blocks must be non-empty"
            if block["type"] == "image":
                source = block.get("source") or {}
                if source.get("type") not in ("base64", "url"):
                    return f"messages.{i}.content.{j}.source: must be a base64 or url source"
    if "system" in body and not isinstance(body["system"], (str, list)):
        return "system: must be a string or a list of text blocks"
    temperature = body.get("temperature")
    if temperature is not None and not 0 <= temperature <= 1:
        return "temperature: must be between 0 and 1"
    for tool in body.get("tools") or ():
        if not isinstance(tool.get("name"), str) or not isinstance(tool.get("input_schema"), dict):
            return "tools: each tool needs a name and an input_schema"
    return None


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content if b.get("type") == "text")


def _words(text: str) -> int:
    return len(text.split())


def _answer(body: dict[str, Any]) -> list[dict[str, Any]]:
    last = body["messages"][-1]
    content = last["content"]
    if isinstance(content, list):
        results = [b for b in content if b.get("type") == "tool_result"]
        if results:
            result = results[0].get("content")
            text = result if isinstance(result, str) else _text_of(result or [])
            return [{"type": "text", "text": f"tool said: {text}"}]
    text = _text_of(content) if last["role"] == "user" else ""
    tools = body.get("tools") or []
    choice = body.get("tool_choice") or {"type": "auto"}
    if tools and choice["type"] != "none":
        tool = next((t for t in tools if t["name"] == choice.get("name")), tools[0])
        props = (tool["input_schema"].get("properties") or {})
        arguments = {name: text if spec.get("type") == "string" else 1 for name, spec in props.items()}
        return [{"type": "text", "text": "Let me check."},
                {"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:24]}", "name": tool["name"],
                 "input": arguments}]
    return [{"type": "text", "text": text or "(no text)"}]


def _stop_reason(body: dict[str, Any], blocks: list[dict[str, Any]]) -> tuple[str, str | None]:
    if any(b["type"] == "tool_use" for b in blocks):
        return "tool_use", None
    for stop in body.get("stop_sequences") or ():
        text = blocks[0]["text"]
        if stop in text:
            blocks[0]["text"] = text[:text.index(stop)]
            return "stop_sequence", stop
    return "end_turn", None


def _input_words(body: dict[str, Any]) -> int:
    system = body.get("system") or ""
    words = _words(system if isinstance(system, str) else _text_of(system))
    return max(1, words + sum(_words(_text_of(m["content"])) for m in body["messages"]))


def _sse(event: dict[str, Any]) -> bytes:
    return b"event: " + event["type"].encode() + b"\ndata: " + orjson.dumps(event) + b"\n\n"


def create_app(fake: FakeAnthropic) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/v1/messages")
    async def messages(request: Request) -> Response:
        raw = await request.body()
        try:
            body: Any = orjson.loads(raw)
        except orjson.JSONDecodeError:
            body = None
        fake.requests.append({"headers": dict(request.headers), "body": body})
        key = request.headers.get("x-api-key")
        if not key:
            return error(401, "authentication_error", "x-api-key header is required")
        if key != fake.api_key:
            return error(401, "authentication_error", "invalid x-api-key")
        if not request.headers.get("anthropic-version"):
            return _invalid("anthropic-version: header is required")
        if not request.headers.get("content-type", "").startswith("application/json"):
            return _invalid("content-type must be application/json")
        problem = _check_body(body)
        if problem:
            return _invalid(problem)
        fault = fake.faults.popleft() if fake.faults else None
        if fault and not fault.mid_stream:
            headers = {"retry-after": fault.retry_after} if fault.retry_after else None
            return error(fault.status, fault.error_type, fault.message, headers)
        blocks = _answer(body)
        stop_reason, stop_sequence = _stop_reason(body, blocks)
        message = {"id": f"msg_{uuid.uuid4().hex[:24]}", "type": "message", "role": "assistant",
                   "model": body["model"], "content": blocks, "stop_reason": stop_reason,
                   "stop_sequence": stop_sequence,
                   "usage": {"input_tokens": _input_words(body),
                             "output_tokens": max(1, sum(_words(_text_of([b])) + len(b.get("input", {}))
                                                         for b in blocks))}}
        if body.get("stream") is True:
            return StreamingResponse(_stream(message, fake.chunk_size, fault), media_type="text/event-stream",
                                     headers={"cache-control": "no-cache"})
        return Response(orjson.dumps(message), media_type="application/json",
                        headers={"request-id": f"req_{uuid.uuid4().hex[:24]}"})

    return app


async def _stream(message: dict[str, Any], chunk_size: int, fault: Fault | None) -> AsyncIterator[bytes]:
    """The documented event sequence: message_start, per block content_block_start / ping (once) /
    content_block_delta... / content_block_stop, message_delta (stop_reason, cumulative usage), message_stop."""
    usage = message["usage"]
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None,
             "usage": {"input_tokens": usage["input_tokens"], "output_tokens": 1}}
    yield _sse({"type": "message_start", "message": start})
    for index, block in enumerate(message["content"]):
        empty = {"type": "text", "text": ""} if block["type"] == "text" else {**block, "input": {}}
        yield _sse({"type": "content_block_start", "index": index, "content_block": empty})
        if index == 0:
            yield _sse({"type": "ping"})
        if block["type"] == "text":
            pieces = [block["text"][i:i + chunk_size] for i in range(0, len(block["text"]), chunk_size)]
            deltas = [{"type": "text_delta", "text": p} for p in pieces]
        else:
            encoded = orjson.dumps(block["input"]).decode()
            deltas = [{"type": "input_json_delta", "partial_json": encoded[i:i + chunk_size]}
                      for i in range(0, len(encoded), chunk_size)]
        for n, delta in enumerate(deltas):
            yield _sse({"type": "content_block_delta", "index": index, "delta": delta})
            if fault is not None and n == 0:
                yield _sse({"type": "error", "error": {"type": fault.error_type, "message": fault.message}})
                return
            await asyncio.sleep(0)
        yield _sse({"type": "content_block_stop", "index": index})
    yield _sse({"type": "message_delta", "delta": {"stop_reason": message["stop_reason"],
                                                   "stop_sequence": message["stop_sequence"]},
                "usage": {"output_tokens": usage["output_tokens"]}})
    yield _sse({"type": "message_stop"})
