"""Detection across the boundaries of adjacent texts of one request.

A value split between two messages or content parts ("My SSN is 536-90-" + "4399, please ...", a first name at the end
of one message and the surname at the start of the next) is found by running the detector on a window around each
boundary, with the texts joined directly (a value cut in the middle) and joined by a space (words of two texts).
A detection that crosses the boundary becomes one piece per text it touches, unless all but one piece are ordinary
words on their own ("My name is Eleanor" + "How are you?" is not the name "Eleanor How"; "SSN is" + "219099999" joined
directly does not make "is" part of the number); a detection inside one text that needed the other text's context
("SSN:" + "219099999") is kept too, unless it touches a place where the window cut a text.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from .detector import Detection

# Characters taken on each side of a boundary: more than any cue-to-value distance the recognisers look at.
WINDOW = 64

Detect = Callable[[str, frozenset[str]], list[Detection]]
OrdinaryWord = Callable[[str], bool]


def _chains(texts: Sequence[str], groups: Sequence[int] | None) -> list[list[int]]:
    """Runs of consecutive non-empty texts of one group (at least two texts each)."""
    chains: list[list[int]] = []
    current: list[int] = []
    prev_group = None
    for i, text in enumerate(texts):
        group = groups[i] if groups else 0
        if current and group != prev_group:
            chains.append(current)
            current = []
        prev_group = group
        if text:
            current.append(i)
    chains.append(current)
    return [c for c in chains if len(c) >= 2]


def across_boundaries(detect: Detect, ordinary: OrdinaryWord, texts: Sequence[str], categories: frozenset[str],
                      groups: Sequence[int] | None = None) -> dict[int, list[Detection]]:
    """text index -> detections (offsets into that text) found only with the neighbouring texts in view.
    ``ordinary(word)``: True for an ordinary (dictionary) word."""
    found: dict[int, list[Detection]] = {}
    for chain in _chains(texts, groups):
        for joiner in ("", " "):
            _scan(detect, ordinary, [texts[i] for i in chain], chain, joiner, categories, found)
    return found


def _scan(detect: Detect, ordinary: OrdinaryWord, parts: list[str], index: list[int], joiner: str,
          categories: frozenset[str], found: dict[int, list[Detection]]) -> None:
    starts: list[int] = []
    pos = 0
    for part in parts:
        starts.append(pos)
        pos += len(part) + len(joiner)
    joined = joiner.join(parts)
    ends = [s + len(p) for s, p in zip(starts, parts)]
    # windows around each boundary, merged where they overlap
    regions: list[list[int]] = []
    for k in range(1, len(parts)):
        a, b = max(0, starts[k] - len(joiner) - WINDOW), min(len(joined), starts[k] + WINDOW)
        if regions and a <= regions[-1][1]:
            regions[-1][1] = b
        else:
            regions.append([a, b])
    for ra, rb in regions:
        cut_left = bisect_right(starts, ra) - 1
        cut_left = ra != starts[cut_left]  # the window starts inside a text
        k_end = bisect_right(starts, rb - 1) - 1
        cut_right = rb < ends[k_end]
        for d in detect(joined[ra:rb], categories):
            s, e = ra + d.start, ra + d.end
            pieces = []
            for k in range(bisect_right(starts, s) - 1, len(parts)):
                if starts[k] >= e:
                    break
                ps, pe = max(s, starts[k]), min(e, ends[k])
                if ps < pe:
                    pieces.append((k, ps - starts[k], pe - starts[k]))
            if not pieces:
                continue
            if len(pieces) == 1:
                if (cut_left and d.start == 0) or (cut_right and d.end == rb - ra):
                    continue  # may be a fragment of a value the window cut
            else:
                pieces = [p for p in pieces if not _ordinary_piece(parts[p[0]][p[1]:p[2]], ordinary)]
                if len(pieces) < 2:
                    continue  # not a value across the boundary after all (each text's own detection covers it)
            for k, ps, pe in pieces:
                found.setdefault(index[k], []).append(Detection(d.category, ps, pe, d.confidence))


def _ordinary_piece(piece: str, ordinary: OrdinaryWord) -> bool:
    words = piece.split()
    return bool(words) and all(w.isalpha() and ordinary(w) for w in words)


def merge(own: list[Detection], extra: list[Detection]) -> list[Detection]:
    """The union of two detection lists of one text: overlapping spans become one span."""
    spans = sorted(own + extra, key=lambda d: (d.start, -d.end))
    out: list[Detection] = []
    for d in spans:
        if out and d.start < out[-1].end:
            prev = out[-1]
            # named after the longest; of two equal spans, after the more confident (a cued SSN over a catch-all code)
            longest = prev if (prev.end - prev.start, prev.confidence) >= (d.end - d.start, d.confidence) else d
            out[-1] = Detection(longest.category, prev.start, max(prev.end, d.end), max(prev.confidence, d.confidence))
            continue
        out.append(d)
    return out
