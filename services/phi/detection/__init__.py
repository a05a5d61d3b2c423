"""PHI detection engine: fast, dependency-free recognisers for the HIPAA Safe Harbor identifiers and secrets.

    from services.phi.detection import Detector
    spans = Detector().detect(text)            # -> list[Detection], sorted, non-overlapping
"""

from .categories import CATEGORIES, DEFAULT_ENABLED, SECRET_CATEGORY
from .detector import Detection, Detector, SpanDetector

__all__ = ["CATEGORIES", "DEFAULT_ENABLED", "SECRET_CATEGORY", "Detection", "Detector", "SpanDetector"]
