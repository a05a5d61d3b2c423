"""A local SageMaker Runtime speaking the documented InvokeEndpoint (POST /endpoints/{name}/invocations) and
InvokeEndpointWithResponseStream (/invocations-response-stream: application/vnd.amazon.eventstream PayloadPart events
whose bytes are the container's stream, cut at fixed sizes so lines straddle parts) for two container families:

- "tgi" (Hugging Face TGI): takes {"inputs", "parameters"}; answers [{"generated_text", "details"}]; streams
  `data:{"token": ..., "generated_text", "details"}` lines, the last token being the special end-of-sequence one.
- "vllm" (vLLM / LMI OpenAI-compatible): takes an OpenAI chat body; answers chat.completion JSON or SSE chunks (a
  usage chunk when stream_options.include_usage).

Requests must be SigV4-signed for service `sagemaker`. Unknown endpoints get SageMaker's ValidationError; a body the
container cannot read gets ModelError (424) with the container's status, as SageMaker reports container failures.
Answers: TGI "TGI read <n> characters" (n = prompt length, at most max_new_tokens words), vLLM "vLLM heard: <last user
text>". Failures are scripted with `fail(...)`."""
from __future__ import annotations

import asyncio
from typing import Any

import orjson
from aiohttp import web

from services.router.formats import aws_eventstream
from tests.fakes.aws_fake import AwsFakeServer, error_response, failure_response

PART_SIZE = 37
ACCOUNT = "123456789012"


def _tgi_reply(body: dict) -> tuple[list[str], str]:
    words = f"TGI read {len(body['inputs'])} characters".split()
    limit = int((body.get("parameters") or {}).get("max_new_tokens") or 20)
    return words[:limit], ("length" if limit < len(words) else "eos_token")


def _tgi_lines(body: dict) -> bytes:
    words, finish = _tgi_reply(body)
    out = b""
    for i, word in enumerate(words):
        token = {"id": i, "text": word if i == 0 else " " + word, "logprob": -0.1, "special": False}
        out += b"data:" + orjson.dumps({"index": i, "token": token, "generated_text": None, "details": None}) + b"\n\n"
    details = {"finish_reason": finish, "generated_tokens": len(words) + 1, "seed": None}
    eos = {"id": 2, "text": "</s>", "logprob": -0.01, "special": True}
    out += b"data:" + orjson.dumps({"index": len(words), "token": eos, "generated_text": " ".join(words),
                                    "details": details}) + b"\n\n"
    return out


def _vllm_text(body: dict) -> str:
    content = body["messages"][-1].get("content")
    if isinstance(content, list):
        content = "".join(p.get("text", "") for p in content)
    return "vLLM heard: " + (content or "")


def _vllm_usage(body: dict, text: str) -> dict:
    prompt = sum(len(str(m.get("content") or "").split()) for m in body["messages"])
    return {"prompt_tokens": prompt, "completion_tokens": len(text.split()),
            "total_tokens": prompt + len(text.split())}


def _vllm_lines(body: dict) -> bytes:
    text = _vllm_text(body)
    base = {"id": "chatcmpl-vllm", "object": "chat.completion.chunk", "created": 1, "model": body.get("model", "")}
    chunks = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}]
    chunks += [{**base, "choices": [{"index": 0, "delta": {"content": text[k:k + 6]}, "finish_reason": None}]}
               for k in range(0, len(text), 6)]
    chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    if (body.get("stream_options") or {}).get("include_usage"):
        chunks.append({**base, "choices": [], "usage": _vllm_usage(body, text)})
    return b"".join(b"data: " + orjson.dumps(c) + b"\n\n" for c in chunks) + b"data: [DONE]\n\n"


def _readable(container: str, body: Any) -> bool:
    if not isinstance(body, dict):
        return False
    if container == "tgi":
        return isinstance(body.get("inputs"), str)
    return isinstance(body.get("messages"), list) and bool(body["messages"])


class FakeSageMaker(AwsFakeServer):
    service = "sagemaker"

    def __init__(self, *args: Any, endpoints: dict[str, str] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.endpoints = dict(endpoints or {})  # endpoint name -> "tgi" | "vllm"

    def routes(self) -> list[web.RouteDef]:
        return [web.post("/endpoints/{name}/invocations", self.invoke),
                web.post("/endpoints/{name}/invocations-response-stream", self.invoke_stream)]

    async def _prepare(self, request: web.Request, streaming: bool):
        name = request.match_info["name"]
        body, early = await self.admit(request, endpoint=name, streaming=streaming)
        if early is not None:
            return None, early
        failure = self.next_failure(streaming)
        if failure is not None and not failure.mid_stream:
            return None, failure_response(failure, message_key="Message")
        container = self.endpoints.get(name)
        if container is None:
            return None, error_response(400, "ValidationError", f"Endpoint {name} of account {ACCOUNT} not found.")
        if not _readable(container, body):
            return None, error_response(
                424, "ModelError", "Received client error (422) from primary with message \"Failed to deserialize "
                "the JSON body\". See the log for more information.", message_key="Message",
                ErrorCode="CLIENT_ERROR_FROM_MODEL", OriginalStatusCode=422,
                LogStreamArn=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/sagemaker/Endpoints/{name}")
        return (container, body, failure), None

    async def invoke(self, request: web.Request) -> web.StreamResponse:
        ready, early = await self._prepare(request, streaming=False)
        if early is not None:
            return early
        container, body, _ = ready
        if container == "tgi":
            words, finish = _tgi_reply(body)
            payload: Any = [{"generated_text": " ".join(words),
                             "details": {"finish_reason": finish, "generated_tokens": len(words) + 1}}]
        else:
            text = _vllm_text(body)
            payload = {"id": "chatcmpl-vllm", "object": "chat.completion", "created": 1, "model": body.get("model"),
                       "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                    "finish_reason": "stop"}], "usage": _vllm_usage(body, text)}
        return web.Response(body=orjson.dumps(payload), content_type="application/json",
                            headers={"x-Amzn-Invoked-Production-Variant": "AllTraffic"})

    async def invoke_stream(self, request: web.Request) -> web.StreamResponse:
        ready, early = await self._prepare(request, streaming=True)
        if early is not None:
            return early
        container, body, failure = ready
        data = _tgi_lines(body) if container == "tgi" else _vllm_lines(body)
        resp = web.StreamResponse(headers={"content-type": aws_eventstream.CONTENT_TYPE,
                                           "X-Amzn-SageMaker-Content-Type": "text/event-stream",
                                           "x-Amzn-Invoked-Production-Variant": "AllTraffic"})
        await resp.prepare(request)
        for n, k in enumerate(range(0, len(data), PART_SIZE)):
            if failure is not None and n == failure.after:
                await resp.write(aws_eventstream.exception(failure.error_type, failure.message))
                break
            await resp.write(aws_eventstream.event("PayloadPart", data[k:k + PART_SIZE],
                                                   content_type="application/octet-stream"))
            await asyncio.sleep(0)
        await resp.write_eof()
        return resp
