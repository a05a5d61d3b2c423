"""The values Radiant leaks on the TUNE half of the independent set, each with the original text around it and the
detector's spans marked (⟦CATEGORY:text⟧), to find the class a miss belongs to. There is no option for the held-out
half: it is for reporting only (``python -m tests.phi_eval.independent --split heldout``).

    python -m tests.phi_eval.tune_misses                    # every leaked value
    python -m tests.phi_eval.tune_misses ADDRESS,CITY 60    # some categories, 60 characters of context
"""
from __future__ import annotations

import sys

from services.phi.detection import DEFAULT_ENABLED, SECRET_CATEGORY, Detector
from tests.phi_eval.independent import documents, score_documents
from tests.phi_eval.radiant_adapter import sanitize

_CATEGORIES = DEFAULT_ENABLED | {SECRET_CATEGORY}


def marked(detector: Detector, text: str, lo: int, hi: int) -> str:
    out, pos = [], lo
    for d in detector.detect(text, _CATEGORIES):
        a, b = max(d.start, lo), min(d.end, hi)
        if b <= lo or a >= hi or a < pos:
            continue
        out += [text[pos:a], f"⟦{d.category[:4]}:{text[a:b]}⟧"]
        pos = b
    out.append(text[pos:hi])
    return "".join(out).replace("\n", "⏎")


def main(argv: list[str]) -> int:
    wanted = set(argv[0].split(",")) if argv and argv[0] != "all" else None
    width = int(argv[1]) if len(argv) > 1 else 50
    docs = documents("tune")
    report = score_documents(sanitize, docs, "tune", keep_misses=True)
    print(f"tune half: recall {report.recall:.4f}, leak rate {report.leak_rate:.2%}, non-PHI kept "
          f"{report.nonphi_kept:.4f}")
    detector = Detector()
    by_id = {d.id: d for d in docs}
    for miss in report.misses:
        if wanted and miss.category not in wanted:
            continue
        doc = by_id[miss.doc_id]
        span = next((s for s in doc.spans if miss.value.startswith(s.value)), None)
        if span is None:
            continue
        text = doc.texts[span.text]
        lo, hi = max(0, span.start - width), min(len(text), span.end + width)
        print(f"{miss.doc_id} {miss.category} {miss.value!r}: {marked(detector, text, lo, hi)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
