"""Anthropic Messages API <-> the internal OpenAI chat-completions format, both directions, written once:

- inbound (`POST /v1/messages`): `request_to_openai`, `response_from_openai`, `StreamToAnthropic`;
- outbound (the Anthropic provider adapter): `request_from_openai`, `response_to_openai`, `StreamToOpenAI`.

Request/response dicts are plain JSON shapes (the inbound request is validated by its pydantic models first)."""
from __future__ import annotations

import time
import uuid
from typing import Any

import orjson

from services.runtime.errors import ProviderError, RadiantError, ValidationError

ANTHROPIC_VERSION = "2023-06-01"
# Anthropic requires max_tokens; used when an OpenAI-format caller sent none.
DEFAULT_MAX_TOKENS = 4096
IMAGE_MEDIA_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")

STOP_TO_FINISH = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls",
                  "pause_turn": "stop", "refusal": "content_filter"}
FINISH_TO_STOP = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use", "function_call": "tool_use",
                  "content_filter": "refusal"}

# Anthropic's documented error types by HTTP status (https://docs.anthropic.com/en/api/errors).
_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 402: "billing_error",
                403: "permission_error", 404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error",
                503: "overloaded_error", 529: "overloaded_error"}
# ... and back, for error events inside an upstream stream.
ERROR_TYPE_STATUS = {"invalid_request_error": 400, "authentication_error": 401, "billing_error": 402,
                     "permission_error": 403, "not_found_error": 404, "request_too_large": 413,
                     "rate_limit_error": 429, "api_error": 500, "timeout_error": 504, "overloaded_error": 529}


def error_type(status: int) -> str:
    return _ERROR_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")


def error_body(err: RadiantError) -> dict[str, Any]:
    return {"type": "error", "error": {"type": error_type(err.http_status), "message": err.message}}


def sse_event(event: dict[str, Any]) -> bytes:
    return b"event: " + event["type"].encode() + b"\ndata: " + orjson.dumps(event) + b"\n\n"


# --- content pieces ----------------------------------------------------------------------------------------------

def image_to_openai(source: dict[str, Any]) -> dict[str, Any]:
    if source["type"] == "base64":
        url = f"data:{source['media_type']};base64,{source['data']}"
    else:
        url = source["url"]
    return {"type": "image_url", "image_url": {"url": url}}


def image_from_openai(image_url: dict[str, Any], where: str) -> dict[str, Any]:
    url = image_url["url"]
    if not url.startswith("data:"):
        return {"type": "image", "source": {"type": "url", "url": url}}
    header, sep, data = url[5:].partition(",")
    media_type, _, encoding = header.partition(";")
    if not sep or encoding != "base64" or media_type not in IMAGE_MEDIA_TYPES:
        raise ValidationError(f"{where}: Anthropic models take base64 data URLs of {', '.join(IMAGE_MEDIA_TYPES)}",
                              details={where: ["unsupported image data URL"]})
    return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}


def _text_parts(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "text", "text": b["text"]} for b in blocks]


def _parse_arguments(arguments: str, where: str) -> dict[str, Any]:
    try:
        value = orjson.loads(arguments or "{}")
    except orjson.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise ValidationError(f"{where}: tool call arguments must be a JSON object",
                              details={where: ["not a JSON object"]})
    return value


def _tool_call(block: dict[str, Any]) -> dict[str, Any]:
    return {"id": block["id"], "type": "function",
            "function": {"name": block["name"], "arguments": orjson.dumps(block.get("input") or {}).decode()}}


# --- Anthropic request -> internal (inbound route) ---------------------------------------------------------------

def _user_to_openai(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """tool_result blocks become `tool` messages (first: OpenAI wants them right after the assistant's tool_calls);
    text and images stay in one user message."""
    out: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    for block in blocks:
        kind = block["type"]
        if kind == "tool_result":
            content = block.get("content")
            out.append({"role": "tool", "tool_call_id": block["tool_use_id"],
                        "content": _text_parts(content) if isinstance(content, list) else (content or "")})
        elif kind == "text":
            parts.append({"type": "text", "text": block["text"]})
        elif kind == "image":
            parts.append(image_to_openai(block["source"]))
    if parts:
        out.append({"role": "user", "content": parts})
    return out


def _assistant_to_openai(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # thinking blocks are Anthropic's own reasoning record; other providers cannot take them (a turn of nothing
    # else is left out).
    texts = [{"type": "text", "text": b["text"]} for b in blocks if b["type"] == "text"]
    calls = [_tool_call(b) for b in blocks if b["type"] == "tool_use"]
    if not texts and not calls:
        return []
    message: dict[str, Any] = {"role": "assistant", "content": texts or None}
    if calls:
        message["tool_calls"] = calls
    return [message]


def _tool_choice_to_openai(choice: dict[str, Any]) -> str | dict[str, Any]:
    kind = choice["type"]
    if kind == "tool":
        return {"type": "function", "function": {"name": choice["name"]}}
    return {"auto": "auto", "any": "required", "none": "none"}[kind]


def request_to_openai(req: dict[str, Any]) -> dict[str, Any]:
    """A validated Anthropic Messages request (dict without None values) as an internal chat-completions body."""
    messages: list[dict[str, Any]] = []
    system = req.get("system")
    if system:
        messages.append({"role": "system", "content": system if isinstance(system, str) else _text_parts(system)})
    for message in req["messages"]:
        content = message["content"]
        if isinstance(content, str):
            messages.append({"role": message["role"], "content": content})
        elif message["role"] == "user":
            messages.extend(_user_to_openai(content))
        else:
            messages.extend(_assistant_to_openai(content))
    body: dict[str, Any] = {"model": req["model"], "messages": messages, "max_tokens": req["max_tokens"]}
    for field in ("temperature", "top_p", "top_k", "stream"):
        if req.get(field) is not None:
            body[field] = req[field]
    if req.get("stop_sequences"):
        body["stop"] = list(req["stop_sequences"])
    user_id = (req.get("metadata") or {}).get("user_id")
    if user_id:
        body["user"] = user_id
    if req.get("tools"):
        body["tools"] = [{"type": "function", "function": {
            "name": t["name"], **({"description": t["description"]} if t.get("description") else {}),
            "parameters": t["input_schema"]}} for t in req["tools"]]
    choice = req.get("tool_choice")
    if choice:
        body["tool_choice"] = _tool_choice_to_openai(choice)
        if choice.get("disable_parallel_tool_use"):
            body["parallel_tool_calls"] = False
    return body


# --- internal request -> Anthropic (outbound adapter) ------------------------------------------------------------

def _blocks_from_openai(content: Any, where: str) -> list[dict[str, Any]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    blocks: list[dict[str, Any]] = []
    for j, part in enumerate(content):
        if part.get("type") == "text":
            if part.get("text"):  # Anthropic refuses empty text blocks
                blocks.append({"type": "text", "text": part["text"]})
        elif part.get("type") == "image_url":
            blocks.append(image_from_openai(part["image_url"], f"{where}.content[{j}]"))
        else:
            raise ValidationError(f"{where}.content[{j}]: content of type '{part.get('type')}' cannot be sent to "
                                  "an Anthropic model", details={f"{where}.content": ["unsupported content type"]})
    return blocks


def _tool_choice_from_openai(choice: Any) -> dict[str, Any] | None:
    if isinstance(choice, dict):
        return {"type": "tool", "name": choice["function"]["name"]}
    return {"auto": {"type": "auto"}, "required": {"type": "any"}, "none": {"type": "none"}}.get(choice)


def _legacy_choice(function_call: Any) -> Any:
    if isinstance(function_call, dict):
        return {"type": "function", "function": {"name": function_call["name"]}}
    return function_call


def _append(messages: list[dict[str, Any]], role: str, blocks: list[dict[str, Any]]) -> None:
    """Consecutive turns of one role become one Anthropic message; tool results lead their user turn. A turn with
    nothing Anthropic accepts (e.g. an empty assistant text) is left out."""
    if not blocks:
        return
    if messages and messages[-1]["role"] == role:
        messages[-1]["content"].extend(blocks)
    else:
        messages.append({"role": role, "content": blocks})


def request_from_openai(body: dict[str, Any]) -> dict[str, Any]:
    """An internal chat-completions body as an Anthropic Messages request."""
    if (body.get("n") or 1) > 1:
        raise ValidationError("Anthropic models return one choice per request; send n=1", details={"n": ["must be 1"]})
    if (body.get("temperature") or 0) > 1:
        raise ValidationError("Anthropic models take a temperature from 0 to 1",
                              details={"temperature": ["must be at most 1 for this model"]})
    if body.get("logprobs"):
        raise ValidationError("Anthropic models do not return log probabilities; remove logprobs",
                              details={"logprobs": ["not supported by this model"]})
    fmt = (body.get("response_format") or {}).get("type", "text")
    if fmt != "text":
        raise ValidationError(f"response_format '{fmt}' is not available for Anthropic models",
                              details={"response_format": ["not supported by this model"]})
    system: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    legacy_ids: dict[str, str] = {}
    for i, message in enumerate(body["messages"]):
        role, where = message["role"], f"messages[{i}]"
        if role in ("system", "developer"):
            system.extend(_blocks_from_openai(message.get("content"), where))
        elif role == "user":
            _append(messages, "user", _blocks_from_openai(message.get("content"), where))
        elif role == "assistant":
            blocks = _blocks_from_openai(message.get("content"), where)
            calls = list(message.get("tool_calls") or ())
            if message.get("function_call"):  # legacy functions: Anthropic needs an id to pair call and result
                legacy_ids[message["function_call"]["name"]] = f"call_{i}"
                calls.append({"id": f"call_{i}", "function": message["function_call"]})
            for k, call in enumerate(calls):
                blocks.append({"type": "tool_use", "id": call["id"], "name": call["function"]["name"],
                               "input": _parse_arguments(call["function"]["arguments"], f"{where}.tool_calls[{k}]")})
            _append(messages, "assistant", blocks)
        elif role in ("tool", "function"):
            call_id = message.get("tool_call_id") if role == "tool" else legacy_ids.get(message.get("name") or "")
            if not call_id:
                raise ValidationError(f"{where}: a function result must follow the assistant's call of that function",
                                      details={f"{where}.name": ["no matching function_call"]})
            content = message.get("content")
            result: dict[str, Any] = {"type": "tool_result", "tool_use_id": call_id}
            if content:
                result["content"] = content if isinstance(content, str) else _blocks_from_openai(content, where)
            _append(messages, "user", [result])
        else:
            raise ValidationError(f"{where}: role '{role}' cannot be sent to an Anthropic model",
                                  details={f"{where}.role": ["unsupported role"]})
    out: dict[str, Any] = {"model": body["model"], "messages": messages,
                           "max_tokens": body.get("max_tokens") or body.get("max_completion_tokens")
                           or DEFAULT_MAX_TOKENS}
    if system:
        out["system"] = system[0]["text"] if len(system) == 1 else system
    for field in ("temperature", "top_p", "top_k"):
        if body.get(field) is not None:
            out[field] = body[field]
    stop = body.get("stop")
    if stop:
        out["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    if body.get("user"):
        out["metadata"] = {"user_id": body["user"]}
    functions = [t["function"] for t in body.get("tools") or ()] or list(body.get("functions") or ())
    if functions:
        out["tools"] = [{"name": f["name"], **({"description": f["description"]} if f.get("description") else {}),
                         "input_schema": f.get("parameters") or {"type": "object", "properties": {}}}
                        for f in functions]
    choice = _tool_choice_from_openai(body.get("tool_choice") or _legacy_choice(body.get("function_call")))
    if body.get("parallel_tool_calls") is False and functions:
        choice = {**(choice or {"type": "auto"}), "disable_parallel_tool_use": True}
    if choice:
        out["tool_choice"] = choice
    if body.get("stream"):
        out["stream"] = True
    return out


# --- responses ---------------------------------------------------------------------------------------------------

def response_to_openai(msg: dict[str, Any], legacy_functions: bool = False) -> dict[str, Any]:
    """An Anthropic Messages response as an internal chat.completion (`function_call` instead of `tool_calls` when
    the request used legacy functions)."""
    blocks = msg.get("content")
    if not isinstance(blocks, list):
        raise ProviderError("The Anthropic provider returned a message without content")
    text = "".join(b.get("text", "") for b in blocks if b.get("type") == "text")
    calls = [_tool_call(b) for b in blocks if b.get("type") == "tool_use"]
    message: dict[str, Any] = {"role": "assistant", "content": text or (None if calls else "")}
    finish_reason = STOP_TO_FINISH.get(msg.get("stop_reason") or "end_turn", "stop")
    if calls and legacy_functions:
        message["function_call"] = calls[0]["function"]
        finish_reason = "function_call" if finish_reason == "tool_calls" else finish_reason
    elif calls:
        message["tool_calls"] = calls
    usage = msg.get("usage") or {}
    prompt, completion = int(usage.get("input_tokens") or 0), int(usage.get("output_tokens") or 0)
    return {"id": msg.get("id") or f"msg_{uuid.uuid4().hex}", "object": "chat.completion",
            "created": int(time.time()), "model": msg.get("model", ""),
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}}


def message_id(openai_id: str | None) -> str:
    if openai_id and openai_id.startswith("msg_"):
        return openai_id
    return f"msg_{(openai_id or '').removeprefix('chatcmpl-') or uuid.uuid4().hex}"


def response_from_openai(resp: dict[str, Any]) -> dict[str, Any]:
    """An internal chat.completion as an Anthropic Messages response."""
    choice = resp["choices"][0]
    message = choice.get("message") or {}
    content = message.get("content")
    blocks: list[dict[str, Any]] = []
    if isinstance(content, str) and content:
        blocks.append({"type": "text", "text": content})
    elif isinstance(content, list):
        blocks.extend({"type": "text", "text": p["text"]} for p in content if p.get("type") == "text")
    for k, call in enumerate(message.get("tool_calls") or ()):
        try:
            arguments = _parse_arguments(call["function"]["arguments"], f"choices[0].message.tool_calls[{k}]")
        except ValidationError:
            raise ProviderError("The model returned tool call arguments that are not a JSON object") from None
        blocks.append({"type": "tool_use", "id": call["id"], "name": call["function"]["name"], "input": arguments})
    usage = resp.get("usage") or {}
    return {"id": message_id(resp.get("id")), "type": "message", "role": "assistant", "model": resp["model"],
            "content": blocks, "stop_reason": FINISH_TO_STOP.get(choice.get("finish_reason") or "stop", "end_turn"),
            "stop_sequence": None,
            "usage": {"input_tokens": int(usage.get("prompt_tokens") or 0),
                      "output_tokens": int(usage.get("completion_tokens") or 0)}}


# --- streaming ---------------------------------------------------------------------------------------------------

class StreamToOpenAI:
    """Anthropic stream events (parsed `data:` objects) -> internal chat.completion.chunk dicts."""

    def __init__(self, legacy_functions: bool = False) -> None:
        self.legacy_functions = legacy_functions
        self.id = f"msg_{uuid.uuid4().hex}"
        self.model = ""
        self.created = int(time.time())
        self.input_tokens = 0
        self.output_tokens = 0
        self.finish_reason: str | None = None
        self._tool_index: dict[int, int] = {}  # Anthropic block index -> OpenAI tool_calls index

    def _chunk(self, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return {"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}

    def feed(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        kind = event.get("type")
        if kind == "message_start":
            message = event.get("message") or {}
            self.id, self.model = message.get("id") or self.id, message.get("model") or self.model
            usage = message.get("usage") or {}
            self.input_tokens = int(usage.get("input_tokens") or 0)
            self.output_tokens = int(usage.get("output_tokens") or 0)
            return [self._chunk({"role": "assistant", "content": ""})]
        if kind == "content_block_start":
            block = event.get("content_block") or {}
            if block.get("type") == "tool_use":
                index = self._tool_index.setdefault(int(event.get("index") or 0), len(self._tool_index))
                function = {"name": block.get("name"), "arguments": ""}
                if self.legacy_functions:
                    return [self._chunk({"function_call": function})] if index == 0 else []
                return [self._chunk({"tool_calls": [{"index": index, "id": block.get("id"), "type": "function",
                                                     "function": function}]})]
            if block.get("type") == "text" and block.get("text"):
                return [self._chunk({"content": block["text"]})]
            return []
        if kind == "content_block_delta":
            delta = event.get("delta") or {}
            if delta.get("type") == "text_delta":
                return [self._chunk({"content": delta.get("text", "")})]
            if delta.get("type") == "input_json_delta":
                index = self._tool_index.get(int(event.get("index") or 0))
                if index is None:
                    raise ProviderError("The Anthropic provider streamed tool input for a block it never started")
                arguments = {"arguments": delta.get("partial_json", "")}
                if self.legacy_functions:
                    return [self._chunk({"function_call": arguments})] if index == 0 else []
                return [self._chunk({"tool_calls": [{"index": index, "function": arguments}]})]
            return []  # thinking / signature deltas
        if kind == "message_delta":
            usage = event.get("usage") or {}
            # Counts on message_delta are cumulative.
            self.output_tokens = int(usage.get("output_tokens") or self.output_tokens)
            self.input_tokens = int(usage.get("input_tokens") or self.input_tokens)
            reason = (event.get("delta") or {}).get("stop_reason")
            self.finish_reason = STOP_TO_FINISH.get(reason or "end_turn", "stop")
            if self.legacy_functions and self.finish_reason == "tool_calls":
                self.finish_reason = "function_call"
            return [self._chunk({}, self.finish_reason)]
        if kind == "message_stop":
            return [{"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.model,
                     "choices": [], "usage": {"prompt_tokens": self.input_tokens,
                                              "completion_tokens": self.output_tokens,
                                              "total_tokens": self.input_tokens + self.output_tokens}}]
        return []  # ping, content_block_stop, and event types added later


class StreamToAnthropic:
    """Internal chat.completion.chunk dicts -> Anthropic stream events, in the documented order: message_start,
    content_block_start, ping, content_block_delta..., content_block_stop, ..., message_delta, message_stop."""

    def __init__(self, model: str) -> None:
        self.model = model  # unless the chunks name the model that answered (e.g. a fallback)
        self.started = False
        self.block = -1             # index of the open content block, -1 when none is open
        self.block_kind = ""        # "text" or "tool_use"
        self.pinged = False
        self.tool_blocks: dict[int, int] = {}  # OpenAI tool_calls index -> Anthropic block index
        self.stop_reason = "end_turn"
        self.usage = {"input_tokens": 0, "output_tokens": 0}

    def _start(self, chunk: dict[str, Any]) -> list[dict[str, Any]]:
        self.started = True
        return [{"type": "message_start", "message": {
            "id": message_id(chunk.get("id")), "type": "message", "role": "assistant",
            "model": chunk.get("model") or self.model,
            "content": [], "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": 0, "output_tokens": 0}}}]

    def _close(self) -> list[dict[str, Any]]:
        if self.block_kind == "":
            return []
        self.block_kind = ""
        return [{"type": "content_block_stop", "index": self.block}]

    def _open(self, content_block: dict[str, Any]) -> list[dict[str, Any]]:
        events = self._close()
        self.block += 1
        self.block_kind = content_block["type"]
        events.append({"type": "content_block_start", "index": self.block, "content_block": content_block})
        if not self.pinged:
            self.pinged = True
            events.append({"type": "ping"})
        return events

    def feed(self, chunk: dict[str, Any]) -> list[dict[str, Any]]:
        events = [] if self.started else self._start(chunk)
        usage = chunk.get("usage")
        if usage:
            self.usage = {"input_tokens": int(usage.get("prompt_tokens") or 0),
                          "output_tokens": int(usage.get("completion_tokens") or 0)}
        for choice in chunk.get("choices") or ():
            if int(choice.get("index") or 0) != 0:
                continue  # Anthropic has one choice
            delta = choice.get("delta") or {}
            text = delta.get("content")
            if isinstance(text, str) and text:
                if self.block_kind != "text":
                    events += self._open({"type": "text", "text": ""})
                events.append({"type": "content_block_delta", "index": self.block,
                               "delta": {"type": "text_delta", "text": text}})
            for call in delta.get("tool_calls") or ():
                index = int(call.get("index") or 0)
                function = call.get("function") or {}
                if index not in self.tool_blocks:
                    events += self._open({"type": "tool_use", "id": call.get("id") or f"toolu_{uuid.uuid4().hex}",
                                          "name": function.get("name") or "", "input": {}})
                    self.tool_blocks[index] = self.block
                if function.get("arguments"):
                    events.append({"type": "content_block_delta", "index": self.tool_blocks[index],
                                   "delta": {"type": "input_json_delta", "partial_json": function["arguments"]}})
            if choice.get("finish_reason"):
                self.stop_reason = FINISH_TO_STOP.get(choice["finish_reason"], "end_turn")
        return events

    def finish(self) -> list[dict[str, Any]]:
        events = [] if self.started else self._start({})
        events += self._close()
        events.append({"type": "message_delta", "delta": {"stop_reason": self.stop_reason, "stop_sequence": None},
                       "usage": dict(self.usage)})
        events.append({"type": "message_stop"})
        return events
