"""Placeholder syntax "[PHI_<CATEGORY>_<n>]" and the prefix test used to hold back stream tails."""
from __future__ import annotations

import re

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
