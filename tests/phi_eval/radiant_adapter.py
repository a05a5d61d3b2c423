"""Radiant's sanitizer and injection check in the shapes the independent scorer takes (tests/phi_eval/independent):
``sanitize(texts) -> texts`` for all texts of one request (one group, as the gateway sends a conversation), and
``is_injection(prompt) -> bool``."""
from __future__ import annotations

from services.phi.detection import DEFAULT_ENABLED, SECRET_CATEGORY
from services.phi.injection import InjectionDetector
from services.phi.sanitizer import Sanitizer

_SANITIZER = Sanitizer()
_CATEGORIES = DEFAULT_ENABLED | {SECRET_CATEGORY}
_INJECTION = InjectionDetector()


def sanitize(texts: list[str]) -> list[str]:
    return _SANITIZER.sanitize(list(texts), _CATEGORIES).texts


def is_injection(prompt: str) -> bool:
    return bool(_INJECTION.find(prompt))
