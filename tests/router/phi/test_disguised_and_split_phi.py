"""Issue 11, items 3-5, as a property of the whole stack: identifiers of every structured category, in every Unicode
disguise, whole or split across messages or content parts, or in other forwarded fields (stop sequences, tool
descriptions, JSON-schema annotations, Anthropic's system prompt), never reach the provider: no digit of theirs and
no e-mail address (the demo provider records what it received). The stack runs in a thread of its own so that
hypothesis can drive it with a plain HTTP client."""
from __future__ import annotations

import asyncio
import json
import re
import threading
import uuid

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from services.phi.detection import normalize
from services.runtime.placeholders import PLACEHOLDER_RE
from tests.harness import InProcessStack

# (category, cue, value): the cue is the context a reader would write; digits appear only in the value
VALUES = [
    ("SSN", "SSN ", "536-90-4399"),
    ("PHONE", "call me at ", "617-555-0134"),
    ("PHONE", "phone ", "(617) 555-0134"),
    ("MEDICAL_RECORD", "MRN ", "00412345"),
    ("DOB", "DOB ", "03/14/1962"),
    ("ACCOUNT", "card ", "4111 1111 1111 1111"),
    ("LICENSE", "NPI ", "1234567893"),
    ("IP_ADDRESS", "logged in from ", "10.1.22.33"),
    ("EMAIL", "email ", "jane.doe@example.org"),
]
ZERO_WIDTH = "\u200b\u200d\u2060\ufeff\u200f"
_FULL = {c: chr(ord(c) + 0xFEE0) for c in "0123456789-().@"}


def _disguise(value: str, how: str, draw) -> str:
    if how == "zero-width":
        chars = list(value)
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(1, len(chars) - 1))
            chars.insert(at, draw(st.sampled_from(ZERO_WIDTH)))
        return "".join(chars)
    if how == "full-width":
        return "".join(_FULL.get(c, c) for c in value)
    if how == "dashes":
        return value.replace("-", draw(st.sampled_from(["\u2013", "\u2011", "\u2212", "\u2010"])))
    if how == "spaces":
        return value.replace(" ", draw(st.sampled_from(["\u00a0", "\u2009", "\u202f"]))).replace(
            "-", draw(st.sampled_from(["-", "\u00a0"])) if "@" not in value and "/" not in value else "-")
    if how == "homoglyph":
        return value.replace("o", "\u043e").replace("a", "\u0430").replace("e", "\u0435")
    return value


@st.composite
def cases(draw):
    category, cue, value = draw(st.sampled_from(VALUES))
    how = draw(st.sampled_from(["plain", "zero-width", "full-width", "dashes", "spaces", "homoglyph"]))
    disguised = _disguise(value, how, draw)
    where = draw(st.sampled_from(["message", "two messages", "two parts", "stop", "tool description",
                                  "schema description", "anthropic system"]))
    cut = draw(st.integers(1, len(disguised) - 1))
    return category, value, cue, disguised, where, cut


@pytest.fixture(scope="module")
def threaded(pg_url, redis_url):
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def run(coro, timeout=120):
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)

    stack = run(InProcessStack(pg_url, redis_url).start())
    key = run(stack.new_tenant_key(f"t-{uuid.uuid4().hex[:12]}"))
    yield stack, key
    run(stack.stop())
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def _send(client: httpx.Client, key: str, cue: str, disguised: str, where: str, cut: int) -> httpx.Response:
    auth = {"Authorization": f"Bearer {key}"}
    text = f"Please help. My {cue}{disguised} thanks."
    body = {"model": "radiant-demo", "messages": [{"role": "user", "content": "Hello there."}]}
    if where == "message":
        body["messages"] = [{"role": "user", "content": text}]
    elif where == "two messages":
        head, tail = f"Please help. My {cue}{disguised[:cut]}", f"{disguised[cut:]} thanks."
        body["messages"] = [{"role": "user", "content": head}, {"role": "user", "content": tail}]
    elif where == "two parts":
        head, tail = f"Please help. My {cue}{disguised[:cut]}", f"{disguised[cut:]} thanks."
        body["messages"] = [{"role": "user", "content": [{"type": "text", "text": head}, {"type": "text", "text": tail}]}]
    elif where == "stop":
        body["stop"] = [text]
    elif where == "tool description":
        body["tools"] = [{"type": "function", "function": {"name": "lookup", "description": text,
                                                            "parameters": {"type": "object", "properties": {
                                                                "q": {"type": "string", "description": text}}}}}]
    elif where == "schema description":
        body["response_format"] = {"type": "json_schema", "json_schema": {
            "name": "answer", "description": text,
            "schema": {"type": "object", "properties": {"a": {"type": "string", "default": text}}}}}
    else:
        return client.post("/v1/messages", headers={"x-api-key": key, "anthropic-version": "2023-06-01"},
                           json={"model": "radiant-demo", "max_tokens": 50, "system": text,
                                 "messages": [{"role": "user", "content": "Hello there."}]})
    return client.post("/v1/chat/completions", headers=auth, json=body)


def _leaks(received: dict, value: str) -> list[str]:
    """Digits or the e-mail address of ``value`` in what the provider received (read through the detector's own
    normalised view, so a disguised copy counts too; placeholders and the request's own numbers are left out)."""
    seen = json.dumps({k: received.get(k) for k in ("messages", "stop", "tools", "response_format")},
                      ensure_ascii=False)
    v = normalize.view(seen)
    plain = PLACEHOLDER_RE.sub("", v.text if v is not None else seen)
    out = re.findall(r"\d+", plain)
    if "@" in value and value in plain:
        out.append(value)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_no_digit_or_address_of_a_disguised_or_split_identifier_reaches_the_provider(threaded, case):
    stack, key = threaded
    category, value, cue, disguised, where, cut = case
    with httpx.Client(base_url=stack.base_url, timeout=20) as client:
        client.delete(stack.demo_app_requests_url)
        r = _send(client, key, cue, disguised, where, cut)
        assert r.status_code == 200, r.text
        received = client.get(stack.demo_app_requests_url).json()
    assert len(received) == 1
    assert _leaks(received[0], value) == [], (category, where, disguised, received[0])
