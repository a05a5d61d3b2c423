"""How deeply a JSON text nests, checked on the raw bytes before anything parses or validates it: recursive code
further in (JSON Schema validation, serializers) fails on deep but well-formed documents, so the edge refuses them
once, up front. Runs at C speed: strings are removed with one regex pass, every bracket is mapped to one pair of
characters, and each `()` removal pass peels one level, so the work is bounded by (limit + 1) passes."""
from __future__ import annotations

import re

MAX_DEPTH = 64

_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_KEEP_BRACKETS = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def exceeds(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """True when the JSON text nests arrays/objects deeper than `limit`. Malformed JSON is left to the parser."""
    if not body or body.count(b"[") + body.count(b"{") <= limit:
        return False  # nesting needs an opening bracket per level (brackets inside strings only add to the count)
    structure = _STRINGS.sub(b"", body).translate(_KEEP_BRACKETS, _NOT_BRACKETS)
    for _ in range(limit):
        if not structure:
            return False
        peeled = structure.replace(b"()", b"")
        if peeled == structure:
            return False  # unbalanced: not JSON, the parser will say so
        structure = peeled
    return b"(" in structure
