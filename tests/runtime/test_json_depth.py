"""The edge's JSON nesting bound, on raw bytes."""
import json

from hypothesis import given, strategies as st

from services.runtime import json_depth


def nested(depth: int, leaf="x") -> bytes:
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return json.dumps(value).encode()


def real_depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max((real_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((real_depth(v) for v in value), default=0)
    return 0


def test_the_limit_itself_is_accepted_and_one_more_level_refused():
    assert not json_depth.exceeds(nested(64))
    assert json_depth.exceeds(nested(65))
    assert json_depth.exceeds(b"[" * 100_000 + b"]" * 100_000)


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"content": "[" * 500 + '{"\\"' + "}" * 3 + "\\\\"})
    assert not json_depth.exceeds(text.encode(), limit=2)
    assert not json_depth.exceeds(b"") and not json_depth.exceeds(b"plain text") and not json_depth.exceeds(b'"["')


def test_malformed_json_is_left_to_the_parser():
    assert not json_depth.exceeds(b"[[[[", limit=2)  # unbalanced: the JSON parser answers 400 for it


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
                           lambda children: st.lists(children, max_size=3)
                           | st.dictionaries(st.text(alphabet='[]{}"\\a', max_size=3), children, max_size=3),
                           max_leaves=40)


@given(json_values, st.integers(min_value=0, max_value=8))
def test_agrees_with_the_parsed_depth(value, limit):
    assert json_depth.exceeds(json.dumps(value).encode(), limit) == (real_depth(value) > limit)
