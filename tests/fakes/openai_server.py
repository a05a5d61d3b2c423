"""A fault-injecting fake of OpenAI's chat completions API, on real HTTP (aiohttp), speaking OpenAI's documented
wire format: `POST {base}/chat/completions` answering a `chat.completion` JSON object, or with `"stream": true`
server-sent events (`data: {chat.completion.chunk}` lines, a usage chunk with empty `choices` when
`stream_options.include_usage` is set, then `data: [DONE]`); errors as `{"error": {"message", "type", "param",
"code"}}` with `retry-after` / `x-ratelimit-*` headers on 429.

Several fake "providers" share one server: each is a path prefix (`fake.url("a")` -> `http://127.0.0.1:port/a/v1`),
with its own script of steps. A test scripts what each next request gets (status and error body, Retry-After, a
delay, a dropped connection, a stream that breaks after N chunks or has no usage chunk); when the script runs out,
requests are answered normally. Every request is recorded, including whether the client went away before the
answer was complete (the handler is cancelled when the connection closes)."""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field

from aiohttp import web

_ERROR_TYPES = {400: "invalid_request_error", 401: "invalid_request_error", 403: "invalid_request_error",
                404: "invalid_request_error", 429: "requests"}
_ERROR_CODES = {401: "invalid_api_key", 404: "model_not_found", 429: "rate_limit_exceeded"}


@dataclass
class Step:
    """What the fake does with one request."""
    status: int = 200
    # The answer text; None echoes the last user message as the provider received it.
    text: str | None = None
    # Answer with one tool call instead of text: {"name": ..., "arguments": str | None (None: echo as JSON)}.
    tool_call: dict | None = None
    # With tool_call: answer in the legacy `function_call` shape (clients that sent `functions`).
    legacy_function: bool = False
    retry_after: str | None = None
    error_message: str = "The server had an error while processing your request."
    delay: float = 0.0           # seconds before answering
    drop: bool = False           # close the connection without answering
    usage: bool = True           # report usage (JSON) / send the usage chunk when asked (SSE)
    chunk_size: int = 4          # characters per streamed delta
    chunk_delay: float = 0.0     # seconds between streamed chunks
    break_after: int | None = None  # SSE: drop the connection after this many content chunks


@dataclass
class Recorded:
    provider: str
    body: dict
    headers: dict
    cancelled: bool = False   # the client closed the connection before the answer was complete
    completed: bool = False
    dropped: bool = False     # the fake dropped the connection as scripted
    chunks_sent: int = 0
    received_at: float = field(default_factory=time.monotonic)


def _word_count(messages: list[dict]) -> int:
    total = 0
    for m in messages:
        content = m.get("content")
        if isinstance(content, list):
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        total += len(str(content or "").split())
    return total


def _last_user_text(messages: list[dict]) -> str:
    for m in reversed(messages):
        if m.get("role") == "user":
            content = m.get("content")
            if isinstance(content, list):
                return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
            return str(content or "")
    return ""


def _finish(call: dict | None, step: Step) -> str:
    if call is None:
        return "stop"
    return "function_call" if step.legacy_function else "tool_calls"


class FakeOpenAIServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._scripts: dict[str, deque[Step]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- test API ----------------------------------------------------------------
    def url(self, provider: str) -> str:
        return f"http://127.0.0.1:{self.port}/{provider}/v1"

    def script(self, provider: str, *steps: Step) -> None:
        self._scripts[provider].extend(steps)

    def seen(self, provider: str) -> list[Recorded]:
        return [r for r in self.requests if r.provider == provider]

    def reset(self) -> None:
        self.requests.clear()
        self._scripts.clear()

    async def __aenter__(self) -> "FakeOpenAIServer":
        app = web.Application()
        app.router.add_post("/{provider}/v1/chat/completions", self._chat)
        # handler_cancellation: the handler is cancelled when the client closes the connection, which is how a
        # cancelled upstream call is observed.
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- the API -------------------------------------------------------------------
    async def _chat(self, request: web.Request) -> web.StreamResponse:
        provider = request.match_info["provider"]
        body = await request.json()
        record = Recorded(provider, body, dict(request.headers))
        self.requests.append(record)
        queue = self._scripts[provider]
        step = queue.popleft() if queue else Step()
        try:
            if step.delay:
                await asyncio.sleep(step.delay)
            if step.drop:
                return await self._drop(request, record)
            if step.status >= 400:
                return self._error(step)
            if body.get("stream"):
                return await self._stream(request, body, step, record)
            record.completed = True
            return web.json_response(self._completion(body, step))
        except (asyncio.CancelledError, ConnectionResetError):
            if not record.dropped:
                record.cancelled = True
            raise

    async def _drop(self, request: web.Request, record: Recorded) -> web.StreamResponse:
        record.dropped = True
        assert request.transport is not None
        request.transport.close()
        await asyncio.sleep(3600)  # cancelled as soon as the connection is gone
        raise AssertionError("unreachable")

    def _error(self, step: Step) -> web.Response:
        status = step.status
        payload = {"error": {"message": step.error_message, "type": _ERROR_TYPES.get(status, "server_error"),
                             "param": None, "code": _ERROR_CODES.get(status)}}
        headers = {"x-request-id": f"req_{uuid.uuid4().hex}"}
        if step.retry_after is not None:
            headers["retry-after"] = step.retry_after
        if status == 429:
            headers.update({"x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "0",
                            "x-ratelimit-reset-requests": f"{step.retry_after or 1}s"})
        return web.json_response(payload, status=status, headers=headers)

    def _answer(self, body: dict, step: Step) -> tuple[str, dict | None]:
        echo = _last_user_text(body.get("messages") or [])
        if step.tool_call is not None:
            args = step.tool_call.get("arguments")
            call = {"id": f"call_{uuid.uuid4().hex[:24]}", "type": "function",
                    "function": {"name": step.tool_call["name"],
                                 "arguments": json.dumps({"note": echo}) if args is None else args}}
            return "", call
        return (echo if step.text is None else step.text), None

    def _usage(self, body: dict, completion_text: str) -> dict:
        prompt = _word_count(body.get("messages") or []) + 5
        completion = max(1, len(completion_text.split()))
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _completion(self, body: dict, step: Step) -> dict:
        text, call = self._answer(body, step)
        message: dict = {"role": "assistant", "content": None if call else text, "refusal": None}
        if call and step.legacy_function:
            message["function_call"] = call["function"]
        elif call:
            message["tool_calls"] = [call]
        out = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
               "model": body.get("model"), "system_fingerprint": "fp_fake",
               "choices": [{"index": 0, "message": message, "logprobs": None,
                            "finish_reason": _finish(call, step)}]}
        if step.usage:
            out["usage"] = self._usage(body, call["function"]["arguments"] if call else text)
        return out

    async def _stream(self, request: web.Request, body: dict, step: Step, record: Recorded) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"content-type": "text/event-stream", "cache-control": "no-cache"})
        await resp.prepare(request)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        cid, created, model = f"chatcmpl-{uuid.uuid4().hex}", int(time.time()), body.get("model")
        text, call = self._answer(body, step)

        def chunk(delta: dict, finish: str | None = None) -> dict:
            out = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                   "system_fingerprint": "fp_fake",
                   "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
            if include_usage:
                out["usage"] = None
            return out

        async def send(data: dict | str) -> None:
            payload = data if isinstance(data, str) else json.dumps(data)
            await resp.write(f"data: {payload}\n\n".encode())

        generated = call["function"]["arguments"] if call else text
        pieces = [generated[i:i + step.chunk_size] for i in range(0, len(generated), step.chunk_size)]
        if call and step.legacy_function:
            first = {"role": "assistant", "content": None,
                     "function_call": {"name": call["function"]["name"], "arguments": ""}}
        elif call:
            first = {"role": "assistant", "content": None,
                     "tool_calls": [{"index": 0, "id": call["id"], "type": "function",
                                     "function": {"name": call["function"]["name"], "arguments": ""}}]}
        else:
            first = {"role": "assistant", "content": "", "refusal": None}
        await send(chunk(first))
        for n, piece in enumerate(pieces):
            if step.break_after is not None and n >= step.break_after:
                return await self._drop(request, record)
            if step.chunk_delay:
                await asyncio.sleep(step.chunk_delay)
            if call and step.legacy_function:
                delta = {"function_call": {"arguments": piece}}
            elif call:
                delta = {"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}
            else:
                delta = {"content": piece}
            await send(chunk(delta))
            record.chunks_sent += 1
        await send(chunk({}, _finish(call, step)))
        if include_usage and step.usage:
            await send({"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                        "system_fingerprint": "fp_fake", "choices": [], "usage": self._usage(body, generated)})
        await send("[DONE]")
        await resp.write_eof()
        record.completed = True
        return resp
