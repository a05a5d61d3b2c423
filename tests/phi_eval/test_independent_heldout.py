"""Issue 15's measure: the real detector (through ``tests.phi_eval.radiant_adapter``, all texts of a document as one
request) scored black-box on the held-out half of the independent set (tests/phi_eval/independent), which nobody
tuned against. The issue's targets are not all met yet (see /work/notes/issue-15.md): names meet theirs; the other
figures are asserted at what was measured on this half (a floor a change must not go below), with the targets beside
them so the gap stays visible."""
import pytest

from tests.phi_eval.independent import score
from tests.phi_eval.radiant_adapter import sanitize

TARGETS = {"names": 0.95, "street lines": 0.95, "structured ids": 0.99}
# measured on the held-out half when this test was written (recall 0.922, leak 7.8 %, non-PHI kept 0.976)
FLOORS = {"names": 0.95, "street lines": 0.88, "structured ids": 0.915, "cities": 0.82, "postcodes": 0.92,
          "dates, ages": 0.92}
MAX_LEAK_RATE = 0.085  # target 0.02
MIN_NONPHI_KEPT = 0.95  # target 0.95


@pytest.fixture(scope="module")
def report():
    return score(sanitize, split="heldout")


def test_recall_by_class_on_the_held_out_half(report):
    low = {c: round(report.by_class[c].recall, 4) for c, floor in FLOORS.items() if report.by_class[c].recall < floor}
    assert not low, (low, report.format())


def test_names_meet_the_issue_target(report):
    assert report.by_class["names"].recall >= TARGETS["names"]


def test_leak_rate_and_non_phi_words_kept(report):
    assert report.leak_rate <= MAX_LEAK_RATE, report.format()
    assert report.nonphi_kept >= MIN_NONPHI_KEPT and report.traps_kept >= MIN_NONPHI_KEPT


def test_every_locale_keeps_most_of_its_values(report):
    weak = {loc: round(t.recall, 3) for loc, t in report.by_locale.items() if t.values >= 100 and t.recall < 0.80}
    assert not weak, weak
