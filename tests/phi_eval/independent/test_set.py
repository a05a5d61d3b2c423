"""Tests of the independent PHI evaluation set and its scorer. They never touch the detector: the scorer is checked
with sanitizers written here (the oracle, the identity, and deliberately partial ones)."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from . import dataset
from .__main__ import main
from .adversarial import NOTES
from .dataset import all_documents, documents, injection_set, split_of
from .generated import generated_documents
from .injection import NEGATIVE_CLASSES, POSITIVE_CLASSES, injection_cases
from .locales import PROFILES
from .model import CATEGORIES, Builder, from_markup
from .scorer import identity, make_oracle, score, score_documents, score_injection

HALVES = ("tune", "heldout")
PINNED_HALVES = ["tune", "heldout", "tune", "tune", "tune", "tune"]


def _values(split: str) -> Counter:
    return Counter(v[0].category for d in documents(split) for v in d.values())


def test_every_span_and_kept_word_is_where_it_says():
    for doc in all_documents():
        for s in doc.spans:
            assert doc.texts[s.text][s.start:s.end] == s.value, (doc.id, s)
            assert s.category in CATEGORIES
            assert all(k in s.value for k in s.keys), (doc.id, s)
        for k in doc.keep:
            assert doc.texts[k.text][k.start:k.end] == k.term, (doc.id, k)


def test_spans_do_not_overlap_each_other_or_the_kept_words():
    for doc in all_documents():
        for i in range(len(doc.texts)):
            ranges = sorted([(s.start, s.end, "phi") for s in doc.spans if s.text == i]
                            + [(k.start, k.end, "keep") for k in doc.keep if k.text == i])
            for (a0, a1, ka), (b0, b1, kb) in zip(ranges, ranges[1:]):
                assert a1 <= b0, (doc.id, ka, doc.texts[i][a0:a1], kb, doc.texts[i][b0:b1])


def test_no_markup_or_template_slot_is_left_in_any_text():
    for doc in all_documents():
        for t in doc.texts:
            assert "[[" not in t and "{{" not in t and "<<" not in t, doc.id
            assert "{p." not in t and "{d." not in t and "{date" not in t, doc.id


@pytest.mark.parametrize("split", HALVES)
def test_each_half_has_every_category_ten_locales_and_the_sizes(split):
    counts = _values(split)
    assert set(counts) == set(CATEGORIES)
    assert sum(counts.values()) >= 1500
    for major in ("NAME", "ADDRESS", "ZIP", "PHONE"):
        assert counts[major] >= 300, (major, counts[major])
    assert min(counts.values()) >= 30, counts
    generated = [d for d in documents(split) if d.subset == "generated"]
    faker_locales = {d.locale for d in generated}
    assert len(faker_locales) >= 10 and faker_locales <= set(PROFILES)
    per_locale = Counter(d.locale for d in generated for v in d.values() if v[0].category in ("NAME", "ADDRESS", "ZIP", "PHONE"))
    assert all(n >= 40 for n in per_locale.values()), per_locale
    assert {d.subset for d in documents(split)} == set(dataset.SUBSETS)


def test_hand_written_notes_and_injection_sets_are_big_enough():
    assert len(NOTES) >= 60
    cases = injection_cases()
    assert sum(c.injection for c in cases) >= 150
    assert sum(not c.injection for c in cases) >= 150
    assert len({c.text for c in cases}) == len(cases), "duplicate prompts"
    for split in HALVES:
        classes = {c.cls for c in injection_set(split)}
        assert classes == set(POSITIVE_CLASSES) | set(NEGATIVE_CLASSES), split


def test_split_is_deterministic_disjoint_and_about_half():
    ids = [d.id for d in all_documents()]
    assert len(ids) == len(set(ids))
    tune, held = {d.id for d in documents("tune")}, {d.id for d in documents("heldout")}
    assert not tune & held and tune | held == set(ids)
    assert 0.45 < len(tune) / len(ids) < 0.55
    # the assignment depends on the id alone (sha256), so it is the same on every run and machine
    # pinned, so a change to the hashing that would reshuffle the held-out half fails here
    pinned = ("gen-en_GB-000", "gen-sv_SE-001", "adv-000", "disg-ssn-zwsp-0", "inj-instruction_override-000",
              "inj-benign_clinical-001")
    assert [split_of(i) for i in pinned] == PINNED_HALVES
    inj_tune = {c.id for c in injection_set("tune")}
    inj_held = {c.id for c in injection_set("heldout")}
    assert not inj_tune & inj_held and len(inj_tune | inj_held) == len(injection_cases())


def test_generation_is_deterministic_per_seed():
    assert generated_documents(3, per_locale=3) == generated_documents(3, per_locale=3)
    assert generated_documents(3, per_locale=3) != generated_documents(4, per_locale=3)
    all_documents.cache_clear()
    first = all_documents()
    all_documents.cache_clear()
    assert all_documents() == first


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()][::-1]
    return sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits)) % 10 == 0


def test_generated_identifiers_carry_valid_check_digits():
    checked = Counter()
    for doc in documents("all", subsets=("generated",)):
        for s in doc.spans:
            compact = "".join(c for c in s.value if c.isalnum())
            if s.category == "ACCOUNT" and compact[:2].isalpha():  # IBAN: mod 97 == 1
                rearranged = compact[4:] + compact[:4]
                assert int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1, s.value
                checked["iban"] += 1
            elif s.category == "ACCOUNT" and len(compact) in (15, 16) and compact.isdigit():
                assert _luhn_ok(compact), s.value
                checked["card"] += 1
            elif s.category == "DEVICE" and len(compact) == 15 and compact.isdigit():
                assert _luhn_ok(compact), s.value  # IMEI
                checked["imei"] += 1
            elif s.category == "LICENSE" and doc.texts[s.text][:s.start].rstrip().endswith("NPI"):
                assert _luhn_ok("80840" + compact), s.value  # NPI
                checked["npi"] += 1
    assert min(checked.values()) > 5 and len(checked) == 4, checked


@pytest.mark.parametrize("split", HALVES)
def test_oracle_scores_perfectly_and_identity_scores_zero(split):
    docs = documents(split)
    oracle = score_documents(make_oracle(docs), docs, split)
    assert oracle.recall == 1.0 and oracle.leak_rate == 0.0
    assert oracle.nonphi_kept == 1.0 and oracle.traps_kept == 1.0
    assert all(t.recall == 1.0 for t in oracle.by_category.values())
    nothing = score(identity, split)
    assert nothing.recall == 0.0 and nothing.leak_rate == 1.0 and nothing.nonphi_kept == 1.0
    assert all(t.recall == 0.0 for t in nothing.by_locale.values())


def _doc(markup: str):
    return from_markup(Builder(), markup).build("t", "en_US", "test", "adversarial")


def _replacing(*olds: str):
    def sanitize(texts):
        out = []
        for t in texts:
            for n, old in enumerate(olds):
                t = t.replace(old, f"[PHI_X_{n}]")
            out.append(t)
        return out
    return sanitize


def test_a_name_counts_as_leaked_while_any_of_its_tokens_survives_at_its_place():
    doc = _doc("Seen: [[NAME|May Carter]]. Symptoms {{may improve}}. May we call?")
    assert score_documents(_replacing("Carter"), [doc]).leaked == 1
    full = score_documents(_replacing("May Carter"), [doc])
    assert full.leaked == 0 and full.nonphi_kept == 1.0


def test_survival_is_judged_in_place_not_by_counting_words():
    doc = _doc("Mr [[NAME|Stone]] has {{Stone formation}} in the kidney.")
    swapped = score_documents(_replacing("Stone formation"), [doc])  # removes the trap, keeps the name
    assert swapped.leaked == 1 and swapped.traps_kept == 0.0
    right = score_documents(lambda ts: [ts[0].replace("Mr Stone", "Mr [PHI_NAME_1]")], [doc])
    assert right.leaked == 0 and right.traps_kept == 1.0


def test_digit_runs_and_disguises_still_count_as_leaks():
    doc = _doc("SSN [[SSN|536-90-4399]] and phone [[PHONE|020\u200b7946\u200b0958]].")
    reformatted = score_documents(lambda ts: [ts[0].replace("536-90-4399", "536 90 4399")], [doc])
    assert reformatted.by_category["SSN"].recall == 0.0
    unzeroed = score_documents(lambda ts: [ts[0].replace("\u200b", "")], [doc])
    assert unzeroed.by_category["PHONE"].recall == 0.0
    partial = score_documents(_replacing("4399"), [doc])  # 536-90 is left: no 4-digit run, value gone
    assert partial.by_category["SSN"].recall == 1.0


def test_a_split_value_is_detected_only_when_every_part_is_gone():
    doc = _doc("My SSN is [[SSN@a|536-90-]]\n---\n[[SSN@a|4399]], please update it. Name [[NAME@b|Ingrid]]\n---\n[[NAME@b|Lindqvist]]")
    assert len(doc.texts) == 3 and len(doc.values()) == 2
    assert score_documents(_replacing("4399", "Lindqvist"), [doc]).leaked == 2
    both = score_documents(_replacing("536-90-", "4399", "Ingrid", "Lindqvist"), [doc])
    assert both.leaked == 0 and both.nonphi_kept == 1.0


def test_glued_identifiers_are_checked():
    doc = _doc("chartMRN[[MEDICAL_RECORD|00412345]] Surname[[NAME|OKAFOR]]")
    assert score_documents(identity, [doc]).leaked == 2
    assert score_documents(_replacing("00412345", "OKAFOR"), [doc]).leaked == 0


def test_bad_sanitizer_output_and_held_out_misses_are_refused():
    doc = _doc("Hi [[NAME|Ann]]")
    with pytest.raises(ValueError, match="one string per input text"):
        score_documents(lambda ts: ts + ["extra"], [doc])
    with pytest.raises(ValueError, match="tune split"):
        score(identity, "heldout", keep_misses=True)
    with pytest.raises(ValueError, match="split must be"):
        documents("test")


def test_injection_scoring():
    truth = {c.text: c.injection for c in injection_cases()}
    perfect = score_injection(lambda t: truth[t], "heldout")
    assert perfect.precision == 1.0 and perfect.recall == 1.0 and perfect.false_positive_rate == 0.0
    never = score_injection(lambda t: False, "heldout")
    assert never.recall == 0.0 and never.tp == 0 and never.tn == len([c for c in injection_set("heldout") if not c.injection])
    assert all(never.by_class[c].rate == 0.0 for c in POSITIVE_CLASSES)
    always = score_injection(lambda t: True, "tune")
    assert always.false_positive_rate == 1.0 and all(always.by_class[c].rate == 1.0 for c in NEGATIVE_CLASSES)


def test_cli_prints_tables_and_json(capsys):
    assert main(["--sanitize", "oracle", "--split", "tune", "--subset", "adversarial", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["phi"]["recall"] == 1.0 and out["phi"]["by_subset"].keys() == {"adversarial"}
    assert main(["--sanitize", "tests.phi_eval.independent.scorer:identity", "--split", "heldout"]) == 0
    assert "leak rate 100.00%" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--sanitize", "identity", "--split", "heldout", "--show-misses", "5"])
