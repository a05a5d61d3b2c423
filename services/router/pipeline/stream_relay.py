"""Relaying provider stream chunks to the client: PHI placeholders restored in every streamed text (content, tool
call arguments, legacy function_call arguments; a placeholder split across chunks is held until complete), and the
generated text kept so a stream without a usage chunk, or one the client abandoned, is still metered for what was
generated."""
from __future__ import annotations

from services.router.pipeline.phi_fields import restore_tool_call_ids
from services.runtime.placeholders import StreamReidentifier


class StreamRelay:
    def __init__(self, restore: dict[str, str], tool_call_ids: dict[str, str] | None = None) -> None:
        self.restore = restore
        self.tool_call_ids = tool_call_ids or {}
        self._restorers: dict[tuple, StreamReidentifier] = {}
        self._produced: list[str] = []

    @property
    def produced_text(self) -> str:
        """Everything the provider generated so far, as it generated it (placeholders, not restored values)."""
        return "".join(self._produced)

    def relay(self, chunk: dict) -> None:
        """Restores the chunk's texts in place."""
        for choice in chunk.get("choices") or ():
            index = int(choice.get("index") or 0)
            delta = choice.get("delta") or {}
            if isinstance(delta.get("content"), str):
                delta["content"] = self._feed((index, "content"), delta["content"])
            restore_tool_call_ids(delta.get("tool_calls"), self.tool_call_ids)
            for call in delta.get("tool_calls") or ():
                function = call.get("function") or {}
                if isinstance(function.get("arguments"), str):
                    key = (index, "tool", int(call.get("index") or 0))
                    function["arguments"] = self._feed(key, function["arguments"])
            function_call = delta.get("function_call")
            if isinstance(function_call, dict) and isinstance(function_call.get("arguments"), str):
                function_call["arguments"] = self._feed((index, "function_call"), function_call["arguments"])
            if choice.get("finish_reason"):
                self._flush_choice(index, delta)
                choice["delta"] = delta

    def _feed(self, key: tuple, text: str) -> str:
        self._produced.append(text)
        if not self.restore:
            return text
        restorer = self._restorers.get(key)
        if restorer is None:
            restorer = self._restorers[key] = StreamReidentifier(self.restore)
        return restorer.feed(text)

    def _flush_choice(self, index: int, delta: dict) -> None:
        """Text held back as a possible placeholder start goes out with the choice's last chunk."""
        for key in [k for k in self._restorers if k[0] == index]:
            held = self._restorers.pop(key).flush()
            if not held:
                continue
            if key[1] == "content":
                delta["content"] = (delta.get("content") or "") + held
            elif key[1] == "function_call":
                delta.setdefault("function_call", {})
                delta["function_call"]["arguments"] = (delta["function_call"].get("arguments") or "") + held
            else:
                delta.setdefault("tool_calls", []).append({"index": key[2], "function": {"arguments": held}})
