"""How the router reads a provider's embeddings answer: vectors back in input order whatever order they came in, and
a 502 PROVIDER_ERROR (never a crash, never a misaligned vector) when the answer does not hold one per input."""
import pytest

from services.router.pipeline.core import _embedding_vectors
from services.runtime.errors import ProviderError


def test_vectors_come_back_in_input_order():
    answer = {"data": [{"index": 1, "embedding": [0.2]}, {"index": 0, "embedding": "AAAA"}]}
    assert _embedding_vectors(answer, 2, "p") == ["AAAA", [0.2]]


@pytest.mark.parametrize("answer", [
    {},
    {"data": "nope"},
    {"data": [{"index": 0, "embedding": [0.1]}]},
    {"data": [{"index": 0, "embedding": [0.1]}, {"index": 0, "embedding": [0.2]}]},
    {"data": [{"index": 0, "embedding": [0.1]}, {"index": 2, "embedding": [0.2]}]},
    {"data": [{"index": "0", "embedding": [0.1]}, {"index": 1, "embedding": [0.2]}]},
    {"data": [{"index": 0, "embedding": None}, {"index": 1, "embedding": [0.2]}]},
    {"data": [None, {"index": 1, "embedding": [0.2]}]},
], ids=["no data", "data not a list", "one short", "duplicate index", "index out of range", "index not an int",
        "no vector", "item not an object"])
def test_answers_without_one_vector_per_input_are_provider_errors(answer):
    with pytest.raises(ProviderError) as caught:
        _embedding_vectors(answer, 2, "demo")
    assert caught.value.http_status == 502 and "demo" in caught.value.message
