"""Per-model fallback chains: the next model answers when the requested one fails retryably or its circuit is open
(never when the provider rejected the request); the answer and the usage record name the model that answered, its
own upstream model name and pricing are used, and it receives the same sanitized messages."""
import json
from decimal import Decimal

import openai
import pytest

from services.router.pipeline.resilience import RetryPolicy
from tests.fakes.openai_server import Step
from tests.router.resilience.conftest import chat, usage_rows

PROMPT = "Patient John Smith (SSN 123-45-6789) asks about his refill."


@pytest.fixture
def policy():
    return RetryPolicy(max_attempts=2, breaker_threshold=2, breaker_cooldown=30.0)


@pytest.fixture
async def chain(world):
    """(primary name, primary prefix, backup name, backup prefix): two providers, the backup twice as expensive."""
    backup_provider, backup_prefix = await world.provider()
    backup = await world.model(backup_provider, pricing={"input_per_million": "2.00", "output_per_million": "4.00",
                                                         "billed_markup": "0"})
    primary_provider, primary_prefix = await world.provider()
    primary = await world.model(primary_provider, fallbacks=(backup,))
    return primary, primary_prefix, backup, backup_prefix


async def test_fallback_answers_when_the_primary_keeps_failing(http, headers, fake, world, chain):
    primary, p_prefix, backup, b_prefix = chain
    fake.script(p_prefix, Step(status=503), Step(status=500))
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(primary, PROMPT))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["model"] == backup and body["choices"][0]["message"]["content"] == PROMPT
    [to_backup] = fake.seen(b_prefix)
    assert to_backup.body["model"] == f"upstream-{backup}"
    # Both providers got the same sanitized text, never the original values.
    sent = [json.dumps(r.body["messages"]) for r in (*fake.seen(p_prefix), to_backup)]
    assert len(set(sent)) == 1 and "John Smith" not in sent[0] and "[PHI_NAME_1]" in sent[0]

    [row] = await usage_rows(http, headers, 1)
    usage = body["usage"]
    assert row["modelId"] == world.ids[backup]
    assert (row["inputTokens"], row["outputTokens"]) == (usage["prompt_tokens"], usage["completion_tokens"])
    assert Decimal(row["cost"]) == (Decimal(usage["prompt_tokens"]) * 2 + Decimal(usage["completion_tokens"]) * 4) \
        / 1_000_000


async def test_open_circuit_goes_straight_to_the_fallback(http, headers, fake, chain):
    primary, p_prefix, backup, b_prefix = chain
    fake.script(p_prefix, Step(status=503), Step(status=503))
    assert (await http.post("/v1/chat/completions", headers=headers, json=chat(primary))).json()["model"] == backup
    # The primary's circuit is open now: the next request does not touch it.
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(primary, "second"))
    assert r.status_code == 200 and r.json()["model"] == backup
    assert len(fake.seen(p_prefix)) == 2 and len(fake.seen(b_prefix)) == 2


async def test_rejected_requests_do_not_fall_back(http, headers, fake, chain):
    primary, p_prefix, backup, b_prefix = chain
    fake.script(p_prefix, Step(status=400))
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(primary))
    assert r.status_code == 502 and fake.seen(b_prefix) == []


async def test_when_every_model_fails_the_primary_error_is_returned(http, headers, fake, chain):
    primary, p_prefix, backup, b_prefix = chain
    fake.script(p_prefix, Step(status=429, retry_after="300"))
    fake.script(b_prefix, Step(status=503), Step(status=503))
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(primary))
    assert r.status_code == 429 and r.headers["retry-after"] == "300"
    assert len(fake.seen(b_prefix)) == 2


async def test_streams_fall_back_before_the_first_chunk(stack, http, api_key, headers, fake, world, chain):
    primary, p_prefix, backup, b_prefix = chain
    fake.script(p_prefix, Step(drop=True), Step(drop=True))
    client = openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)
    stream = await client.chat.completions.create(model=primary, stream=True, stream_options={"include_usage": True},
                                                  messages=[{"role": "user", "content": "from the backup"}])
    chunks = [c async for c in stream]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "from the backup"
    assert {c.model for c in chunks} == {backup}
    [row] = await usage_rows(http, headers, 1)
    assert row["modelId"] == world.ids[backup] and row["outputTokens"] == chunks[-1].usage.completion_tokens


async def test_fallback_output_limit_is_capped_at_its_own_maximum(http, headers, fake, world):
    backup_provider, b_prefix = await world.provider()
    backup = await world.model(backup_provider, max_output_tokens=256)
    primary_provider, p_prefix = await world.provider()
    primary = await world.model(primary_provider, fallbacks=(backup,), max_output_tokens=4096)
    fake.script(p_prefix, Step(status=503), Step(status=503))
    r = await http.post("/v1/chat/completions", headers=headers, json={**chat(primary), "max_tokens": 2000})
    assert r.status_code == 200, r.text
    assert [s.body["max_tokens"] for s in fake.seen(p_prefix)] == [2000, 2000]
    [to_backup] = fake.seen(b_prefix)
    assert to_backup.body["max_tokens"] == 256
