"""Helpers to build fast regular expressions.

Python's ``re`` scans quickly only when a pattern starts with a literal or a character class (it then skips to
candidate positions in C). So patterns here start with a character class, keep look-behinds after it, and turn word
lists into a prefix trie with explicit upper/lower-case classes instead of ``re.IGNORECASE``.
"""

from __future__ import annotations

import re


def _ci(ch: str) -> str:
    if ch.isalpha() and ch.lower() != ch.upper():
        return "[" + ch.lower() + ch.upper() + "]"
    if ch == " ":
        return r"\s+"
    return re.escape(ch)


def trie_regex(words: list[str] | tuple[str, ...] | set[str], *, ignore_case: bool = True) -> str:
    """A regex source matching any of ``words`` (longest first), as a trie: fast to try at each position."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        alts = []
        for ch in sorted(k for k in node if k):
            alts.append((_ci(ch) if ignore_case else re.escape(ch)) + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return "(?:" + build(trie) + ")"


def first_char_trie(words: list[str] | tuple[str, ...] | set[str], not_before: str = r"[\w/]") -> str:
    """Like :func:`trie_regex` (case-insensitive) but starting with a plain character class, so ``re`` can skip
    quickly to positions where a word may start; ``not_before`` is a class that must not precede the word."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0].lower(), []).append(w[1:])
    first = "".join(sorted({c for k in groups for c in (k.lower(), k.upper())}))
    alts = []
    for c in sorted(groups):
        rest = [r for r in groups[c]]
        sub = trie_regex([r for r in rest if r]) if any(rest) else ""
        opt = "" in rest
        body = sub + ("?" if opt and sub else "")
        alts.append("(?<=" + _ci(c) + ")" + body)
    return ("[" + re.escape(first) + "](?<!" + not_before + ".)(?:" + "|".join(alts) + ")")
