"""Issue 11 items 3 and 5 at the detector: the normalised view (offsets back to the original) and detection across
the boundaries of consecutive texts."""
import pytest

from services.phi.detection import DEFAULT_ENABLED, Detector, normalize
from services.phi.sanitizer import Sanitizer
from services.runtime.placeholders import reidentify

DET = Detector()
SAN = Sanitizer(DET)


@pytest.mark.parametrize("text, value", [
    ("SSN 219\u200b-09-99\u200d99 on file", "219\u200b-09-99\u200d99"),
    ("SSN 219\u2060-09-9999\ufeff", "219\u2060-09-9999"),
    ("SSN 21\u200f9-09-9999", "21\u200f9-09-9999"),
    ("call \uff16\uff11\uff17\uff0d\uff15\uff15\uff15\uff0d\uff10\uff11\uff13\uff14 now",
     "\uff16\uff11\uff17\uff0d\uff15\uff15\uff15\uff0d\uff10\uff11\uff13\uff14"),
    ("SSN 219\u201309\u20119999", "219\u201309\u20119999"),
    ("phone 617\u00a0555\u20090134", "617\u00a0555\u20090134"),
    ("Patient \uff2a\uff4f\uff48\uff4e \uff33\uff4d\uff49\uff54\uff48 was seen", "\uff2a\uff4f\uff48\uff4e \uff33\uff4d\uff49\uff54\uff48"),
    ("mail j\u043ehn.d\u043ee@ex\u0430mple.com today", "j\u043ehn.d\u043ee@ex\u0430mple.com"),
])
def test_disguised_identifiers_are_found_and_the_original_span_is_replaced(text, value):
    spans = [text[d.start:d.end] for d in DET.detect(text)]
    assert value in spans, spans
    r = SAN.sanitize([text], DEFAULT_ENABLED)
    assert value not in r.texts[0] and reidentify(r.texts[0], r.mapping)[0] == text


def test_ascii_and_plain_non_latin_text_are_their_own_view():
    assert normalize.view("Patient John Smith, SSN 219-09-9999") is None
    assert normalize.view("Пациент Иван Петров") is None  # a word wholly in another script is left as written


def test_view_maps_spans_back_over_removed_and_expanded_characters():
    v = normalize.view("a\u200bb \ufb01le 5")
    assert v.text == "ab file 5"
    assert v.span(0, 2) == (0, 3) and v.span(3, 7) == (4, 7)


def test_a_value_split_across_texts_is_replaced_piece_by_piece():
    r = SAN.sanitize(["My SSN is 536-90-", "4399, please help"], DEFAULT_ENABLED)
    assert r.texts == ["My SSN is [PHI_SSN_1]", "[PHI_SSN_2], please help"]
    assert r.mapping == {"[PHI_SSN_1]": "536-90-", "[PHI_SSN_2]": "4399"}
    r = SAN.sanitize(["My first name is Eleanor", "Rigby is my surname"], DEFAULT_ENABLED)
    assert "Rigby" not in r.texts[1] and "Eleanor" not in r.texts[0]


def test_texts_of_different_groups_are_never_read_together():
    r = SAN.sanitize(["My SSN is 536-90-", "4399, please help"], DEFAULT_ENABLED, groups=[0, 1])
    assert r.texts[1] == "4399, please help"


def test_an_ordinary_word_next_to_a_boundary_is_not_pulled_into_a_name():
    r = SAN.sanitize(["My name is Eleanor", "How are you?"], DEFAULT_ENABLED)
    assert r.texts[1] == "How are you?"
    r = SAN.sanitize(["My SSN is", "219099999"], DEFAULT_ENABLED)
    assert r.texts == ["My SSN is", "[PHI_SSN_1]"]
