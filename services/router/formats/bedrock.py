"""Amazon Bedrock Converse <-> the internal OpenAI chat-completions format, both directions.

Inbound (a Bedrock client calls the router): `ConverseRequest` validates the body and `converse_to_openai` turns it
into an OpenAI request; `openai_to_converse_response` and `ConverseEventWriter` turn the pipeline's answer back into a
Converse response / ConverseStream events.
Outbound (the router calls Bedrock): `openai_to_converse` builds the Converse body; `converse_response_to_openai` and
`ConverseChunkReader` turn Bedrock's answer into OpenAI `chat.completion` / `chat.completion.chunk` dicts.

Images travel as base64 bytes in Converse JSON and as `data:` URLs in OpenAI's format. Tool inputs are JSON
documents in Converse and JSON strings (`arguments`) in OpenAI's."""
from __future__ import annotations

import uuid
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.router.formats.openai_shapes import OpenAIShapes, refuse_unsupported
from services.router.formats.openai_shapes import usage as openai_usage
from services.router.formats.openai_schemas import check_base64_image
from services.runtime.errors import ValidationError

IMAGE_FORMATS = ("png", "jpeg", "gif", "webp")
TOOL_NAME = r"^[a-zA-Z0-9_-]{1,64}$"

STOP_TO_FINISH = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length",
                  "model_context_window_exceeded": "length", "tool_use": "tool_calls",
                  "guardrail_intervened": "content_filter", "content_filtered": "content_filter"}
FINISH_TO_STOP = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use", "function_call": "tool_use",
                  "content_filter": "content_filtered"}


def finish_reason(stop_reason: str | None) -> str:
    return STOP_TO_FINISH.get(stop_reason or "", "stop")


def stop_reason(finish: str | None) -> str:
    return FINISH_TO_STOP.get(finish or "", "end_turn")


# --------------------------------------------------------------------------------------------------------------------
# Inbound request: the Converse body as boto3 sends it
# --------------------------------------------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _only(kinds: tuple[str, ...], what: str):
    """Converse content unions carry exactly one member; name the unsupported ones instead of a generic error."""
    def check(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unsupported = [k for k in data if k not in kinds]
            if unsupported:
                raise ValueError(f"{what} type '{unsupported[0]}' is not supported by this gateway "
                                 f"(supported: {', '.join(k for k in kinds if k != 'cachePoint')})")
            if len(data) != 1:
                raise ValueError(f"a {what} must have exactly one member")
        return data
    return model_validator(mode="before")(classmethod(check))


class ImageSource(_Strict):
    bytes: str = Field(description="base64 image bytes")

    _bytes = field_validator("bytes")(lambda v: check_base64_image(v))


class ImageBlock(_Strict):
    format: Literal["png", "jpeg", "gif", "webp"]
    source: ImageSource

    @model_validator(mode="before")
    @classmethod
    def _no_s3(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("source"), dict) and "s3Location" in data["source"]:
            raise ValueError("images must be sent as bytes; s3Location is not supported by this gateway")
        return data


class ToolUseBlock(_Strict):
    toolUseId: str = Field(min_length=1, max_length=64)
    name: str = Field(pattern=TOOL_NAME)
    input: Any


class ToolResultContent(_Strict):
    json_: Any = Field(None, alias="json")
    text: str | None = None
    _one = _only(("json", "text"), "tool result content block")


class ToolResultBlock(_Strict):
    toolUseId: str = Field(min_length=1, max_length=64)
    content: list[ToolResultContent]
    status: Literal["success", "error"] | None = None


class ContentBlock(_Strict):
    text: str | None = None
    image: ImageBlock | None = None
    toolUse: ToolUseBlock | None = None
    toolResult: ToolResultBlock | None = None
    cachePoint: dict | None = None
    _one = _only(("text", "image", "toolUse", "toolResult", "cachePoint"), "content block")


class ConverseMessage(_Strict):
    role: Literal["user", "assistant"]
    content: list[ContentBlock] = Field(min_length=1)

    @model_validator(mode="after")
    def _role_rules(self) -> "ConverseMessage":
        if self.role == "assistant" and any(b.image or b.toolResult for b in self.content):
            raise ValueError("assistant messages cannot carry images or tool results")
        if self.role == "user" and any(b.toolUse for b in self.content):
            raise ValueError("only assistant messages carry toolUse blocks")
        return self


class SystemBlock(_Strict):
    text: str | None = Field(None, min_length=1)
    cachePoint: dict | None = None
    _one = _only(("text", "cachePoint"), "system content block")


class InferenceConfig(_Strict):
    maxTokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0, le=1)
    topP: float | None = Field(None, ge=0, le=1)
    stopSequences: list[str] | None = Field(None, max_length=4)


class InputSchema(_Strict):
    json_: dict[str, Any] = Field(alias="json")


class ToolSpec(_Strict):
    name: str = Field(pattern=TOOL_NAME)
    description: str | None = Field(None, min_length=1)
    inputSchema: InputSchema
    strict: bool | None = None


class ConverseTool(_Strict):
    toolSpec: ToolSpec | None = None
    cachePoint: dict | None = None
    _one = _only(("toolSpec", "cachePoint"), "tool")


class SpecificTool(_Strict):
    name: str = Field(pattern=TOOL_NAME)


class ToolChoice(_Strict):
    auto: dict | None = None
    any: dict | None = None
    tool: SpecificTool | None = None
    _one = _only(("auto", "any", "tool"), "toolChoice")


class ToolConfig(_Strict):
    tools: list[ConverseTool] = Field(min_length=1)
    toolChoice: ToolChoice | None = None


class ConverseRequest(BaseModel):
    """The Converse / ConverseStream body. Fields that only tune Bedrock itself (additionalModelRequestFields,
    requestMetadata, performanceConfig, serviceTier...) are ignored: nothing unfiltered is forwarded."""
    model_config = ConfigDict(extra="ignore")
    messages: list[ConverseMessage] = Field(min_length=1, max_length=2048)
    system: list[SystemBlock] | None = None
    inferenceConfig: InferenceConfig | None = None
    toolConfig: ToolConfig | None = None
    guardrailConfig: Any = None

    @field_validator("guardrailConfig")
    @classmethod
    def _no_guardrails(cls, v: Any) -> Any:
        if v is not None:
            raise ValueError("Bedrock guardrails are not supported by this gateway (it applies its own PHI "
                             "protection); remove guardrailConfig")
        return v


def _data_url(image: ImageBlock) -> str:
    return f"data:image/{image.format};base64,{image.source.bytes}"


def _tool_result_text(result: ToolResultBlock) -> str:
    parts = [c.text if c.text is not None else orjson.dumps(c.json_).decode() for c in result.content]
    return "\n".join(parts)


def _user_messages(msg: ConverseMessage) -> list[dict]:
    """Tool results become OpenAI `tool` messages (which must directly follow the assistant's tool calls), the rest
    one user message."""
    out = [{"role": "tool", "tool_call_id": b.toolResult.toolUseId, "content": _tool_result_text(b.toolResult)}
           for b in msg.content if b.toolResult]
    parts: list[dict] = []
    for b in msg.content:
        if b.text is not None:
            parts.append({"type": "text", "text": b.text})
        elif b.image is not None:
            parts.append({"type": "image_url", "image_url": {"url": _data_url(b.image)}})
    if parts:
        only_text = all(p["type"] == "text" for p in parts)
        out.append({"role": "user", "content": "".join(p["text"] for p in parts) if only_text and len(parts) == 1
                    else parts})
    return out


def _assistant_message(msg: ConverseMessage) -> dict:
    text = "".join(b.text for b in msg.content if b.text is not None)
    calls = [{"id": b.toolUse.toolUseId, "type": "function",
              "function": {"name": b.toolUse.name, "arguments": orjson.dumps(b.toolUse.input).decode()}}
             for b in msg.content if b.toolUse]
    out: dict[str, Any] = {"role": "assistant", "content": text if text or not calls else None}
    if calls:
        out["tool_calls"] = calls
    return out


def converse_to_openai(req: ConverseRequest, model: str, stream: bool) -> dict:
    """The OpenAI chat-completions body equivalent to a Converse request for `model`."""
    messages: list[dict] = [{"role": "system", "content": b.text} for b in req.system or () if b.text is not None]
    for msg in req.messages:
        if msg.role == "user":
            messages.extend(_user_messages(msg))
        else:
            messages.append(_assistant_message(msg))
    body: dict[str, Any] = {"model": model, "messages": messages, "stream": stream}
    cfg = req.inferenceConfig
    if cfg is not None:
        for src, dst in (("maxTokens", "max_tokens"), ("temperature", "temperature"), ("topP", "top_p"),
                         ("stopSequences", "stop")):
            value = getattr(cfg, src)
            if value is not None:
                body[dst] = value
    if req.toolConfig is not None:
        tools = [t.toolSpec for t in req.toolConfig.tools if t.toolSpec is not None]
        body["tools"] = [{"type": "function", "function": {
            "name": t.name, "parameters": t.inputSchema.json_,
            **({"description": t.description} if t.description else {})}} for t in tools]
        choice = req.toolConfig.toolChoice
        if choice is not None:
            body["tool_choice"] = ("auto" if choice.auto is not None else "required" if choice.any is not None
                                   else {"type": "function", "function": {"name": choice.tool.name}})
    return body


# --------------------------------------------------------------------------------------------------------------------
# Inbound response: the pipeline's OpenAI answer as Converse
# --------------------------------------------------------------------------------------------------------------------
def _tool_input(arguments: str | None) -> Any:
    """Converse tool input is a JSON document; a model that produced invalid JSON arguments is passed on verbatim."""
    try:
        return orjson.loads(arguments or "{}")
    except orjson.JSONDecodeError:
        return arguments


def _usage(usage: dict | None) -> dict:
    usage = usage or {}
    prompt, completion = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
    return {"inputTokens": prompt, "outputTokens": completion,
            "totalTokens": int(usage.get("total_tokens") or prompt + completion)}


def openai_to_converse_response(answer: dict, latency_ms: int) -> dict:
    choice = (answer.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    content: list[dict] = []
    if message.get("content"):
        content.append({"text": message["content"]})
    for call in message.get("tool_calls") or ():
        fn = call.get("function") or {}
        content.append({"toolUse": {"toolUseId": call.get("id") or f"tooluse_{uuid.uuid4().hex[:22]}",
                                    "name": fn.get("name", ""), "input": _tool_input(fn.get("arguments"))}})
    if not content:
        content.append({"text": ""})
    return {"output": {"message": {"role": "assistant", "content": content}},
            "stopReason": stop_reason(choice.get("finish_reason")), "usage": _usage(answer.get("usage")),
            "metrics": {"latencyMs": latency_ms}}


class ConverseEventWriter:
    """OpenAI chunks (choice 0) -> ConverseStream events as (event type, payload) pairs, in Bedrock's order:
    messageStart, per content block [contentBlockStart (tool use only)] contentBlockDelta... contentBlockStop,
    messageStop, metadata."""

    def __init__(self) -> None:
        self.started = False
        self.block = -1
        self.open: str | int | None = None  # "text" or the OpenAI tool-call index of the open block
        self.tool_blocks: dict[int, int] = {}
        self.finish: str | None = None
        self.usage: dict | None = None

    def _close(self) -> list[tuple[str, dict]]:
        if self.open is None:
            return []
        self.open = None
        return [("contentBlockStop", {"contentBlockIndex": self.block})]

    def feed(self, chunk: dict) -> list[tuple[str, dict]]:
        events: list[tuple[str, dict]] = []
        if not self.started:
            self.started = True
            events.append(("messageStart", {"role": "assistant"}))
        if chunk.get("usage"):
            self.usage = chunk["usage"]
        for choice in chunk.get("choices") or ():
            if int(choice.get("index") or 0) != 0:
                continue
            delta = choice.get("delta") or {}
            if delta.get("content"):
                if self.open != "text":
                    events += self._close()
                    self.block += 1
                    self.open = "text"
                events.append(("contentBlockDelta", {"delta": {"text": delta["content"]},
                                                     "contentBlockIndex": self.block}))
            for call in delta.get("tool_calls") or ():
                key = int(call.get("index") or 0)
                fn = call.get("function") or {}
                if key not in self.tool_blocks:
                    events += self._close()
                    self.block += 1
                    self.open, self.tool_blocks[key] = key, self.block
                    events.append(("contentBlockStart", {"start": {"toolUse": {
                        "toolUseId": call.get("id") or f"tooluse_{uuid.uuid4().hex[:22]}",
                        "name": fn.get("name", "")}}, "contentBlockIndex": self.block}))
                if fn.get("arguments"):
                    events.append(("contentBlockDelta", {"delta": {"toolUse": {"input": fn["arguments"]}},
                                                         "contentBlockIndex": self.tool_blocks[key]}))
            if choice.get("finish_reason"):
                self.finish = choice["finish_reason"]
        return events

    def finish_events(self, latency_ms: int) -> list[tuple[str, dict]]:
        events = [] if self.started else [("messageStart", {"role": "assistant"})]
        events += self._close()
        events.append(("messageStop", {"stopReason": stop_reason(self.finish)}))
        events.append(("metadata", {"usage": _usage(self.usage), "metrics": {"latencyMs": latency_ms}}))
        return events


# --------------------------------------------------------------------------------------------------------------------
# Outbound request: the internal OpenAI body as a Converse body
# --------------------------------------------------------------------------------------------------------------------
def _text(content: Any) -> str:
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if p.get("type") == "text")
    return content or ""


def _image_block(url: str, where: str) -> dict:
    if not url.startswith("data:"):
        raise ValidationError(f"Bedrock accepts images inline only: send {where} as a base64 data URL",
                              details={where: ["http(s) image URLs are not supported by Bedrock models"]})
    media, _, data = url[5:].partition(";base64,")
    fmt = media.lower().removeprefix("image/")
    if fmt not in IMAGE_FORMATS or not data:
        raise ValidationError(f"{where} must be a base64 PNG, JPEG, GIF or WebP data URL",
                              details={where: ["unsupported image data URL"]})
    return {"image": {"format": fmt, "source": {"bytes": data}}}


def _user_blocks(content: Any, index: int) -> list[dict]:
    if not isinstance(content, list):
        return [{"text": content}] if content else []
    blocks = []
    for j, part in enumerate(content):
        if part.get("type") == "text":
            if part.get("text"):
                blocks.append({"text": part["text"]})
        elif part.get("type") == "image_url":
            blocks.append(_image_block(part["image_url"]["url"], f"messages.{index}.content.{j}.image_url.url"))
    return blocks


def _legacy_call_id(name: str) -> str:
    # Legacy function calls carry no id; Converse pairs a result with its call by id.
    return f"call_{name}"


def _assistant_blocks(msg: dict) -> list[dict]:
    blocks: list[dict] = []
    text = _text(msg.get("content"))
    if text:
        blocks.append({"text": text})
    for call in msg.get("tool_calls") or ():
        fn = call["function"]
        blocks.append({"toolUse": {"toolUseId": call["id"], "name": fn["name"],
                                   "input": _tool_input(fn.get("arguments"))}})
    if msg.get("function_call"):
        fn = msg["function_call"]
        blocks.append({"toolUse": {"toolUseId": _legacy_call_id(fn["name"]), "name": fn["name"],
                                   "input": _tool_input(fn.get("arguments"))}})
    return blocks


def _append(messages: list[dict], role: str, blocks: list[dict]) -> None:
    # Converse wants user and assistant turns to alternate: consecutive turns of one role are merged.
    if messages and messages[-1]["role"] == role:
        messages[-1]["content"].extend(blocks)
    else:
        messages.append({"role": role, "content": blocks})


def _tool_spec(fn: dict) -> dict:
    spec: dict[str, Any] = {"name": fn["name"],
                            "inputSchema": {"json": fn.get("parameters") or {"type": "object", "properties": {}}}}
    if fn.get("description"):
        spec["description"] = fn["description"]
    return {"toolSpec": spec}


def _tool_config(body: dict) -> dict | None:
    functions = [t["function"] for t in body.get("tools") or ()] + list(body.get("functions") or ())
    if not functions:
        return None
    config: dict[str, Any] = {"tools": [_tool_spec(fn) for fn in functions]}
    choice = body.get("tool_choice", body.get("function_call"))
    if choice == "required":
        config["toolChoice"] = {"any": {}}
    elif choice == "auto":
        config["toolChoice"] = {"auto": {}}
    elif isinstance(choice, dict):
        name = (choice.get("function") or choice).get("name")
        config["toolChoice"] = {"tool": {"name": name}}
    # "none" has no Converse equivalent; the tools stay declared (Bedrock needs them when the history has tool use).
    return config


def openai_to_converse(body: dict) -> dict:
    """The Converse body for an internal OpenAI request (`model` goes in the URL, not the body)."""
    refuse_unsupported(body, "Bedrock models")
    system: list[dict] = []
    messages: list[dict] = []
    for i, msg in enumerate(body["messages"]):
        role = msg["role"]
        if role in ("system", "developer"):
            if _text(msg.get("content")):
                system.append({"text": _text(msg["content"])})
        elif role in ("tool", "function"):
            call_id = msg.get("tool_call_id") or _legacy_call_id(msg.get("name", ""))
            _append(messages, "user", [{"toolResult": {"toolUseId": call_id,
                                                       "content": [{"text": _text(msg.get("content"))}]}}])
        else:
            blocks = _user_blocks(msg.get("content"), i) if role == "user" else _assistant_blocks(msg)
            if not blocks:
                raise ValidationError(f"messages[{i}] has no content Bedrock can accept (empty text)",
                                      details={f"messages.{i}.content": ["must not be empty for Bedrock models"]})
            _append(messages, "user" if role == "user" else "assistant", blocks)
    out: dict[str, Any] = {"messages": messages}
    if system:
        out["system"] = system
    inference: dict[str, Any] = {}
    max_tokens = body.get("max_completion_tokens") or body.get("max_tokens")
    if max_tokens is not None:
        inference["maxTokens"] = max_tokens
    for src, dst in (("temperature", "temperature"), ("top_p", "topP")):
        if body.get(src) is not None:
            inference[dst] = body[src]
    if body.get("stop"):
        inference["stopSequences"] = [body["stop"]] if isinstance(body["stop"], str) else list(body["stop"])
    if inference:
        out["inferenceConfig"] = inference
    tool_config = _tool_config(body)
    if tool_config:
        out["toolConfig"] = tool_config
    return out


# --------------------------------------------------------------------------------------------------------------------
# Outbound response: Bedrock's answer as OpenAI
# --------------------------------------------------------------------------------------------------------------------
def _openai_usage(usage: dict | None) -> dict:
    usage = usage or {}
    return openai_usage(int(usage.get("inputTokens") or 0), int(usage.get("outputTokens") or 0))


def converse_response_to_openai(resp: dict, model: str) -> dict:
    content = ((resp.get("output") or {}).get("message") or {}).get("content") or []
    text = "".join(b["text"] for b in content if "text" in b)
    uses = [b["toolUse"] for b in content if "toolUse" in b]
    calls = [{"id": u["toolUseId"], "type": "function",
              "function": {"name": u["name"], "arguments": orjson.dumps(u.get("input", {})).decode()}} for u in uses]
    message: dict[str, Any] = {"role": "assistant", "content": text if text or not calls else None}
    if calls:
        message["tool_calls"] = calls
    return OpenAIShapes(model).completion(message, finish_reason(resp.get("stopReason")),
                                          _openai_usage(resp.get("usage")))


class ConverseChunkReader(OpenAIShapes):
    """ConverseStream events -> OpenAI chunks. Tool-use blocks become tool calls numbered in order of appearance."""

    def __init__(self, model: str) -> None:
        super().__init__(model)
        self.tool_index: dict[int, int] = {}
        self.stopped = False

    def feed(self, event_type: str, payload: dict) -> dict | None:
        if event_type == "messageStart":
            return self.chunk({"role": "assistant", "content": ""})
        if event_type == "contentBlockStart":
            tool = (payload.get("start") or {}).get("toolUse")
            if tool is None:
                return None
            index = self.tool_index[payload.get("contentBlockIndex", 0)] = len(self.tool_index)
            return self.chunk({"tool_calls": [{"index": index, "id": tool.get("toolUseId"), "type": "function",
                                               "function": {"name": tool.get("name"), "arguments": ""}}]})
        if event_type == "contentBlockDelta":
            delta = payload.get("delta") or {}
            if "text" in delta:
                return self.chunk({"content": delta["text"]})
            tool = delta.get("toolUse")
            index = self.tool_index.get(payload.get("contentBlockIndex", 0))
            if tool is not None and index is not None:
                return self.chunk({"tool_calls": [{"index": index, "function": {"arguments": tool.get("input", "")}}]})
            return None  # reasoning and citation deltas have no OpenAI equivalent
        if event_type == "messageStop":
            self.stopped = True
            return self.chunk({}, finish=finish_reason(payload.get("stopReason")))
        if event_type == "metadata":
            return self.chunk(None, usage=_openai_usage(payload.get("usage")))
        return None
