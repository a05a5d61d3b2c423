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


# Characters that ``re.IGNORECASE`` also matches for some ASCII letters (Unicode case equivalences).
_CI_EXTRA = {"i": "İı", "k": "\u212a", "s": "ſ"}


def ci_chars(chars: str) -> str:
    """The characters that match any of ``chars`` under ``re.IGNORECASE`` (for ASCII letters)."""
    out: set[str] = set()
    for c in chars:
        out.update((c, c.lower(), c.upper()))
        out.update(_CI_EXTRA.get(c.lower(), ""))
    return "".join(sorted(out))


def kw_first(alts: list[str] | tuple[str, ...], *, ci: bool = True, not_before: str | None = r"\w") -> str:
    """The alternation ``(?:alt1|alt2|...)`` of regex sources, rewritten to start with a character class.

    Each alternative must start with a literal alphanumeric character. The result is
    ``[firsts](?<!NB.)(?:(?<=a)rest_a1|rest_a2...|(?<=b)...)``: ``re`` skips quickly to candidate characters, the
    look-behind ``not_before`` (e.g. ``\\w`` for a leading ``\\b``) is checked right after the first character, and
    each alternative re-checks its first character with a look-behind. Alternatives are grouped by first
    character, keeping their order within a group (alternatives with different first characters cannot match at
    the same position, so the matches are those of the plain alternation). ``ci`` = case-insensitive
    (``re.IGNORECASE`` semantics, including its Unicode equivalences).
    """
    groups: dict[str, list[str]] = {}
    for a in alts:
        c = a[0]
        assert c.isalnum() and c.isascii(), a
        assert not a[1:2] or a[1] not in "?*+{", a
        groups.setdefault(c.lower() if ci else c, []).append(a[1:])
    firsts = "".join(groups)
    cls = "[" + re.escape(ci_chars(firsts) if ci else firsts) + "]"
    parts = []
    for c, rests in groups.items():
        body = rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")"
        parts.append("(?<=" + re.escape(c) + ")" + body)
    alt = "|".join(parts)
    src = cls + ("(?<!" + not_before + ".)" if not_before else "") + ("(?i:" + alt + ")" if ci else "(?:" + alt + ")")
    return src
