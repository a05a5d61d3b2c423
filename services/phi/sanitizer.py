"""Replace detected PHI with per-request placeholders. The same original value gets the same placeholder across all
texts of a request; placeholders are numbered per category and never derived from the value they hide."""
from __future__ import annotations

from dataclasses import dataclass, field

from services.phi.detection import SECRET_CATEGORY, Detection, Detector
from services.phi.detection.across import across_boundaries, merge
from services.runtime.placeholders import ESCAPED_CATEGORY, PLACEHOLDER_RE, placeholder
from services.runtime.errors import SensitiveDataError


@dataclass(frozen=True, slots=True)
class Match:
    category: str
    text_index: int
    start: int
    end: int
    placeholder: str
    confidence: float


@dataclass(slots=True)
class SanitizeResult:
    texts: list[str]
    mapping: dict[str, str] = field(default_factory=dict)  # placeholder -> original
    matches: list[Match] = field(default_factory=list)

    def category_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in self.matches:
            counts[m.category] = counts.get(m.category, 0) + 1
        return counts


def _escapes(text: str) -> list[Detection]:
    if "[PHI_" not in text:
        return []
    return [Detection(ESCAPED_CATEGORY, m.start(), m.end(), 1.0) for m in PLACEHOLDER_RE.finditer(text)]


def _merge(escapes: list[Detection], found: list[Detection]) -> list[Detection]:
    """Literal placeholders win over any detection that overlaps them."""
    if not escapes:
        return found
    kept = [d for d in found if not any(d.start < e.end and e.start < d.end for e in escapes)]
    return sorted(escapes + kept, key=lambda d: d.start)


class Sanitizer:
    def __init__(self, detector: Detector | None = None) -> None:
        self.detector = detector or Detector()

    def detect(self, texts: list[str], categories: frozenset[str],
               groups: list[int] | None = None) -> list[list[Detection]]:
        """Detections per text, including values split across the boundaries of consecutive texts of one group
        (``groups[i]`` is text i's group; None: all texts form one group)."""
        if not categories:
            return [[] for _ in texts]
        found = [self.detector.detect(text, categories) for text in texts]
        if len(texts) > 1:
            for index, extra in across_boundaries(self.detector.detect, self.detector.ordinary_word, texts, categories, groups).items():
                found[index] = merge(found[index], extra)
        return found

    def sanitize(self, texts: list[str], categories: frozenset[str], reject_secrets: bool = False,
                 groups: list[int] | None = None) -> SanitizeResult:
        """categories: what to replace (may include SECRET). reject_secrets: raise SensitiveDataError when a secret is
        found instead of replacing it (SECRET must then be in categories). A value split between consecutive texts of
        one group is replaced piece by piece, each piece in its own text by a placeholder that restores that piece."""
        return self.replace(texts, self.detect(texts, categories, groups), reject_secrets)

    def replace(self, texts: list[str], detections: list[list[Detection]],
                reject_secrets: bool = False) -> SanitizeResult:
        result = SanitizeResult(texts=[])
        assigned: dict[tuple[str, str], str] = {}
        counters: dict[str, int] = {}
        for index, (text, found) in enumerate(zip(texts, detections, strict=True)):
            if reject_secrets and any(d.category == SECRET_CATEGORY for d in found):
                raise SensitiveDataError("The request contains a secret (API key, private key, token or password); "
                                         "remove it and retry", details={"messages": [f"text {index} contains a secret"]})
            spans = _merge(_escapes(text), found)
            if not spans:
                result.texts.append(text)
                continue
            parts: list[str] = []
            pos = 0
            for d in spans:
                original = text[d.start:d.end]
                key = (d.category, original)
                ph = assigned.get(key)
                if ph is None:
                    counters[d.category] = n = counters.get(d.category, 0) + 1
                    ph = assigned[key] = placeholder(d.category, n)
                    result.mapping[ph] = original
                parts.append(text[pos:d.start])
                parts.append(ph)
                pos = d.end
                result.matches.append(Match(d.category, index, d.start, d.end, ph, d.confidence))
            parts.append(text[pos:])
            result.texts.append("".join(parts))
        return result
