"""A fake Azure OpenAI resource on real HTTP (aiohttp), speaking Azure's documented data-plane format:

- `POST /openai/deployments/{deployment}/chat/completions?api-version=...` and `.../embeddings?api-version=...`,
  authenticated with the `api-key` header;
- answers in OpenAI's shapes plus Azure's content-filter annotations (`prompt_filter_results`, per-choice
  `content_filter_results`); streams as server-sent events whose first event carries only `prompt_filter_results`
  (empty `choices`, empty `id`/`model`), then `chat.completion.chunk`s, a usage chunk when
  `stream_options.include_usage` is set, and `data: [DONE]`;
- errors in Azure's body `{"error": {"code", "message"}}`: 401 for a missing or wrong key, 404 `DeploymentNotFound`
  for an unknown deployment, 404 "Resource not found" without an api-version, 400 for an unsupported api-version,
  and scripted failures (`fail_next`), 429 with `Retry-After` / `retry-after-ms` as Azure sends them.

Every request is recorded (path, query, headers, body) so a test can check what the adapter sent."""
from __future__ import annotations

import json
import time
import uuid
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web

from services.demo_provider import echo

API_VERSIONS = ("2024-02-01", "2024-06-01", "2024-10-21", "2025-01-01-preview")
_FILTERS = {"hate": {"filtered": False, "severity": "safe"}, "self_harm": {"filtered": False, "severity": "safe"},
            "sexual": {"filtered": False, "severity": "safe"}, "violence": {"filtered": False, "severity": "safe"}}
_MESSAGES = {
    401: ("401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid "
                 "key for an active subscription and use a correct regional API endpoint for your resource."),
    500: ("InternalServerError", "The service encountered an internal error. Please retry."),
    503: ("ServiceUnavailable", "The service is temporarily unable to process your request. Please try again later."),
}


@dataclass
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict


@dataclass
class Fault:
    status: int
    retry_after: int | None = None


@dataclass
class AzureOpenAIFake:
    api_key: str = "azure-test-key"
    # deployment name -> the model it serves (what responses name in `model`)
    deployments: dict[str, str] = field(default_factory=lambda: {"gpt-4o": "gpt-4o-2024-08-06",
                                                                 "embed-small": "text-embedding-3-small"})
    requests: list[Recorded] = field(default_factory=list)
    faults: deque[Fault] = field(default_factory=deque)
    url: str = ""
    _runner: web.AppRunner | None = None

    def fail_next(self, status: int, retry_after: int | None = None, times: int = 1) -> None:
        self.faults.extend(Fault(status, retry_after) for _ in range(times))

    async def start(self) -> "AzureOpenAIFake":
        app = web.Application()
        app.router.add_post("/openai/deployments/{deployment}/{operation:chat/completions|embeddings}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            body = {}
        self.requests.append(Recorded(request.path, dict(request.query), dict(request.headers), body))
        version = request.query.get("api-version")
        if version is None:
            return _error(404, "404", "Resource not found")
        if version not in API_VERSIONS:
            return _error(400, "BadRequest", "API version not supported")
        if request.headers.get("api-key") != self.api_key:
            return _error(401, *_MESSAGES[401])
        deployment = request.match_info["deployment"]
        if deployment not in self.deployments:
            return _error(404, "DeploymentNotFound", "The API deployment for this resource does not exist. If you "
                          "created the deployment within the last 5 minutes, please wait a moment and try again.")
        if self.faults:
            return _fault(self.faults.popleft(), request.match_info["operation"], version)
        model = self.deployments[deployment]
        if request.match_info["operation"] == "embeddings":
            return _embeddings(body, model)
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return _error(400, "BadRequest", "'messages' is a required property")
        answer = echo.last_user_text(messages)
        usage = echo.usage(messages, answer)
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:29]}"
        if body.get("stream") is True:
            include_usage = (body.get("stream_options") or {}).get("include_usage") is True
            return await _stream(request, completion_id, model, answer, usage, include_usage)
        return web.json_response({
            "choices": [{"content_filter_results": _FILTERS, "finish_reason": "stop", "index": 0, "logprobs": None,
                         "message": {"content": answer, "refusal": None, "role": "assistant"}}],
            "created": int(time.time()), "id": completion_id, "model": model, "object": "chat.completion",
            "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": _FILTERS}],
            "system_fingerprint": "fp_azure_fake", "usage": usage})


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


def _fault(fault: Fault, operation: str, version: str) -> web.Response:
    if fault.status == 429:
        seconds = fault.retry_after or 1
        op = "ChatCompletions_Create" if operation == "chat/completions" else "Embeddings_Create"
        return _error(429, "429", f"Requests to the {op} Operation under Azure OpenAI API version {version} have "
                      f"exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after "
                      f"{seconds} seconds.",
                      headers={"Retry-After": str(seconds), "retry-after-ms": str(seconds * 1000),
                               "x-ratelimit-remaining-requests": "0", "x-ratelimit-remaining-tokens": "0"})
    code, message = _MESSAGES.get(fault.status, (str(fault.status), "Injected failure"))
    return _error(fault.status, code, message)


def _embeddings(body: dict, model: str) -> web.Response:
    raw = body.get("input")
    inputs = [raw] if isinstance(raw, str) else raw
    if not isinstance(inputs, list) or not inputs or not all(isinstance(i, str) for i in inputs):
        return _error(400, "BadRequest", "'input' must be a string or an array of strings")
    dimensions = body.get("dimensions") or 8
    data = [{"object": "embedding", "index": i, "embedding": echo.embedding(text, dimensions)}
            for i, text in enumerate(inputs)]
    tokens = sum(max(1, echo.count_words(t)) for t in inputs)
    return web.json_response({"object": "list", "data": data, "model": model,
                              "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})


async def _stream(request: web.Request, completion_id: str, model: str, answer: str, usage: dict,
                  include_usage: bool) -> web.StreamResponse:
    resp = web.StreamResponse(headers={"content-type": "text/event-stream", "cache-control": "no-cache"})
    await resp.prepare(request)
    created = int(time.time())

    async def send(payload: dict) -> None:
        await resp.write(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def chunk(delta: dict, finish_reason: str | None = None, filters: dict | None = None) -> dict:
        choice = {"content_filter_results": filters if filters is not None else _FILTERS, "delta": delta,
                  "finish_reason": finish_reason, "index": 0, "logprobs": None}
        return {"choices": [choice], "created": created, "id": completion_id, "model": model,
                "object": "chat.completion.chunk", "system_fingerprint": "fp_azure_fake",
                **({"usage": None} if include_usage else {})}

    await send({"choices": [], "created": 0, "id": "", "model": "", "object": "",
                "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": _FILTERS}]})
    await send(chunk({"content": "", "refusal": None, "role": "assistant"}, filters={}))
    for piece in echo.split_chunks(answer, 5):
        await send(chunk({"content": piece}))
    await send(chunk({}, "stop", filters={}))
    if include_usage:
        await send({"choices": [], "created": created, "id": completion_id, "model": model,
                    "object": "chat.completion.chunk", "system_fingerprint": "fp_azure_fake", "usage": usage})
    await resp.write(b"data: [DONE]\n\n")
    await resp.write_eof()
    return resp
