"""The issue's recall targets on the independently written held-out set (tests/phi_eval/holdout.py), on seeds the
detector was not tuned against. Its templates were written without reading the detector; two other seeds (7321, 11)
were used while fixing the classes of misses it revealed, so only fresh seeds are asserted here."""
import pytest

from tests.phi_eval.holdout import evaluate

STRUCTURED = ("ZIP", "DOB", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MEDICAL_RECORD", "INSURANCE_ID", "ACCOUNT",
              "LICENSE", "VEHICLE", "DEVICE", "URL", "IP_ADDRESS")


@pytest.fixture(scope="module", params=[4242, 90210])
def report(request):
    return evaluate(seed=request.param)


def test_structured_identifiers_recall_at_least_0_99(report):
    low = {c: round(report["categories"][c]["recall"], 4) for c in STRUCTURED
           if report["categories"][c]["n"] and report["categories"][c]["recall"] < 0.99}
    assert not low, f"seed {report['seed']}: {low}"


def test_names_and_addresses_recall_at_least_0_95(report):
    for c in ("NAME", "ADDRESS"):
        assert report["categories"][c]["recall"] >= 0.95, (report["seed"], c, report["categories"][c])


def test_non_phi_words_kept_at_least_0_95(report):
    # DIAGNOSIS and TREATMENT (off by default) remove clinical words by design; the default policy keeps the rest.
    assert report["non_phi_kept_default_categories"] >= 0.95
