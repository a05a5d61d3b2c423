"""The labelled document model of the independent PHI evaluation set, and the builder every subset uses to write one.

A document is one request: one or more texts (split cases have several), the PHI values in them as labelled spans, and the
non-PHI words whose survival gives the retention figure. Offsets are code points into the original texts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CATEGORIES: tuple[str, ...] = (
    "NAME", "ADDRESS", "CITY", "ZIP", "DOB", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MEDICAL_RECORD",
    "INSURANCE_ID", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP_ADDRESS", "BIOMETRIC", "PHOTO", "OTHER_ID",
    "SECRET",
)
# Lower-case particles inside personal names that identify nobody on their own ("van", "de", "dos").
NAME_PARTICLES = frozenset(
    "van von der den de del della di da das dos du la le af av zu ten ter bin binti bint y e al el".split()
)
# Titles and honorifics next to a name are not part of what identifies the person.
NAME_TITLES = frozenset(
    "Dr Mr Mrs Ms Miss Mx Prof Sir Herr Frau Mme Mlle Sr Sra Dona Doña Dom Sig Dott Pan Pani MUDr Bay Bayan".split()
)
_NAME_TOKEN = re.compile(r"[^\W\d_]{2,}")
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Span:
    """One labelled PHI value (or one part of a value split across texts: parts share `group`)."""
    start: int
    end: int
    category: str
    value: str
    text: int = 0
    group: str | None = None
    # Substrings of `value` that must not survive either (e.g. the street name of an address line); names get their
    # tokens automatically, see `key_parts`.
    keys: tuple[str, ...] = ()

    def key_parts(self) -> tuple[str, ...]:
        if self.category == "NAME":
            tokens = [t for t in _NAME_TOKEN.findall(self.value) if t not in NAME_PARTICLES and t not in NAME_TITLES]
            return tuple(dict.fromkeys([self.value, *tokens]))
        return tuple(dict.fromkeys([self.value, *self.keys]))


@dataclass(frozen=True)
class Keep:
    """A non-PHI word or term that a sanitizer must leave alone. `trap` marks hand-picked terms that look like PHI
    (Baker's cyst, May improve, Apgar 9, doses, room numbers); the other words are the ordinary text around the PHI."""
    start: int
    end: int
    term: str
    text: int = 0
    trap: bool = False


@dataclass(frozen=True)
class Document:
    id: str
    texts: tuple[str, ...]
    spans: tuple[Span, ...]
    keep: tuple[Keep, ...]
    locale: str
    style: str
    subset: str  # generated | adversarial | disguise | split

    @property
    def text(self) -> str:
        """The text of a one-text document (split documents have several, see `texts`)."""
        return "\n".join(self.texts)

    def values(self) -> list[tuple[Span, ...]]:
        """The labelled values: a value is one span, or the parts of a value split across texts."""
        out: dict[object, list[Span]] = {}
        for i, span in enumerate(self.spans):
            out.setdefault(span.group if span.group is not None else i, []).append(span)
        return [tuple(v) for v in out.values()]


@dataclass
class Builder:
    """Writes a document piece by piece: literal text (its words become non-PHI `Keep` items), PHI values (spans), trap
    terms, and unlabelled text (clinic names and other words that are neither PHI nor worth counting)."""
    _texts: list[list[str]] = field(default_factory=lambda: [[]])
    _spans: list[Span] = field(default_factory=list)
    _keep: list[Keep] = field(default_factory=list)
    _auto: list[Keep] = field(default_factory=list)
    _group: int = 0

    def _pos(self) -> int:
        return sum(len(p) for p in self._texts[-1])

    def lit(self, s: str) -> Builder:
        base, index = self._pos(), len(self._texts) - 1
        for m in WORD.finditer(s):
            self._auto.append(Keep(base + m.start(), base + m.end(), m.group(), index))
        self._texts[-1].append(s)
        return self

    def raw(self, s: str) -> Builder:
        self._texts[-1].append(s)
        return self

    def term(self, s: str) -> Builder:
        start = self._pos()
        self._texts[-1].append(s)
        self._keep.append(Keep(start, start + len(s), s, len(self._texts) - 1, trap=True))
        return self

    def phi(self, category: str, value: str, keys: tuple[str, ...] = (), group: str | None = None) -> Builder:
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        if not value or value != value.strip():
            raise ValueError(f"PHI value must be non-empty without surrounding blanks: {value!r}")
        for key in keys:
            if key not in value:
                raise ValueError(f"key {key!r} is not part of {value!r}")
        start = self._pos()
        self._texts[-1].append(value)
        self._spans.append(Span(start, start + len(value), category, value, len(self._texts) - 1, group, keys))
        return self

    def new_group(self) -> str:
        self._group += 1
        return f"g{self._group}"

    def next_text(self) -> Builder:
        self._texts.append([])
        return self

    def build(self, doc_id: str, locale: str, style: str, subset: str) -> Document:
        texts = tuple("".join(parts) for parts in self._texts)
        spans = sorted(self._spans, key=lambda s: (s.text, s.start))
        keep = list(self._keep)
        for k in self._auto:
            text = texts[k.text]
            glued = (k.start > 0 and text[k.start - 1].isalnum()) or (k.end < len(text) and text[k.end].isalnum())
            if not glued:  # a word glued to a PHI value ("chart" in "chartMRN0041") is not counted either way
                keep.append(k)
        keep.sort(key=lambda k: (k.text, k.start))
        return Document(doc_id, texts, tuple(spans), tuple(keep), locale, style, subset)


_MARKUP = re.compile(r"\[\[([A-Z_]+)(?:@(\w+))?\|(.+?)(?:\|([^\]]*))?\]\]|\{\{(.+?)\}\}|<<(.+?)>>", re.S)


def from_markup(builder: Builder, text: str) -> Builder:
    """Appends hand-labelled text: `[[CATEGORY|value]]` (optionally `[[CATEGORY|value|key;key]]`, `[[CATEGORY@g|value]]`
    for parts of one value in several texts) marks PHI, `{{term}}` marks a non-PHI trap term, `<<text>>` is neither (a
    hospital's name: not the patient's identifier, not a word a detector must keep), the rest is ordinary text.
    A line `---` starts the next text of the request."""
    chunks = text.split("\n---\n")
    groups: dict[str, str] = {}
    for n, chunk in enumerate(chunks):
        if n:
            builder.next_text()
        pos = 0
        for m in _MARKUP.finditer(chunk):
            if m.start() > pos:
                builder.lit(chunk[pos:m.start()])
            if m.group(5) is not None:
                builder.term(m.group(5))
            elif m.group(6) is not None:
                builder.raw(m.group(6))
            else:
                group = None
                if m.group(2):
                    group = groups.setdefault(m.group(2), builder.new_group())
                keys = tuple(k for k in (m.group(4) or "").split(";") if k)
                builder.phi(m.group(1), m.group(3), keys, group)
            pos = m.end()
        if pos < len(chunk):
            builder.lit(chunk[pos:])
    return builder
