"""A local Amazon Bedrock Runtime speaking the documented Converse API: POST /model/{modelId}/converse (JSON) and
/model/{modelId}/converse-stream (application/vnd.amazon.eventstream frames: messageStart, contentBlockStart,
contentBlockDelta, contentBlockStop, messageStop, metadata; exceptions as `:message-type: exception` frames).

Requests must be SigV4-signed for service `bedrock` with the fake's credentials (verified with botocore), or carry
`Authorization: Bearer <bearer_token>`. Bodies get Bedrock's own checks (alternating roles, non-blank text, toolConfig
needed for tool blocks). Answers are deterministic: "You said: <last user text>", with the images described; with
tools declared, a toolUse of the chosen tool whose input echoes the text; after a tool result, "Tool said: ...".
Usage counts words. Failures are scripted with `fail(...)`."""
from __future__ import annotations

import asyncio
import base64
from typing import Any
from urllib.parse import unquote

import orjson
from aiohttp import web

from services.router.formats import aws_eventstream
from tests.fakes.aws_fake import AwsFakeServer, error_response, failure_response

STREAM_TEXT_CHUNK = 5


def _words(text: str) -> int:
    return len(text.split())


def _texts(messages: list[dict], system: list[dict]) -> list[str]:
    out = [b["text"] for b in system if "text" in b]
    for msg in messages:
        for block in msg["content"]:
            if "text" in block:
                out.append(block["text"])
            elif "toolResult" in block:
                out += [c.get("text", "") for c in block["toolResult"]["content"]]
    return out


def validate(body: Any) -> str | None:
    """Bedrock's ValidationException messages for the mistakes a translator can make."""
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list) or not body["messages"]:
        return "Malformed input request: messages is required"
    uses_tools = False
    for i, msg in enumerate(body["messages"]):
        expected = "user" if i % 2 == 0 else "assistant"
        if msg.get("role") != expected:
            return "A conversation must alternate between user and assistant roles. Make sure the conversation " \
                   "alternates between user and assistant roles and try again."
        if not msg.get("content"):
            return f"The content field in the Message object at messages.{i} is empty."
        for j, block in enumerate(msg["content"]):
            if len(block) != 1:
                return f"messages.{i}.content.{j} must have exactly one member"
            if "text" in block and not block["text"].strip():
                return f"The text field in the ContentBlock object at messages.{i}.content.{j} is blank."
            if "image" in block:
                base64.b64decode(block["image"]["source"]["bytes"], validate=True)
                if block["image"]["format"] not in ("png", "jpeg", "gif", "webp"):
                    return f"messages.{i}.content.{j}.image.format is invalid"
            uses_tools |= "toolUse" in block or "toolResult" in block
    if uses_tools and not body.get("toolConfig"):
        return "The toolConfig field must be defined when using toolUse and toolResult content blocks."
    if body["messages"][-1]["role"] != "user":
        return "A conversation must end with a user message."
    return None


def answer(body: dict) -> tuple[list[dict], str]:
    """Content blocks and stop reason for a valid request."""
    last = body["messages"][-1]["content"]
    results = [c.get("text", "") for b in last if "toolResult" in b for c in b["toolResult"]["content"]]
    text = " ".join(b["text"] for b in last if "text" in b)
    if results:
        return [{"text": "Tool said: " + " ".join(results)}], "end_turn"
    tools = (body.get("toolConfig") or {}).get("tools") or []
    choice = (body.get("toolConfig") or {}).get("toolChoice") or {}
    if tools:
        name = choice.get("tool", {}).get("name") or tools[0]["toolSpec"]["name"]
        return [{"toolUse": {"toolUseId": "tooluse_fake0001", "name": name, "input": {"echo": text}}}], "tool_use"
    images = [b["image"]["format"] for b in last if "image" in b]
    reply = "You said: " + text + (f" [images: {', '.join(images)}]" if images else "")
    return [{"text": reply}], "end_turn"


def _usage(body: dict, blocks: list[dict]) -> dict:
    inp = sum(_words(t) for t in _texts(body["messages"], body.get("system") or []))
    out = sum(_words(b.get("text", "")) + (len(b["toolUse"]["input"]) if "toolUse" in b else 0) for b in blocks)
    return {"inputTokens": inp, "outputTokens": out, "totalTokens": inp + out}


def stream_events(body: dict, blocks: list[dict], stop: str) -> list[tuple[str, dict]]:
    events: list[tuple[str, dict]] = [("messageStart", {"role": "assistant"})]
    for index, block in enumerate(blocks):
        if "text" in block:
            text = block["text"]
            for k in range(0, len(text), STREAM_TEXT_CHUNK):
                events.append(("contentBlockDelta", {"delta": {"text": text[k:k + STREAM_TEXT_CHUNK]},
                                                     "contentBlockIndex": index}))
        else:
            use = block["toolUse"]
            events.append(("contentBlockStart", {"start": {"toolUse": {"toolUseId": use["toolUseId"],
                                                                       "name": use["name"]}},
                                                 "contentBlockIndex": index}))
            raw = orjson.dumps(use["input"]).decode()
            half = len(raw) // 2
            for piece in (raw[:half], raw[half:]):
                events.append(("contentBlockDelta", {"delta": {"toolUse": {"input": piece}},
                                                     "contentBlockIndex": index}))
        events.append(("contentBlockStop", {"contentBlockIndex": index}))
    events.append(("messageStop", {"stopReason": stop}))
    events.append(("metadata", {"usage": _usage(body, blocks), "metrics": {"latencyMs": 12}}))
    return events


class FakeBedrock(AwsFakeServer):
    service = "bedrock"

    def __init__(self, *args: Any, models: tuple[str, ...] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.models = models  # None: any model id is served

    def routes(self) -> list[web.RouteDef]:
        return [web.post(r"/model/{model_id:.+}/converse", self.converse),
                web.post(r"/model/{model_id:.+}/converse-stream", self.converse_stream)]

    async def _prepare(self, request: web.Request, streaming: bool):
        model = unquote(request.match_info["model_id"])
        body, early = await self.admit(request, model=model, streaming=streaming)
        if early is not None:
            return None, early
        failure = self.next_failure(streaming)
        if failure is not None and not failure.mid_stream:
            return None, failure_response(failure)
        if self.models is not None and model not in self.models:
            return None, error_response(400, "ValidationException", "The provided model identifier is invalid.")
        try:
            problem = validate(body)
        except (KeyError, TypeError, ValueError):
            problem = "Malformed input request, please reformat your input and try again."
        if problem is not None:
            return None, error_response(400, "ValidationException", problem)
        return (body, failure), None

    async def converse(self, request: web.Request) -> web.StreamResponse:
        ready, early = await self._prepare(request, streaming=False)
        if early is not None:
            return early
        body, _ = ready
        blocks, stop = answer(body)
        return web.json_response({"output": {"message": {"role": "assistant", "content": blocks}},
                                  "stopReason": stop, "usage": _usage(body, blocks), "metrics": {"latencyMs": 12}},
                                 dumps=lambda o: orjson.dumps(o).decode(),
                                 headers={"x-amzn-requestid": "fake-request-id"})

    async def converse_stream(self, request: web.Request) -> web.StreamResponse:
        ready, early = await self._prepare(request, streaming=True)
        if early is not None:
            return early
        body, failure = ready
        blocks, stop = answer(body)
        resp = web.StreamResponse(headers={"content-type": aws_eventstream.CONTENT_TYPE,
                                           "x-amzn-requestid": "fake-request-id"})
        await resp.prepare(request)
        for n, (name, payload) in enumerate(stream_events(body, blocks, stop)):
            if failure is not None and n == failure.after:
                await resp.write(aws_eventstream.exception(failure.error_type, failure.message))
                break
            frame = aws_eventstream.event(name, payload)
            # Frames do not arrive aligned with reads: split each one across two writes.
            await resp.write(frame[:7])
            await asyncio.sleep(0)
            await resp.write(frame[7:])
        await resp.write_eof()
        return resp
