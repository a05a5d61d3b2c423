"""PHI placeholders "[PHI_<CATEGORY>_<n>]": their syntax, and putting original values back into whole texts and
streams (placeholders split across chunks are still restored). Shared by the phi service and the router, which
restores answers with the mapping phi returned for the texts it sent."""
from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER_RE = re.compile(r"\[PHI_([A-Z]+(?:_[A-Z]+)*)_(\d{1,6})\]")
# Anything that could still grow into a placeholder: "[", "[P", "[PHI_NA", "[PHI_NAME_1" ...
_PREFIX_RE = re.compile(r"\[(?:P(?:H(?:I(?:_[A-Z0-9_]*)?)?)?)?")
MAX_PLACEHOLDER_LEN = 48

# Input text that already looks like a placeholder is itself replaced by one of this category, so that a literal
# "[PHI_NAME_1]" typed by a user is restored verbatim and never turned into someone's data on the way back.
ESCAPED_CATEGORY = "ESCAPED"


def placeholder(category: str, n: int) -> str:
    return f"[PHI_{category}_{n}]"


def held_tail_start(text: str) -> int:
    """Index from which `text` must be held back because it may be the start of a placeholder; len(text) if none."""
    pos = text.rfind("[")
    if pos < 0 or len(text) - pos > MAX_PLACEHOLDER_LEN:
        return len(text)
    return pos if _PREFIX_RE.fullmatch(text, pos) else len(text)

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
