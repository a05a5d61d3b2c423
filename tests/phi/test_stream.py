"""Streaming re-identification: a placeholder split at any offset, across any number of chunks, is restored, and
text that cannot be part of a placeholder is released at once."""
from hypothesis import given, settings
from hypothesis import strategies as st

from services.runtime.placeholders import MAX_PLACEHOLDER_LEN
from services.runtime.placeholders import StreamReidentifier, reidentify

MAPPING = {"[PHI_NAME_1]": "Maria Garcia", "[PHI_MEDICAL_RECORD_12]": "MRN 0048213", "[PHI_DATE_3]": "March 3"}
TEXT = "Dear [PHI_NAME_1], your record [PHI_MEDICAL_RECORD_12] from [PHI_DATE_3] is ready. [PHI_NAME_1]!"
EXPECTED = "Dear Maria Garcia, your record MRN 0048213 from March 3 is ready. Maria Garcia!"


def _run(chunks):
    s = StreamReidentifier(MAPPING)
    return "".join(s.feed(c) for c in chunks) + s.flush()


def test_split_in_two_at_every_offset():
    for i in range(len(TEXT) + 1):
        assert _run([TEXT[:i], TEXT[i:]]) == EXPECTED, i


def test_split_in_three_at_every_pair_of_offsets_inside_a_placeholder():
    start = TEXT.index("[PHI_MEDICAL")
    end = start + len("[PHI_MEDICAL_RECORD_12]")
    for i in range(start, end + 1):
        for j in range(i, end + 1):
            assert _run([TEXT[:i], TEXT[i:j], TEXT[j:]]) == EXPECTED, (i, j)


def test_one_character_chunks():
    assert _run(list(TEXT)) == EXPECTED


def test_text_is_released_as_soon_as_it_cannot_be_a_placeholder():
    s = StreamReidentifier(MAPPING)
    assert s.feed("Hello ") == "Hello "
    assert s.feed("[PHI_NA") == ""          # may still become a placeholder
    assert s.feed("ME_1] and [x") == "Maria Garcia and [x"
    assert s.feed("[P") == ""
    assert s.feed("lain") == "[Plain"


def test_buffer_is_bounded():
    s = StreamReidentifier(MAPPING)
    out = s.feed("[PHI_" + "A" * 200)
    assert len(out) >= 200 - MAX_PLACEHOLDER_LEN


def test_unknown_placeholders_pass_through():
    assert _run(["[PHI_NAME_", "9] hi"]) == "[PHI_NAME_9] hi"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(TEXT)), max_size=8))
def test_any_chunking(cuts):
    cuts = sorted(set(cuts))
    bounds = [0, *cuts, len(TEXT)]
    chunks = [TEXT[a:b] for a, b in zip(bounds, bounds[1:])]
    assert _run(chunks) == reidentify(TEXT, MAPPING)[0] == EXPECTED
