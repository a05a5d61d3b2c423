"""OpenAI `chat.completion` and `chat.completion.chunk` dicts, built one way for every translator that produces
them from another provider's answer."""
from __future__ import annotations

import time
import uuid
from typing import Any

from services.runtime.errors import ValidationError


class OpenAIShapes:
    """Ids and timestamps shared by every chunk of one answer."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.id = f"chatcmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())

    def chunk(self, delta: dict | None, finish: str | None = None, usage: dict | None = None) -> dict:
        """A chunk for choice 0; `delta=None` is the usage-only chunk (no choices)."""
        out: dict[str, Any] = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                               "model": self.model,
                               "choices": [] if delta is None else [{"index": 0, "delta": delta,
                                                                     "finish_reason": finish}]}
        if usage is not None:
            out["usage"] = usage
        return out

    def completion(self, message: dict, finish: str, usage: dict) -> dict:
        return {"id": self.id, "object": "chat.completion", "created": self.created, "model": self.model,
                "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage}


def usage(prompt: int, completion: int) -> dict:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def refuse_unsupported(body: dict, who: str) -> None:
    """Request fields whose result a provider cannot deliver are a 400 naming them, never silently dropped
    (sampling hints such as penalties or seed may be ignored: the answer is still an answer)."""
    if (body.get("n") or 1) > 1:
        raise ValidationError(f"{who} return one choice per request; send n=1", details={"n": ["must be 1"]})
    if body.get("logprobs"):
        raise ValidationError(f"{who} do not return log probabilities; remove logprobs",
                              details={"logprobs": ["not supported by this model"]})
    fmt = (body.get("response_format") or {}).get("type", "text")
    if fmt != "text":
        raise ValidationError(f"response_format '{fmt}' is not available for {who}",
                              details={"response_format": ["not supported by this model"]})
