"""The tenant's prompt checks as Sanitize applies them: prompt-injection findings flagged or refused, PHI refused
instead of redacted (PII block mode). Errors name kinds or categories and positions ("texts.<i>": text i of the
request), never the text."""
from __future__ import annotations

from radiant.phi.v1 import phi_pb2
from services.phi.detection import SECRET_CATEGORY, Detection
from services.phi.injection import InjectionDetector
from services.runtime.errors import PiiDetectedError, PromptInjectionError

MAX_LISTED = 20  # positions listed per text in an error


def _positions(found: dict[int, list[str]]) -> dict[str, list[str]]:
    return {f"texts.{i}": items[:MAX_LISTED] + ([f"... and {len(items) - MAX_LISTED} more"]
                                               if len(items) > MAX_LISTED else [])
            for i, items in sorted(found.items())}


def check_injection(detector: InjectionDetector, texts: list[str], action: str) -> list[phi_pb2.PromptFinding]:
    """Findings to report (action "flag"); raises PromptInjectionError (action "block"); nothing when "off"."""
    if action == "off":
        return []
    findings = [phi_pb2.PromptFinding(kind=f.kind, text_index=i, start=f.start, end=f.end)
                for i, text in enumerate(texts) for f in detector.find(text)]
    if findings and action == "block":
        kinds = sorted({f.kind for f in findings})
        found: dict[int, list[str]] = {}
        for f in findings:
            found.setdefault(f.text_index, []).append(f"{f.kind} at {f.start}-{f.end}")
        raise PromptInjectionError(
            f"The request looks like a prompt injection ({', '.join(kinds)}) and this tenant's policy refuses such "
            "requests", details={"kinds": kinds, **_positions(found)})
    return findings


def refuse_phi(detections: list[list[Detection]]) -> None:
    """PII block mode: any PHI found refuses the request (secrets follow the tenant's secrets action instead)."""
    found: dict[int, list[str]] = {}
    categories: set[str] = set()
    for i, spans in enumerate(detections):
        for d in spans:
            if d.category != SECRET_CATEGORY:
                categories.add(d.category)
                found.setdefault(i, []).append(f"{d.category} at {d.start}-{d.end}")
    if found:
        cats = sorted(categories)
        raise PiiDetectedError(
            f"The request contains PHI ({', '.join(cats)}) and this tenant's PHI policy refuses such requests "
            "instead of redacting them", details={"categories": cats, **_positions(found)})
