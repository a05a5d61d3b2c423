"""Black-box scoring: a sanitizer gets the texts of one request and returns what the gateway would send on.

A labelled value is *leaked* when any of these survives in the sanitized texts, else it is *detected* (in any category:
the category is only used to report recall):
  * the value, or one of its key parts (every token of a personal name; the street name of an address line; every part
    of a value split across texts), still in place: the text is aligned token by token with the original (difflib), so
    "May" kept in "May improve" does not count for "May Carter", nor the reverse;
  * for values with at least 4 digits, the digit run (digits separated by at most 3 non-alphanumeric characters) more
    often than it occurs outside the value in the original;
  * for structured values (with a digit, "@", "/", ":" or "."), the value more often than it occurs outside the value.
Both sides are compared on a normalised view (NFKC, format characters removed), so a sanitizer is not credited for
leaving a disguised value in place. A non-PHI word or term is *kept* when all its tokens are in place."""
from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .dataset import DEFAULT_SEED, documents, injection_set
from .injection import NEGATIVE_CLASSES, POSITIVE_CLASSES
from .model import CATEGORIES, Document, Span

# The classes issue 15's targets are stated for (names and street addresses >= 0.95, structured identifiers >= 0.99).
CLASSES: dict[str, tuple[str, ...]] = {
    "names": ("NAME",), "street lines": ("ADDRESS",), "cities": ("CITY",), "postcodes": ("ZIP",),
    "dates, ages": ("DOB", "DATE", "AGE"),
    "structured ids": ("PHONE", "FAX", "EMAIL", "SSN", "MEDICAL_RECORD", "INSURANCE_ID", "ACCOUNT", "LICENSE", "VEHICLE",
                       "DEVICE", "URL", "IP_ADDRESS", "BIOMETRIC", "PHOTO", "OTHER_ID", "SECRET"),
}
CLASS_OF = {c: name for name, cats in CLASSES.items() for c in cats}

Sanitize = Callable[[list[str]], list[str]]
Classify = Callable[[str], bool]

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
# Radiant's placeholders ("[PHI_NAME_1]", README "PHI protection"): not text of the original, so not aligned with it.
_PLACEHOLDER = re.compile(r"\[PHI_[A-Z_]+_\d+\]")
_STRUCTURED = re.compile(r"[\d@/:.]")


def normalise(text: str) -> tuple[str, list[int]]:
    """NFKC per character with format characters (zero-width, bidi marks, BOM) dropped; returns the normalised text and,
    for each of its characters, the index of the original character it came from."""
    out: list[str] = []
    src: list[int] = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Cf":
            continue
        for c in unicodedata.normalize("NFKC", ch):
            out.append(c)
            src.append(i)
    return "".join(out), src


def _split_case(start: int, word: str) -> Iterable[tuple[int, int]]:
    """Splits a letter run at case changes (chartMRN -> chart, MRN; SurnameOKAFOR -> Surname, OKAFOR), so words glued to
    a value are separate tokens on both sides."""
    prev = 0
    for i in range(1, len(word)):
        a, b = word[i - 1], word[i]
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if (a.islower() and b.isupper()) or (a.isupper() and b.isupper() and nxt.islower()):
            yield start + prev, start + i
            prev = i
    yield start + prev, start + len(word)


def tokens(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Word tokens (letter runs split at case changes, digit runs), never across a cut. Blanks and punctuation are not
    aligned: anchoring on them lets a sanitizer's "-" or " " pair up with the original's and misalign the words."""
    bounds = sorted({0, len(text), *(c for c in cuts if 0 < c < len(text))})
    out: list[tuple[int, int]] = []
    for a, b in zip(bounds, bounds[1:]):
        for m in _TOKEN.finditer(text, a, b):
            if not m.group()[0].isdigit():
                out.extend(_split_case(m.start(), m.group()))
            else:
                out.append((m.start(), m.end()))
    return out


@dataclass
class _Aligned:
    """One original text (normalised) aligned with its sanitized counterpart."""
    norm: str
    src: list[int]
    toks: list[tuple[int, int]]
    kept: list[bool]
    ends: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ends = [e for _, e in self.toks]

    def norm_range(self, start: int, end: int) -> tuple[int, int]:
        return bisect.bisect_left(self.src, start), bisect.bisect_left(self.src, end)

    def survives(self, start: int, end: int) -> bool:
        """Whether every word token of the original range [start, end) is still in place."""
        a, b = self.norm_range(start, end)
        lo = bisect.bisect_right(self.ends, a)
        seen = False
        for i in range(lo, len(self.toks)):
            ts, te = self.toks[i]
            if ts >= b:
                break
            seen = True
            if not self.kept[i]:
                return False
        return seen


_PH = "\x00placeholder"


def _with_separators(text: str, toks: list[tuple[int, int]], stops: list[int]) -> list[str]:
    """Each word with the characters up to the next word (or placeholder): "Street: " and "Street | " differ, which is
    what tells a form label from the same word inside an address."""
    out = []
    for i, (s, e) in enumerate(toks):
        nxt = toks[i + 1][0] if i + 1 < len(toks) else len(text)
        stop = bisect.bisect_right(stops, e)
        if stop < len(stops):
            nxt = min(nxt, stops[stop])
        out.append(text[s:nxt])
    return out


def _output_tokens(sanitized: str) -> tuple[list[str], list[str]]:
    """(words with separators, words) of a sanitized text; each placeholder is one token that matches nothing."""
    strict: list[str] = []
    words: list[str] = []
    pos = 0
    for m in [*_PLACEHOLDER.finditer(sanitized), None]:
        end = m.start() if m else len(sanitized)
        norm, _ = normalise(sanitized[pos:end])
        toks = tokens(norm)
        strict += _with_separators(norm, toks, [])
        words += [norm[a:b] for a, b in toks]
        if m:
            strict.append(_PH)
            words.append(_PH)
            pos = m.end()
    return strict, words


def _align(original: str, sanitized: str, cuts: Iterable[int]) -> _Aligned:
    """Token alignment in two passes: words with their separators first (anchors), then bare words inside the gaps
    (a word whose separator the sanitizer changed is still in place)."""
    norm, src = normalise(original)
    ncuts = sorted({bisect.bisect_left(src, c) for c in cuts})
    toks = tokens(norm, ncuts)
    a_strict = _with_separators(norm, toks, ncuts)
    a_words = [norm[s:e] for s, e in toks]
    b_strict, b_words = _output_tokens(sanitized)
    kept = [False] * len(toks)
    matcher = difflib.SequenceMatcher(None, a_strict, b_strict, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept[i1:i2] = [True] * (i2 - i1)
        elif i1 < i2 and j1 < j2:
            inner = difflib.SequenceMatcher(None, a_words[i1:i2], b_words[j1:j2], autojunk=False)
            for block in inner.get_matching_blocks():
                kept[i1 + block.a:i1 + block.a + block.size] = [True] * block.size
    return _Aligned(norm, src, toks, kept)


def _digit_pattern(value: str) -> re.Pattern[str] | None:
    digits = [c for c in normalise(value)[0] if c.isdigit()]
    if len(digits) < 4:
        return None
    return re.compile(r"(?<!\d)" + r"[^\w]{0,3}".join(map(re.escape, digits)) + r"(?!\d)")


def _count_outside(pattern: re.Pattern[str], text: str, ranges: list[tuple[int, int]]) -> int:
    return sum(1 for m in pattern.finditer(text) if not any(m.start() < e and s < m.end() for s, e in ranges))


def _key_ranges(span: Span, grouped: bool) -> list[tuple[int, int]]:
    out = []
    for key in span.key_parts():
        if grouped and span.category != "NAME" and sum(c.isalnum() for c in key) < 3:
            continue
        at = span.value.find(key)
        if at >= 0:
            out.append((span.start + at, span.start + at + len(key)))
    return out


@dataclass
class Tally:
    values: int = 0
    detected: int = 0

    @property
    def recall(self) -> float:
        return self.detected / self.values if self.values else float("nan")

    def add(self, detected: bool) -> None:
        self.values += 1
        self.detected += int(detected)


@dataclass
class Miss:
    doc_id: str
    category: str
    value: str
    text: str  # the sanitized text around the value (tune split only)


@dataclass
class Report:
    split: str
    documents: int = 0
    values: int = 0
    leaked: int = 0
    by_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_locale: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_subset: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_style: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_class: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_locale_class: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    keep_total: int = 0
    keep_kept: int = 0
    trap_total: int = 0
    trap_kept: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return 1 - self.leak_rate if self.values else float("nan")

    @property
    def leak_rate(self) -> float:
        """Share of labelled PHI values that survive sanitization."""
        return self.leaked / self.values if self.values else float("nan")

    @property
    def nonphi_kept(self) -> float:
        """Share of labelled non-PHI words and terms still in place."""
        return self.keep_kept / self.keep_total if self.keep_total else float("nan")

    @property
    def traps_kept(self) -> float:
        return self.trap_kept / self.trap_total if self.trap_total else float("nan")

    def to_dict(self) -> dict:
        table = lambda d: {k: {"values": t.values, "detected": t.detected, "recall": t.recall} for k, t in sorted(d.items())}  # noqa: E731
        return {"split": self.split, "documents": self.documents, "values": self.values, "leaked": self.leaked,
                "recall": self.recall, "leak_rate": self.leak_rate, "nonphi_kept": self.nonphi_kept,
                "nonphi_total": self.keep_total, "traps_kept": self.traps_kept, "traps_total": self.trap_total,
                "by_category": table(self.by_category), "by_locale": table(self.by_locale),
                "by_subset": table(self.by_subset), "by_style": table(self.by_style), "by_class": table(self.by_class),
                "by_locale_class": {f"{loc}/{cls}": {"values": t.values, "detected": t.detected, "recall": t.recall}
                                    for (loc, cls), t in sorted(self.by_locale_class.items())}}

    def format(self) -> str:
        def table(title: str, rows: dict[str, Tally], order: Iterable[str] | None = None) -> list[str]:
            keys = [k for k in (order or sorted(rows)) if k in rows]
            lines = [f"{title:<20} {'values':>7} {'leaked':>7} {'recall':>7}"]
            lines += [f"{k:<20} {rows[k].values:>7} {rows[k].values - rows[k].detected:>7} {rows[k].recall:>7.3f}"
                      for k in keys]
            return lines + [""]
        out = [f"PHI independent set, split={self.split}: {self.documents} documents, {self.values} labelled values",
               f"recall {self.recall:.4f}   leak rate {self.leak_rate:.2%} ({self.leaked} values)   "
               f"non-PHI kept {self.nonphi_kept:.4f} of {self.keep_total}   traps kept {self.traps_kept:.4f} of "
               f"{self.trap_total}", ""]
        out += table("class", self.by_class, CLASSES)
        out += table("category", self.by_category, CATEGORIES)
        out += table("locale", self.by_locale)
        out.append(f"{'recall (values)':<12} " + " ".join(f"{c:>15}" for c in CLASSES))
        for loc in sorted(self.by_locale):
            cells = []
            for cls in CLASSES:
                t = self.by_locale_class.get((loc, cls))
                cells.append(f"{t.recall:>8.3f} ({t.values:>4})" if t else f"{'-':>15}")
            out.append(f"{loc:<12} " + " ".join(cells))
        out.append("")
        out += table("subset", self.by_subset)
        out += table("style", self.by_style)
        return "\n".join(out)


def score_documents(sanitize: Sanitize, docs: list[Document], split: str = "custom", keep_misses: bool = False) -> Report:
    report = Report(split)
    for doc in docs:
        out = sanitize(list(doc.texts))
        if not isinstance(out, (list, tuple)) or len(out) != len(doc.texts) or not all(isinstance(t, str) for t in out):
            raise ValueError(f"sanitize must return one string per input text ({len(doc.texts)}), got {out!r:.200}")
        _score_one(doc, list(out), report, keep_misses)
    return report


def _score_one(doc: Document, out: list[str], report: Report, keep_misses: bool) -> None:
    report.documents += 1
    aligned = []
    for i, text in enumerate(doc.texts):
        cuts = [c for s in doc.spans if s.text == i for c in (s.start, s.end)]
        cuts += [c for k in doc.keep if k.text == i for c in (k.start, k.end)]
        aligned.append(_align(text, out[i], cuts))
    joined_orig, offsets, pos = [], [], 0
    for a in aligned:
        offsets.append(pos)
        joined_orig.append(a.norm)
        pos += len(a.norm) + 1
    orig_all = "\n".join(joined_orig)
    out_all = "\n".join(normalise(_PLACEHOLDER.sub(" ", t))[0] for t in out)

    for value in doc.values():
        grouped = len(value) > 1 or value[0].group is not None
        leaked = False
        if grouped and all(aligned[s.text].survives(s.start, s.end) for s in value):
            leaked = True
        for s in value:
            if leaked:
                break
            leaked = any(aligned[s.text].survives(a, b) for a, b in _key_ranges(s, grouped))
        ranges = []
        for s in value:
            a, b = aligned[s.text].norm_range(s.start, s.end)
            ranges.append((offsets[s.text] + a, offsets[s.text] + b))
        whole = "".join(s.value for s in value)
        if not leaked and (pattern := _digit_pattern(whole)) is not None:
            leaked = len(pattern.findall(out_all)) > _count_outside(pattern, orig_all, ranges)
        if not leaked and not grouped and _STRUCTURED.search(whole):
            key = normalise(whole)[0]
            pattern = re.compile(re.escape(key))
            leaked = len(pattern.findall(out_all)) > _count_outside(pattern, orig_all, ranges)
        category = value[0].category
        report.values += 1
        report.leaked += int(leaked)
        cls = CLASS_OF[category]
        for table, key in ((report.by_category, category), (report.by_locale, doc.locale),
                           (report.by_subset, doc.subset), (report.by_style, doc.style), (report.by_class, cls),
                           (report.by_locale_class, (doc.locale, cls))):
            table[key].add(not leaked)  # type: ignore[index]
        if leaked and keep_misses:
            s = value[0]
            report.misses.append(Miss(doc.id, category, whole, out[s.text][max(0, s.start - 40):s.end + 40]))
    for k in doc.keep:
        kept = aligned[k.text].survives(k.start, k.end)
        report.keep_total += 1
        report.keep_kept += int(kept)
        if k.trap:
            report.trap_total += 1
            report.trap_kept += int(kept)


def score(sanitize: Sanitize, split: str = "heldout", *, seed: int = DEFAULT_SEED,
          subsets: tuple[str, ...] | None = None, keep_misses: bool = False) -> Report:
    """Scores `sanitize` (texts of one request -> sanitized texts) on one half of the set. Misses (with values) can only
    be kept for the tune half: the held-out half is for reporting."""
    if keep_misses and split != "tune":
        raise ValueError("misses are only listed for the tune split; the held-out half is for reporting only")
    return score_documents(sanitize, documents(split, seed, subsets), split, keep_misses)


# --- prompt injection ------------------------------------------------------------------------------------------------

@dataclass
class ClassTally:
    cases: int = 0
    flagged: int = 0

    @property
    def rate(self) -> float:
        return self.flagged / self.cases if self.cases else float("nan")


@dataclass
class InjectionReport:
    split: str
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0
    by_class: dict[str, ClassTally] = field(default_factory=lambda: defaultdict(ClassTally))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def false_positive_rate(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else float("nan")

    def class_precision(self, cls: str) -> float:
        """Precision against all negatives if `cls` were the only kind of attack: TP_cls / (TP_cls + FP)."""
        t = self.by_class[cls]
        return t.flagged / (t.flagged + self.fp) if t.flagged + self.fp else float("nan")

    def to_dict(self) -> dict:
        classes = {}
        for cls, t in sorted(self.by_class.items()):
            row = {"cases": t.cases, "flagged": t.flagged}
            if cls in POSITIVE_CLASSES:
                row.update(recall=t.rate, precision=self.class_precision(cls))
            else:
                row.update(false_positive_rate=t.rate)
            classes[cls] = row
        return {"split": self.split, "tp": self.tp, "fp": self.fp, "tn": self.tn, "fn": self.fn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "false_positive_rate": self.false_positive_rate, "by_class": classes}

    def format(self) -> str:
        out = [f"prompt injection, split={self.split}: {self.tp + self.fn} positives, {self.fp + self.tn} negatives",
               f"precision {self.precision:.3f}   recall {self.recall:.3f}   F1 {self.f1:.3f}   "
               f"false-positive rate {self.false_positive_rate:.3f}", "",
               f"{'positive class':<28} {'cases':>6} {'recall':>7} {'precision':>10}"]
        out += [f"{c:<28} {self.by_class[c].cases:>6} {self.by_class[c].rate:>7.3f} {self.class_precision(c):>10.3f}"
                for c in POSITIVE_CLASSES if c in self.by_class]
        out += ["", f"{'negative class':<28} {'cases':>6} {'false-positive rate':>20}"]
        out += [f"{c:<28} {self.by_class[c].cases:>6} {self.by_class[c].rate:>20.3f}"
                for c in NEGATIVE_CLASSES if c in self.by_class]
        return "\n".join(out)


def score_injection(classify: Classify, split: str = "heldout") -> InjectionReport:
    """Scores `classify` (prompt text -> True when it is an injection attempt) on one half of the injection sets."""
    report = InjectionReport(split)
    for case in injection_set(split):
        flagged = bool(classify(case.text))
        t = report.by_class[case.cls]
        t.cases += 1
        t.flagged += int(flagged)
        if case.injection:
            report.tp += int(flagged)
            report.fn += int(not flagged)
        else:
            report.fp += int(flagged)
            report.tn += int(not flagged)
    return report


# --- reference sanitizers (the set's own checks, and a floor and ceiling for any real one) -------------------------

def identity(texts: list[str]) -> list[str]:
    return list(texts)


def make_oracle(docs: Iterable[Document]) -> Sanitize:
    """A sanitizer that replaces exactly the labelled spans with placeholders (recall 1, leak 0, non-PHI kept 1)."""
    by_texts = {d.texts: d for d in docs}

    def oracle(texts: list[str]) -> list[str]:
        doc = by_texts[tuple(texts)]
        out = list(texts)
        numbers: dict[tuple[str, str], int] = {}
        for span in sorted(doc.spans, key=lambda s: (s.text, -s.start)):
            n = numbers.setdefault((span.category, span.value), len(numbers) + 1)
            t = out[span.text]
            out[span.text] = f"{t[:span.start]}[PHI_{span.category}_{n}]{t[span.end:]}"
        return out
    return oracle
