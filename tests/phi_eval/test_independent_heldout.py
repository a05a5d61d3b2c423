"""Issue 15's measure: the real detector (through ``tests.phi_eval.radiant_adapter``, all texts of a document as one
request) scored black-box on the held-out half of the independent set (tests/phi_eval/independent), which nobody
tuned against (misses were only ever read on the tune half: ``python -m tests.phi_eval.tune_misses``).

The issue's class targets are asserted as such; the other classes, the leak rate and every locale are asserted at a
floor a little below what was measured on this half, so a change that loses ground shows. Measured when the floors
were last set (2026-12-07): recall 0.990, leak rate 1.04 %, non-PHI kept 0.975; names 0.987, street lines 0.984,
structured ids 0.995, cities 0.989, postcodes 0.985, dates and ages 0.989; every locale with 100 values or more at
0.95 or above. Some locale x class cells are still below the class targets (street lines in en_AU and lt_LT; names
in en_US; structured ids in a few locales): the per-locale floor is on a locale's values as a whole."""
import pytest

from tests.phi_eval.independent import score
from tests.phi_eval.radiant_adapter import sanitize

TARGETS = {"names": 0.95, "street lines": 0.95, "structured ids": 0.99}
FLOORS = {"cities": 0.98, "postcodes": 0.975, "dates, ages": 0.985, "street lines": 0.975}
MAX_LEAK_RATE = 0.02
MEASURED_LEAK_CEILING = 0.013  # what this half leaked when the floors were set (1.04 %), with a little room
MIN_NONPHI_KEPT = 0.95
MIN_LOCALE_RECALL = 0.95


@pytest.fixture(scope="module")
def report():
    return score(sanitize, split="heldout")


def test_the_issue_targets_by_class(report):
    low = {c: round(report.by_class[c].recall, 4) for c, target in TARGETS.items() if report.by_class[c].recall < target}
    assert not low, (low, report.format())


def test_the_other_classes_keep_their_floors(report):
    low = {c: round(report.by_class[c].recall, 4) for c, floor in FLOORS.items() if report.by_class[c].recall < floor}
    assert not low, (low, report.format())


def test_leak_rate_and_non_phi_words_kept(report):
    assert report.leak_rate <= min(MAX_LEAK_RATE, MEASURED_LEAK_CEILING), report.format()
    assert report.nonphi_kept >= MIN_NONPHI_KEPT and report.traps_kept >= MIN_NONPHI_KEPT


def test_every_locale_keeps_its_values(report):
    weak = {loc: round(t.recall, 3) for loc, t in report.by_locale.items()
            if t.values >= 100 and t.recall < MIN_LOCALE_RECALL}
    assert not weak, weak
