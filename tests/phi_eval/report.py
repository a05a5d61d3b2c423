"""Evaluate the detector on the generated set; ``python -m tests.phi_eval.report`` prints the markdown table."""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, field

from services.phi.detection import CATEGORIES, Detector

from .generator import Document, Generator

SEED = 20240601
N_DOCS = 450
CLINICAL_OFF = frozenset({"DIAGNOSIS", "TREATMENT"})
STRUCTURED = ("SSN", "PHONE", "FAX", "EMAIL", "DOB", "DATE", "MEDICAL_RECORD", "INSURANCE_ID", "ACCOUNT",
              "LICENSE", "DEVICE", "VEHICLE", "IP_ADDRESS", "URL", "ZIP", "AGE")
_WORD = re.compile(r"\w+")


@dataclass
class Result:
    n: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)      # fully covered by detections of any category
    typed: dict[str, int] = field(default_factory=dict)      # ... by detections of the right category
    missed: dict[str, list[str]] = field(default_factory=dict)
    words: int = 0
    words_kept: int = 0
    false_words: list[str] = field(default_factory=list)

    def recall(self, cat: str) -> float:
        return self.found.get(cat, 0) / self.n[cat] if self.n.get(cat) else float("nan")

    def typed_recall(self, cat: str) -> float:
        return self.typed.get(cat, 0) / self.n[cat] if self.n.get(cat) else float("nan")

    @property
    def kept(self) -> float:
        return self.words_kept / self.words if self.words else 1.0


def _covered(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """True if [s, e) is fully covered by the union of sorted, non-overlapping ``spans``."""
    pos = s
    i = bisect.bisect_right(spans, (s, 10**12)) - 1
    i = max(i, 0)
    while pos < e and i < len(spans):
        a, b = spans[i]
        if a > pos:
            return False
        if b > pos:
            pos = b
        i += 1
    return pos >= e


def evaluate(docs: list[Document], detector: Detector | None = None) -> Result:
    det = detector or Detector()
    res = Result()
    for doc in docs:
        dets = det.detect(doc.text)
        spans = [(d.start, d.end) for d in dets]
        by_cat: dict[str, list[tuple[int, int]]] = {}
        for d in dets:
            by_cat.setdefault(d.category, []).append((d.start, d.end))
        all_dets = None
        for ent in doc.entities:
            if ent.category in CLINICAL_OFF:
                if all_dets is None:
                    all_dets = det.detect(doc.text, frozenset(CATEGORIES))
                cov = [(d.start, d.end) for d in all_dets]
                typed_cov = [(d.start, d.end) for d in all_dets if d.category == ent.category]
            else:
                cov, typed_cov = spans, by_cat.get(ent.category, [])
            res.n[ent.category] = res.n.get(ent.category, 0) + 1
            if _covered(cov, ent.start, ent.end):
                res.found[ent.category] = res.found.get(ent.category, 0) + 1
            else:
                ctx = doc.text[max(0, ent.start - 40):ent.start] + "«" + ent.text + "»" + doc.text[ent.end:ent.end + 15]
                res.missed.setdefault(ent.category, []).append(ctx.replace("\n", " "))
            if _covered(typed_cov, ent.start, ent.end):
                res.typed[ent.category] = res.typed.get(ent.category, 0) + 1
        phi = sorted((e.start, e.end) for e in doc.entities if e.category not in CLINICAL_OFF)
        for w in _WORD.finditer(doc.text):
            s, e = w.span()
            if any(a < e and s < b for a, b in phi):
                continue
            res.words += 1
            if any(a < e and s < b for a, b in spans):
                res.false_words.append(w.group())
            else:
                res.words_kept += 1
    return res


def build_docs(n_docs: int = N_DOCS, seed: int = SEED) -> list[Document]:
    return Generator(seed).corpus(n_docs)


def markdown(res: Result) -> str:
    lines = ["| category | n | recall | recall (same category) |", "|---|---:|---:|---:|"]
    for cat in CATEGORIES:
        if cat in res.n:
            lines.append(f"| {cat} | {res.n[cat]} | {res.recall(cat):.4f} | {res.typed_recall(cat):.4f} |")
    total = sum(res.n.values())
    lines.append(f"| **entities** | {total} | | |")
    lines.append(f"| **non-PHI words kept** | {res.words} | {res.kept:.4f} | |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    res = evaluate(build_docs())
    print(markdown(res))
    if verbose:
        from collections import Counter

        for cat, missed in sorted(res.missed.items()):
            print(f"\nmissed {cat} ({len(missed)}):", missed[:12], sep='\n   ')
        print("\nnon-PHI words flagged:", Counter(res.false_words).most_common(60))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
