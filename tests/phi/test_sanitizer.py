"""Placeholders: numbering, reuse across texts, literal placeholders, secrets policy, round trips."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.phi.detection import DEFAULT_ENABLED, SECRET_CATEGORY
from services.runtime.placeholders import PLACEHOLDER_RE
from services.runtime.placeholders import reidentify
from services.phi.sanitizer import Sanitizer
from services.runtime.errors import SensitiveDataError

SAN = Sanitizer()
ALL = DEFAULT_ENABLED | {SECRET_CATEGORY}


def test_placeholders_are_numbered_per_category_and_reused_across_texts():
    r = SAN.sanitize(["Patient John Smith called from 617-555-0134.",
                      "Later John Smith called again from (617) 555-0199 about John Smith."], ALL)
    assert r.texts[0] == "Patient [PHI_NAME_1] called from [PHI_PHONE_1]."
    assert r.texts[1] == "Later [PHI_NAME_1] called again from [PHI_PHONE_2] about [PHI_NAME_1]."
    assert r.mapping == {"[PHI_NAME_1]": "John Smith", "[PHI_PHONE_1]": "617-555-0134",
                         "[PHI_PHONE_2]": "(617) 555-0199"}
    assert [(m.text_index, m.category) for m in r.matches] == [(0, "NAME"), (0, "PHONE"), (1, "NAME"), (1, "PHONE"),
                                                              (1, "NAME")]


def test_placeholder_never_contains_the_value_it_hides():
    r = SAN.sanitize(["SSN 123-45-6789, email jane.doe@example.org"], ALL)
    for ph, original in r.mapping.items():
        assert original not in ph and PLACEHOLDER_RE.fullmatch(ph)


def test_literal_placeholder_in_input_is_escaped_and_restored_verbatim():
    text = "Template says [PHI_NAME_1] but the patient is Maria Garcia."
    r = SAN.sanitize([text], ALL)
    escaped = [ph for ph, v in r.mapping.items() if v == "[PHI_NAME_1]"]
    assert escaped and escaped[0].startswith("[PHI_ESCAPED_")
    # The name got its own placeholder, and the literal never maps to the patient's name on the way back.
    assert reidentify(r.texts[0], r.mapping)[0] == text
    assert r.mapping.get("[PHI_NAME_1]") == "Maria Garcia"
    assert reidentify(escaped[0], r.mapping)[0] == "[PHI_NAME_1]"


def test_secrets_redacted_or_rejected():
    text = "use key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD to call"
    r = SAN.sanitize([text], ALL)
    assert "sk-proj" not in r.texts[0] and "[PHI_SECRET_1]" in r.texts[0]
    with pytest.raises(SensitiveDataError) as exc:
        SAN.sanitize([text], ALL, reject_secrets=True)
    assert exc.value.code == "SENSITIVE_DATA_DETECTED" and "sk-proj" not in exc.value.message


def test_no_categories_means_untouched():
    text = "John Smith 123-45-6789"
    assert SAN.sanitize([text], frozenset()).texts == [text]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=300), min_size=1, max_size=4))
def test_round_trip_any_text(texts):
    r = SAN.sanitize(texts, ALL)
    assert [reidentify(t, r.mapping)[0] for t in r.texts] == texts


_values = st.sampled_from(["John Smith", "123-45-6789", "(617) 555-0134", "jane.doe@example.org", "03/14/1962",
                           "MRN 00482913", "192.168.10.24", "https://portal.example.org/p/88231",
                           "[PHI_NAME_1]", "[PHI_SSN_2]"])
_filler = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_filler, _values), min_size=1, max_size=6))
def test_round_trip_with_phi_and_literal_placeholders(pieces):
    text = "".join(f"{f} {v} " for f, v in pieces)
    r = SAN.sanitize([text], ALL)
    assert reidentify(r.texts[0], r.mapping)[0] == text
