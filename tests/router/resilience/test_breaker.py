"""Circuit breaker per provider endpoint: opens after 5 consecutive failures, rejects at once while open (503 with
the time left as Retry-After), lets exactly one probe through after the cool-down, closes when it succeeds; its
state is exported in /metrics and shown (without making the router unready) in /readyz."""
import asyncio

import pytest

from services.router.pipeline.resilience import RetryPolicy
from tests.eventually import eventually
from tests.fakes.openai_server import Step
from tests.router.resilience.conftest import chat


@pytest.fixture
def policy():
    # One attempt per request, so five failing requests are five consecutive failures.
    return RetryPolicy(max_attempts=1, breaker_threshold=5, breaker_cooldown=30.0)


@pytest.fixture
async def solo(world):
    provider, prefix = await world.provider()
    return await world.model(provider), prefix, provider


async def _trip(http, headers, fake, model: str, prefix: str) -> None:
    fake.script(prefix, *[Step(status=503)] * 5)
    for _ in range(5):
        assert (await http.post("/v1/chat/completions", headers=headers, json=chat(model))).status_code == 503


def _gauge(metrics: str, provider: str, state: str) -> float:
    line = next(l for l in metrics.splitlines()
                if l.startswith("radiant_router_circuit_state{") and f'provider="{provider}"' in l
                and f'state="{state}"' in l)
    return float(line.rsplit(" ", 1)[1])


async def test_breaker_opens_after_five_failures_and_rejects_fast(http, headers, fake, clock, solo):
    model, prefix, provider = solo
    await _trip(http, headers, fake, model, prefix)
    clock.now += 10
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(model))
    assert r.status_code == 503 and "circuit open" in r.json()["error"]["message"]
    assert r.headers["retry-after"] == "20"  # 30 s cool-down, 10 s of it gone
    assert len(fake.seen(prefix)) == 5  # the sixth request never reached the provider

    metrics = (await http.get("/metrics")).text
    assert _gauge(metrics, provider, "open") == 1 and _gauge(metrics, provider, "closed") == 0
    ready = await http.get("/readyz")
    body = ready.json()
    assert ready.status_code == 200 and body["status"] == "degraded" and body["degradedProviders"] == [provider]
    [state] = [b for b in body["providers"] if b["provider"] == provider]
    assert state["state"] == "open" and state["endpoint"] == fake.url(prefix) and state["retryAfterSeconds"] == 20


async def test_half_open_lets_one_probe_through_and_closes_on_success(http, headers, fake, clock, solo):
    model, prefix, provider = solo
    await _trip(http, headers, fake, model, prefix)
    clock.now += 31
    fake.script(prefix, Step(delay=0.5, text="probe answered"))
    probe = asyncio.create_task(http.post("/v1/chat/completions", headers=headers, json=chat(model)))
    await eventually(lambda: _count(fake, prefix), lambda n: n == 6)
    assert "half_open" == next(b["state"] for b in (await http.get("/readyz")).json()["providers"]
                               if b["provider"] == provider)
    other = await http.post("/v1/chat/completions", headers=headers, json=chat(model))
    assert other.status_code == 503 and "circuit open" in other.json()["error"]["message"]
    r = await probe
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "probe answered"
    assert len(fake.seen(prefix)) == 6  # the probe only
    after = await http.post("/v1/chat/completions", headers=headers, json=chat(model, "closed again"))
    assert after.status_code == 200 and after.json()["choices"][0]["message"]["content"] == "closed again"
    ready = (await http.get("/readyz")).json()
    assert ready["status"] == "ready" and "degradedProviders" not in ready
    assert _gauge((await http.get("/metrics")).text, provider, "closed") == 1


async def test_failed_probe_opens_the_circuit_again(http, headers, fake, clock, solo):
    model, prefix, provider = solo
    await _trip(http, headers, fake, model, prefix)
    clock.now += 31
    fake.script(prefix, Step(status=500))
    assert (await http.post("/v1/chat/completions", headers=headers, json=chat(model))).status_code == 503
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(model))
    assert r.status_code == 503 and r.headers["retry-after"] == "30"  # a fresh cool-down
    assert len(fake.seen(prefix)) == 6


async def test_rate_limits_and_rejections_do_not_open_the_circuit(http, headers, fake, solo):
    model, prefix, provider = solo
    fake.script(prefix, *[Step(status=400)] * 3, *[Step(status=429, retry_after="600")] * 3)
    for _ in range(6):
        assert (await http.post("/v1/chat/completions", headers=headers, json=chat(model))).status_code in (429, 502)
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(model))
    assert r.status_code == 200 and len(fake.seen(prefix)) == 7


async def _count(fake, prefix: str) -> int:
    return len(fake.seen(prefix))
