"""What the demo provider answers: the echoed text, word-count "tokens", and deterministic embeddings."""
from __future__ import annotations

import base64
import hashlib
import math
import struct
from typing import Any


def content_text(content: Any) -> str:
    """Text of one message content: a string, or the concatenation of its text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text") or "" for part in content
                       if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str))
    return ""


def last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return content_text(message.get("content"))
    return ""


def _images(content: Any) -> list[Any]:
    if not isinstance(content, list):
        return []
    return [part.get("image_url") for part in content if isinstance(part, dict) and part.get("type") == "image_url"]


def image_problem(messages: list[dict[str, Any]]) -> str | None:
    """What OpenAI would reject about the image parts, if anything: each needs an http(s) URL or an image data URL."""
    for i, message in enumerate(messages):
        for image in _images(message.get("content")):
            url = image.get("url") if isinstance(image, dict) else None
            if not isinstance(url, str) or not url.startswith(("http://", "https://", "data:image/")):
                return f"messages[{i}] has an image_url part without a valid http(s) or image data URL"
    return None


def answer(messages: list[dict[str, Any]]) -> str:
    """The echo of the last user message; images it carried are acknowledged after the text."""
    for message in reversed(messages):
        if message.get("role") == "user":
            text = content_text(message.get("content"))
            images = len(_images(message.get("content")))
            return f"{text} [{images} image{'s' if images > 1 else ''} received]" if images else text
    return ""


def count_words(text: str) -> int:
    return len(text.split())


def usage(messages: list[dict[str, Any]], answer: str) -> dict[str, int]:
    prompt = max(1, sum(count_words(content_text(m.get("content"))) for m in messages))
    completion = max(1, count_words(answer))
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def split_chunks(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


def embedding(text: str, dimensions: int) -> list[float]:
    """A unit vector derived from SHA-256 of the text: same text, same vector."""
    values: list[float] = []
    counter = 0
    while len(values) < dimensions:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        values.extend((b / 127.5) - 1.0 for b in digest)
        counter += 1
    values = values[:dimensions]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [round(v / norm, 6) for v in values]


def embedding_base64(vector: list[float]) -> str:
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
