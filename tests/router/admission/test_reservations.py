"""Reservations, measured: what admission holds for a request (tokens, worst-case cost, a concurrency slot) is replaced
by the real usage when the request ends, and given back in full when it fails, breaks or is abandoned. Budgets under
concurrent streams stop within one in-flight reservation of the cap, and what the budget counted as spent is what
the ledger billed, which is what the clients were told they used."""
from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import httpx
import pytest

from tests.fakes.openai_server import Step
from tests.router.admission.conftest import bearer, chat, limits, new_tenant, settled, usage_records

# The fake's models are priced 1 / 2 USD per million input / output tokens, no markup: exact micro-dollars.
IN, OUT = Decimal("0.000001"), Decimal("0.000002")
LONG = " ".join(f"word{i}" for i in range(200))


@pytest.fixture
async def model(world):
    provider, prefix = await world.provider()
    return await world.model(provider, max_output_tokens=50), prefix


def held(d: dict) -> bool:
    return d["concurrent_requests"]["used"] == 0 and d["daily_budget"]["reserved"] == "0"


async def sse(http: httpx.AsyncClient, key: str, body: dict, *, leave_after: int | None = None) -> tuple[int, list]:
    """(status, the data events) of a streamed chat; leave_after: close the connection after that many events."""
    events = []
    async with http.stream("POST", "/v1/chat/completions", headers=bearer(key), json=body) as r:
        if r.status_code != 200:
            await r.aread()
            return r.status_code, [r.json()]
        async for line in r.aiter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                events.append(json.loads(line[6:]))
                if leave_after is not None and len(events) >= leave_after:
                    break
    return 200, events


async def _limited_key(auth) -> tuple[str, str]:
    tenant_id = new_tenant()
    key = await auth.tenant_and_key(tenant_id, concurrent_requests=1, tokens_per_minute=100_000, daily_budget="1")
    return tenant_id, key


@pytest.mark.parametrize("stream", [False, True])
async def test_a_request_the_provider_refuses_gives_everything_back(http, auth, fake, model, stream):
    name, prefix = model
    _, key = await _limited_key(auth)
    fake.script(prefix, Step(status=400, error_message="bad"))
    r = await http.post("/v1/chat/completions", headers=bearer(key), json=chat(model=name, stream=stream))
    assert r.status_code >= 400
    after = await settled(http, key, held)
    assert after["tokens_per_minute"]["used"] == 0 and after["daily_budget"]["used"] == "0"
    # The one concurrency slot is free again at once, not when the reservation would expire (10 minutes).
    r = await http.post("/v1/chat/completions", headers=bearer(key), json=chat(model=name))
    assert r.status_code == 200


async def test_a_broken_stream_bills_what_was_generated_and_gives_back_the_rest(http, auth, fake, model):
    name, prefix = model
    tenant_id, key = await _limited_key(auth)
    fake.script(prefix, Step(text=LONG, break_after=3, usage=False))
    status, events = await sse(http, key, chat(model=name, stream=True))
    assert status == 200 and "error" in events[-1]  # the failure is reported inside the stream
    [row] = await _rows(auth, tenant_id, 1)
    assert 0 < row.output_tokens < 50
    after = await settled(http, key, held)
    assert after["tokens_per_minute"]["used"] == row.total_tokens
    assert Decimal(after["daily_budget"]["used"]) == Decimal(row.billed_amount)


async def test_an_abandoned_stream_bills_what_was_generated_and_frees_its_slot(http, auth, fake, model):
    name, prefix = model
    tenant_id, key = await _limited_key(auth)
    fake.script(prefix, Step(text=LONG, chunk_delay=0.05))
    status, events = await sse(http, key, chat(model=name, stream=True), leave_after=3)
    assert status == 200 and len(events) == 3
    [row] = await _rows(auth, tenant_id, 1)
    assert row.request_type == "chat.completion.stream" and 0 < row.output_tokens < 200
    after = await settled(http, key, held)
    assert after["tokens_per_minute"]["used"] == row.total_tokens
    assert Decimal(after["daily_budget"]["used"]) == Decimal(row.billed_amount)
    assert (await http.post("/v1/chat/completions", headers=bearer(key), json=chat(model=name))).status_code == 200


async def _rows(auth, tenant_id: str, count: int):
    return await usage_records(auth.stack, tenant_id, count)


async def test_concurrent_streams_stop_within_one_reservation_of_the_cap(http, auth, fake, model):
    name, prefix = model
    tenant_id = new_tenant()
    cap = Decimal("0.0005")
    key = await auth.tenant_and_key(tenant_id, {"daily_budget": str(cap)})
    body = chat("hello there", model=name, stream=True, stream_options={"include_usage": True})
    # At most 2 (prompt estimate) + 50 (max output) tokens: 102e-6 USD reserved per request; 4 fit in 500e-6.
    worst = 2 * IN + 50 * OUT
    fake.script(prefix, *[Step(text="one two three four five", chunk_delay=0.05)] * 12)
    burst = await asyncio.gather(*(sse(http, key, body) for _ in range(12)))
    admitted = [events for status, events in burst if status == 200]
    refused = [events[0] for status, events in burst if status != 200]
    assert 1 <= len(admitted) <= int(cap / worst) == 4
    assert all(e["error"]["code"] == "budget_exceeded" for e in refused) and len(refused) == 12 - len(admitted)
    # Then one at a time until the budget says no: it stops with less than one reservation left.
    observed = [events[-1]["usage"] for events in admitted]
    for _ in range(40):
        await settled(http, key, lambda d: d["daily_budget"]["reserved"] == "0")
        status, events = await sse(http, key, body)
        if status != 200:
            assert events[0]["error"]["code"] == "budget_exceeded"
            break
        observed.append(events[-1]["usage"])
    else:
        pytest.fail("the budget never stopped the requests")
    spent = Decimal((await settled(http, key, lambda d: d["daily_budget"]["reserved"] == "0"))["daily_budget"]["used"])
    assert cap - worst < spent <= cap
    rows = await _rows(auth, tenant_id, len(observed))
    assert len(rows) == len(observed)
    ledger = Decimal((await http.get("/api/v2/usage", headers=bearer(key))).json()["data"]["totalBilled"])
    told = sum(u["prompt_tokens"] * IN + u["completion_tokens"] * OUT for u in observed)
    assert ledger == sum(Decimal(r.billed_amount) for r in rows) == told == spent
    assert Decimal((await limits(http, key))["daily_budget"]["remaining"]) == cap - spent
