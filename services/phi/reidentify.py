"""Putting original values back: whole texts and streams (placeholders split across chunks are still restored)."""
from __future__ import annotations

from collections.abc import Mapping

from services.phi.placeholders import PLACEHOLDER_RE, held_tail_start


def reidentify(text: str, mapping: Mapping[str, str]) -> tuple[str, int]:
    """One pass: restored values are never scanned again. Unknown placeholders are left as they are."""
    if not mapping or "[PHI_" not in text:
        return text, 0
    count = 0

    def swap(m):
        nonlocal count
        value = mapping.get(m.group(0))
        if value is None:
            return m.group(0)
        count += 1
        return value

    return PLACEHOLDER_RE.sub(swap, text), count


class StreamReidentifier:
    """Feed chunks, get text back as soon as it cannot be part of a placeholder. Holds at most one partial
    placeholder (bounded by MAX_PLACEHOLDER_LEN characters)."""

    __slots__ = ("_mapping", "_held", "replaced")

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._mapping = mapping
        self._held = ""
        self.replaced = 0

    def feed(self, chunk: str) -> str:
        text = self._held + chunk
        cut = held_tail_start(text)
        self._held = text[cut:]
        out, n = reidentify(text[:cut], self._mapping)
        self.replaced += n
        return out

    def flush(self) -> str:
        out, n = reidentify(self._held, self._mapping)
        self._held = ""
        self.replaced += n
        return out
