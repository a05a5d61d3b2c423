"""The view of a text that detection runs on, and the way back to the original's offsets.

Identifiers are disguised with characters that look the same to a reader but not to a pattern: zero-width and other
format characters inside a number (U+200B, U+200D, U+2060, U+FEFF, U+200F), full-width digits and hyphens, en dashes
and non-breaking hyphens as separators, NBSP or thin spaces between groups, Cyrillic or Greek look-alikes inside a
Latin word ("jоhn@example.com" with a Cyrillic "о"). The view is the text with

* format characters (Unicode category Cf) removed,
* each character (with its combining marks) in NFKC compatibility form (full-width, superscript and other
  compatibility forms become their plain letters, digits and punctuation),
* every dash and hyphen variant as "-", every space variant as " ", line and paragraph separators as a line feed,
  decimal digits of any script as ASCII digits,
* Unicode's confusable look-alikes (confusable-homoglyphs' copy of confusables.txt) folded to the ASCII letter or
  digit they imitate, inside words that also hold ASCII letters or digits (a word wholly in another script, such as
  a Cyrillic name, stays as written).

A span found in the view maps back to the characters of the original it came from, so the replacement covers the
original span, zero-width characters inside it included. ASCII text is its own view (nothing to do).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs.confusables import confusables_data

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\u30fc\u02d7")
_LINES = frozenset("\u2028\u2029\x85")


def _confusable_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for char, glyphs in confusables_data.items():
        if len(char) != 1 or char.isascii() or unicodedata.category(char) == "Cf":
            continue
        for glyph in glyphs:
            c = glyph["c"]
            if len(c) == 1 and c.isascii() and c.isalnum():
                table[char] = c
                break
    return table


CONFUSABLES: dict[str, str] = _confusable_table()
_WORD = re.compile(r"\S+")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_FOLD = str.maketrans(CONFUSABLES)


def _plain(c: str) -> str:
    if c.isascii():
        return c
    if c in _DASHES:
        return "-"
    if c in _LINES:
        return "\n"
    if c.isspace():
        return " "
    if unicodedata.category(c) == "Cf":
        return ""
    d = unicodedata.decimal(c, None)
    if d is not None:
        return str(d)
    return c


@lru_cache(maxsize=8192)
def _cluster(cluster: str) -> str:
    """The view of one character with its combining marks."""
    if len(cluster) == 1:
        c = _plain(cluster)
        if c != cluster or c.isascii():
            return c
    return "".join(_plain(c) for c in unicodedata.normalize("NFKC", cluster))


class View:
    """``text`` as detection sees it; ``span`` maps a view span back to the original text."""

    __slots__ = ("text", "_starts", "_ends")

    def __init__(self, text: str, starts: list[int], ends: list[int]) -> None:
        self.text = text
        self._starts = starts
        self._ends = ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self._starts[start], self._ends[end - 1]


def view(text: str) -> View | None:
    """The normalised view of ``text``, or None when the text is its own view."""
    if text.isascii():
        return None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    changed = False
    combining = unicodedata.combining
    for m in _NON_ASCII.finditer(text):
        a, b = m.span()
        if a > pos and combining(text[a]):
            a -= 1  # a combining mark belongs to the (ASCII) letter before it
        if a > pos:
            pieces.append(text[pos:a])
            starts.extend(range(pos, a))
            ends.extend(range(pos + 1, a + 1))
        i = a
        while i < b:
            j = i + 1
            while j < b and combining(text[j]):
                j += 1
            cluster = text[i:j]
            out = _cluster(cluster)
            if out != cluster:
                changed = True
            if out:
                pieces.append(out)
                starts.extend([i] * len(out))
                ends.extend([j] * len(out))
            i = j
        pos = b
    if pos < len(text):
        pieces.append(text[pos:])
        starts.extend(range(pos, len(text)))
        ends.extend(range(pos + 1, len(text) + 1))
    plain = "".join(pieces) if changed else text
    folded = _fold_confusables(plain)
    if folded is plain and not changed:
        return None
    return View(folded, starts, ends)


def _fold_confusables(text: str) -> str:
    """Look-alikes folded inside words that also hold ASCII letters or digits (same length, same offsets)."""
    folded = text.translate(_FOLD)  # one C pass; nearly always the same text
    if folded == text:
        return text
    out = None
    for m in _WORD.finditer(text):
        a, b = m.span()
        if folded[a:b] == text[a:b]:
            continue
        word = text[a:b]
        if _ASCII_ALNUM.search(word) is not None or "@" in word:
            if out is None:
                out = list(text)
            out[a:b] = folded[a:b]
    return text if out is None else "".join(out)
