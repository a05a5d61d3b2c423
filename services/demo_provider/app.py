"""FastAPI app of the demo provider: OpenAI's /v1/chat/completions (JSON and SSE; `n` choices, image parts, tool and
legacy function calls as tools.py decides), /v1/embeddings (deterministic vectors), /v1/models, /healthz, and test
introspection under /_demo.

Test hooks (request headers):
- `x-demo-fail: <status>` (e.g. 500, 429, 503) answers with that status in OpenAI's error shape (429 adds Retry-After: 1);
  `x-demo-fail: timeout` waits `timeout_seconds` and then answers 504, so a caller's deadline expires first.
- `x-demo-delay-ms: <n>` waits n ms before answering (simulated upstream latency).
- `x-demo-chunk-size: <n>` characters per streamed content chunk (default 4).
"""
from __future__ import annotations

import asyncio
import time
import uuid
from collections import deque
from typing import Any, AsyncIterator

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse

from services.demo_provider import echo, tools

DEFAULT_MODELS = ("radiant-demo", "demo-echo")
DEFAULT_CHUNK_SIZE = 4
MAX_EMBEDDING_DIMENSIONS = 4096


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def openai_error(status: int, message: str, *, param: str | None = None, type_: str = "invalid_request_error",
                 code: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": type_, "param": param, "code": code}},
                        status_code=status, headers=headers)


_FAIL_TYPES = {401: "authentication_error", 403: "permission_error", 404: "not_found_error",
               429: "rate_limit_exceeded", 400: "invalid_request_error"}


def _sse(payload: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(payload) + b"\n\n"


def create_app(models: tuple[str, ...] = DEFAULT_MODELS, max_recorded: int = 200,
               timeout_seconds: float = 30.0) -> FastAPI:
    app = FastAPI(title="Radiant demo provider", docs_url=None, redoc_url=None, openapi_url=None,
                  default_response_class=JSONResponse)
    recorded: deque[dict[str, Any]] = deque(maxlen=max_recorded)
    app.state.recorded = recorded
    started = int(time.time())

    async def read_body(request: Request) -> tuple[Any, JSONResponse | None]:
        """Parse and record the body, apply the failure/delay hooks, check it is an object naming a model.
        Returns (body, early response)."""
        raw = await request.body()
        try:
            body: Any = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        recorded.append({"method": request.method, "path": request.url.path,
                         "headers": dict(request.headers), "body": body})
        delay = request.headers.get("x-demo-delay-ms")
        if delay and delay.isdigit():
            await asyncio.sleep(int(delay) / 1000)
        fail = request.headers.get("x-demo-fail")
        if fail:
            if fail == "timeout":
                await asyncio.sleep(timeout_seconds)
                return body, openai_error(504, "demo provider timed out", type_="timeout", code="timeout")
            if fail.isdigit() and 400 <= int(fail) <= 599:
                status = int(fail)
                headers = {"Retry-After": "1"} if status == 429 else None
                return body, openai_error(status, f"injected failure {status}", type_=_FAIL_TYPES.get(status, "api_error"),
                                          code=f"demo_{status}", headers=headers)
        if not isinstance(body, dict):
            return body, openai_error(400, "the request body must be a JSON object")
        if not isinstance(body.get("model"), str) or not body["model"]:
            return body, openai_error(400, "'model' is required and must be a non-empty string", param="model")
        return body, None

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/v1/models")
    async def list_models() -> JSONResponse:
        return JSONResponse({"object": "list", "data": [
            {"id": m, "object": "model", "created": started, "owned_by": "radiant-demo"} for m in models]})

    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request) -> Response:
        body, early = await read_body(request)
        if early is not None:
            return early
        model = body["model"]
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return openai_error(400, "'messages' is required and must be a non-empty array", param="messages")
        for i, message in enumerate(messages):
            if not isinstance(message, dict) or not isinstance(message.get("role"), str):
                return openai_error(400, f"messages[{i}] must be an object with a string 'role'", param=f"messages[{i}]")
        problem = echo.image_problem(messages)
        if problem is not None:
            return openai_error(400, problem, param="messages", code="invalid_image_url")
        n = body.get("n", 1)
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 128:
            return openai_error(400, "'n' must be an integer from 1 to 128", param="n")
        call = tools.decide(body, messages)
        answer = tools.tool_result(messages)
        if answer is None:
            answer = echo.answer(messages)
        produced = call.arguments if call else answer
        usage = echo.usage(messages, produced)
        usage["completion_tokens"] *= n
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        call_ids = [tools.call_id() for _ in range(n)]
        if body.get("stream") is True:
            options = body.get("stream_options")
            include_usage = isinstance(options, dict) and options.get("include_usage") is True
            size = request.headers.get("x-demo-chunk-size", "")
            chunk_size = int(size) if size.isdigit() and int(size) > 0 else DEFAULT_CHUNK_SIZE
            if call:
                script = [(tools.deltas(call, call_ids[i], chunk_size), tools.finish_reason(call)) for i in range(n)]
            else:
                text_deltas = [{"role": "assistant", "content": ""},
                               *({"content": piece} for piece in echo.split_chunks(answer, chunk_size))]
                script = [(text_deltas, "stop")] * n
            return StreamingResponse(_stream(completion_id, created, model, script, usage, include_usage),
                                     media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        if call:
            choices = [{"index": i, "message": tools.message(call, call_ids[i]), "logprobs": None,
                        "finish_reason": tools.finish_reason(call)} for i in range(n)]
        else:
            choices = [{"index": i, "message": {"role": "assistant", "content": answer, "refusal": None},
                        "logprobs": None, "finish_reason": "stop"} for i in range(n)]
        return JSONResponse({
            "id": completion_id, "object": "chat.completion", "created": created, "model": model,
            "system_fingerprint": "fp_radiant_demo", "choices": choices, "usage": usage,
        })

    @app.post("/v1/embeddings")
    async def embeddings(request: Request) -> Response:
        body, early = await read_body(request)
        if early is not None:
            return early
        model = body["model"]
        raw_input = body.get("input")
        inputs = [raw_input] if isinstance(raw_input, str) else raw_input
        if not isinstance(inputs, list) or not inputs:
            return openai_error(400, "'input' must be a string or a non-empty array", param="input")
        dimensions = body.get("dimensions", 16)
        if not isinstance(dimensions, int) or isinstance(dimensions, bool) or not 1 <= dimensions <= MAX_EMBEDDING_DIMENSIONS:
            return openai_error(400, f"'dimensions' must be an integer from 1 to {MAX_EMBEDDING_DIMENSIONS}",
                                param="dimensions")
        as_base64 = body.get("encoding_format") == "base64"
        texts = [item if isinstance(item, str) else orjson.dumps(item).decode() for item in inputs]
        data = []
        for i, text in enumerate(texts):
            vector = echo.embedding(text, dimensions)
            data.append({"object": "embedding", "index": i,
                         "embedding": echo.embedding_base64(vector) if as_base64 else vector})
        tokens = max(1, sum(echo.count_words(t) for t in texts))
        return JSONResponse({"object": "list", "data": data, "model": model,
                             "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    @app.get("/_demo/requests")
    async def recorded_requests(full: bool = False) -> JSONResponse:
        """Bodies received (oldest first, last `max_recorded`); `?full=true` adds method, path and headers."""
        return JSONResponse(list(recorded) if full else [r["body"] for r in recorded])

    @app.delete("/_demo/requests")
    async def clear_requests() -> Response:
        recorded.clear()
        return Response(status_code=204)

    return app


async def _stream(completion_id: str, created: int, model: str, script: list[tuple[list[dict[str, Any]], str]],
                  usage: dict[str, int], include_usage: bool) -> AsyncIterator[bytes]:
    """`script` holds, per choice, its deltas and finish reason; choices stream one after the other."""
    base: dict[str, Any] = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                            "system_fingerprint": "fp_radiant_demo"}
    extra: dict[str, Any] = {"usage": None} if include_usage else {}

    def chunk(index: int, delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
        return _sse({**base, "choices": [{"index": index, "delta": delta, "logprobs": None,
                                          "finish_reason": finish_reason}], **extra})

    for index, (deltas, finish_reason) in enumerate(script):
        for delta in deltas:
            yield chunk(index, delta)
        yield chunk(index, {}, finish_reason)
    if include_usage:
        yield _sse({**base, "choices": [], "usage": usage})
    yield b"data: [DONE]\n\n"
