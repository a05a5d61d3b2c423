"""Recall per category and non-PHI words kept on the generated evaluation set (targets from DESIGN.md)."""

import pytest

from services.phi.detection import Detector

from .report import STRUCTURED, build_docs, evaluate, markdown


@pytest.fixture(scope="module")
def result():
    res = evaluate(build_docs(), Detector())
    print("\n" + markdown(res))
    return res


def test_size_and_coverage(result):
    assert sum(result.n.values()) >= 2000
    from services.phi.detection import CATEGORIES
    assert set(CATEGORIES) <= set(result.n), set(CATEGORIES) - set(result.n)


@pytest.mark.parametrize("cat", STRUCTURED)
def test_structured_recall(result, cat):
    assert result.recall(cat) >= 0.99, (cat, result.recall(cat), result.missed.get(cat, [])[:10])


@pytest.mark.parametrize("cat", ["NAME", "ADDRESS"])
def test_name_address_recall(result, cat):
    assert result.recall(cat) >= 0.95, (cat, result.recall(cat), result.missed.get(cat, [])[:10])


def test_non_phi_words_kept(result):
    assert result.kept >= 0.95


def test_labels_mostly_right(result):
    # coverage is what protects the data; the category should also be right most of the time
    for cat in STRUCTURED + ("NAME", "ADDRESS"):
        assert result.typed_recall(cat) >= 0.9, (cat, result.typed_recall(cat))
