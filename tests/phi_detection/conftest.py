import pytest

from services.phi.detection import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()


def found(detector: Detector, text: str, categories=None) -> list[tuple[str, str]]:
    return [(d.category, text[d.start:d.end]) for d in detector.detect(text, categories)]
