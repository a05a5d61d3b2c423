"""How the demo provider decides to call a tool, so SDK tool round trips can be exercised end to end.

- The last message is a tool (or legacy function) result: answer in text, echoing the result.
- Tools are offered and the caller forces one (`tool_choice` "required" or a named tool), or the last user message
  names one of them: call that tool (the named one, else the first named in the text, else the first offered) with
  the last user message as its argument, under the first property of the tool's parameter schema.
- Legacy `functions` work the same way and answer with `function_call`."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import orjson

from services.demo_provider import echo


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    arguments: str
    legacy: bool  # answer with `function_call` rather than `tool_calls`


def tool_result(messages: list[dict[str, Any]]) -> str | None:
    """The content of a trailing tool/function result, if the conversation ends with one."""
    if messages and messages[-1].get("role") in ("tool", "function"):
        return echo.content_text(messages[-1].get("content"))
    return None


def _functions(body: dict[str, Any]) -> tuple[list[dict[str, Any]], Any, bool]:
    tools = body.get("tools")
    if isinstance(tools, list) and tools:
        return [t.get("function") or {} for t in tools if isinstance(t, dict)], body.get("tool_choice"), False
    functions = body.get("functions")
    if isinstance(functions, list) and functions:
        return [f for f in functions if isinstance(f, dict)], body.get("function_call"), True
    return [], None, False


def _forced(choice: Any, legacy: bool) -> str | None:
    if isinstance(choice, dict):
        named = choice.get("name") if legacy else (choice.get("function") or {}).get("name")
        return named if isinstance(named, str) else None
    return None


def decide(body: dict[str, Any], messages: list[dict[str, Any]]) -> Call | None:
    functions, choice, legacy = _functions(body)
    if not functions or choice == "none" or tool_result(messages) is not None:
        return None
    text = echo.last_user_text(messages)
    names = [f.get("name") for f in functions if isinstance(f.get("name"), str)]
    name = _forced(choice, legacy) or next((n for n in names if n in text), None)
    if name is None and choice == "required":
        name = names[0] if names else None
    if name is None:
        return None
    spec = next((f for f in functions if f.get("name") == name), {})
    properties = (spec.get("parameters") or {}).get("properties") or {}
    argument = next(iter(properties), "input")
    return Call(name, orjson.dumps({argument: text}).decode(), legacy)


def call_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


def message(call: Call, tool_call_id: str) -> dict[str, Any]:
    """The assistant message (non-streaming) carrying the call."""
    if call.legacy:
        return {"role": "assistant", "content": None, "function_call": {"name": call.name, "arguments": call.arguments},
                "refusal": None}
    return {"role": "assistant", "content": None, "refusal": None, "tool_calls": [
        {"id": tool_call_id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}]}


def finish_reason(call: Call) -> str:
    return "function_call" if call.legacy else "tool_calls"


def deltas(call: Call, tool_call_id: str, chunk_size: int) -> list[dict[str, Any]]:
    """Streamed deltas as OpenAI sends them: the call's id and name first, then its arguments in pieces."""
    pieces = echo.split_chunks(call.arguments, chunk_size)
    if call.legacy:
        return [{"role": "assistant", "content": None, "function_call": {"name": call.name, "arguments": ""}},
                *({"function_call": {"arguments": p}} for p in pieces)]
    return [{"role": "assistant", "content": None, "tool_calls": [
        {"index": 0, "id": tool_call_id, "type": "function", "function": {"name": call.name, "arguments": ""}}]},
            *({"tool_calls": [{"index": 0, "function": {"arguments": p}}]} for p in pieces)]
