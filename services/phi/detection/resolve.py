"""Overlap resolution: merge same-category overlaps, then keep the strongest of overlapping categories."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .categories import SPECIFICITY

Candidate = tuple[int, int, str, float]  # start, end (exclusive), category, confidence


def resolve(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping spans sorted by start.

    1. Overlapping (or identical) spans of one category are merged into their union (highest confidence).
    2. Across categories, spans are taken greedily by confidence, then length, then category specificity,
       then position; a span that overlaps one already taken is dropped. Deterministic for equal input.
    """
    if not cands:
        return []
    by_cat: dict[str, list[Candidate]] = {}
    for c in cands:
        if c[1] > c[0]:
            by_cat.setdefault(c[2], []).append(c)
    merged: list[Candidate] = []
    for cat, group in by_cat.items():
        group.sort()
        cs, ce, _, cc = group[0]
        for s, e, _, conf in group[1:]:
            if s < ce:
                if e > ce:
                    ce = e
                if conf > cc:
                    cc = conf
            else:
                merged.append((cs, ce, cat, cc))
                cs, ce, cc = s, e, conf
        merged.append((cs, ce, cat, cc))
    if len(merged) == 1:
        return merged
    merged.sort(key=lambda c: (-c[3], c[0] - c[1], SPECIFICITY.get(c[2], 99), c[0]))
    starts: list[int] = []
    chosen: list[Candidate] = []
    for c in merged:
        s, e = c[0], c[1]
        k = bisect_left(starts, s)
        if k > 0 and chosen[k - 1][1] > s:
            continue
        if k < len(starts) and starts[k] < e:
            continue
        starts.insert(k, s)
        chosen.insert(k, c)
    return chosen


def merge(spans: list[Candidate], found: list[Candidate]) -> list[Candidate]:
    """Resolved ``spans`` with the spans ``found`` around them (by rules that extend what was found): a found span
    inside one of ``spans`` adds nothing; overlapping spans become their union, which keeps the category of its
    longest member (of ``spans`` on a tie)."""
    starts = [c[0] for c in spans]
    extra = []
    for c in found:
        k = bisect_right(starts, c[0]) - 1
        if not (k >= 0 and spans[k][1] >= c[1]):
            extra.append(c)
    if not extra:
        return spans
    out: list[Candidate] = []
    for c, _ in sorted([(c, 0) for c in spans] + [(c, 1) for c in extra], key=lambda x: (x[0][0], x[1])):
        if out and c[0] < out[-1][1]:
            p = out[-1]
            cat = p[2] if p[1] - p[0] >= c[1] - c[0] else c[2]
            out[-1] = (p[0], max(p[1], c[1]), cat, max(p[3], c[3]))
        else:
            out.append(c)
    return out
