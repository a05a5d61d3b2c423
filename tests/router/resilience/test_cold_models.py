"""Cold self-hosted models: the router asks the registry for a warm-up and answers 503 with Retry-After = the
model's warm-up time, or holds the request until a replica is ready; a switched-off model answers 503 at once."""
import asyncio
import json

import anthropic
import httpx
import pytest
from radiant.registry.v1 import registry_pb2

from services.metering.demand import DemandReader
from tests.eventually import eventually
from tests.fakes.openai_server import Step
from tests.router.resilience.conftest import chat


def _thermal(state: str, warmup: int | None) -> dict:
    cfg = {"state": state, "min_instances": 0, "max_instances": 2, "scale_to_zero_after_minutes": 15}
    if warmup is not None:
        cfg["warmup_time_seconds"] = warmup
    return cfg


async def _self_hosted(world, state: str = "COLD", warmup: int | None = 240, ready: int = 0, **kw) -> tuple[str, str]:
    provider, prefix = await world.provider(kind="self-hosted")
    name = await world.model(provider, type="self-hosted", deployment_kind="kubernetes", deployment_name="llm",
                             deployment_namespace="models", thermal_state=state,
                             thermal_config=_thermal(state, warmup),
                             observed={"ready_replicas": ready, "desired_replicas": ready, "phase": "", "message": ""},
                             **kw)
    return name, prefix


@pytest.fixture
def hold(pipeline):
    """Hold cold requests (polling the registry often) for this test only."""
    before = pipeline.warmup.hold_seconds, pipeline.warmup.poll_seconds
    pipeline.warmup.hold_seconds, pipeline.warmup.poll_seconds = 30.0, 0.05
    yield
    pipeline.warmup.hold_seconds, pipeline.warmup.poll_seconds = before


async def test_cold_model_requests_warmup_and_answers_503_with_its_warmup_time(http, headers, fake, world):
    name, prefix = await _self_hosted(world, warmup=240)
    assert not (await world.get_model(name)).HasField("warmup_requested_at")
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(name))
    assert r.status_code == 503 and r.headers["retry-after"] == "240"
    assert "warming up" in r.json()["error"]["message"]
    assert (await world.get_model(name)).HasField("warmup_requested_at")
    assert fake.seen(prefix) == []


async def test_cold_model_without_a_warmup_time_uses_the_default(http, headers, stack, world):
    name, _ = await _self_hosted(world, warmup=None)
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(name))
    assert r.status_code == 503 and r.headers["retry-after"] == str(stack.router_settings.default_warmup_seconds)


async def test_switched_off_model_answers_503_without_warmup(http, headers, fake, world):
    name, prefix = await _self_hosted(world, state="OFF", ready=0)
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(name))
    assert r.status_code == 503 and "switched off" in r.json()["error"]["message"]
    assert not (await world.get_model(name)).HasField("warmup_requested_at") and fake.seen(prefix) == []


async def test_warm_model_with_a_ready_replica_is_served(http, headers, fake, world):
    name, prefix = await _self_hosted(world, state="WARM", ready=1)
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(name, "served warm"))
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "served warm"


async def test_held_request_succeeds_once_a_replica_is_ready(http, headers, fake, world, hold):
    name, prefix = await _self_hosted(world)
    request = asyncio.create_task(http.post("/v1/chat/completions", headers=headers, json=chat(name, "held")))
    model = await eventually(lambda: world.get_model(name), lambda m: m.HasField("warmup_requested_at"))
    assert model.HasField("warmup_requested_at") and not request.done()
    channel, registry = world.registry()
    async with channel:
        await registry.ReportObservedState(registry_pb2.ReportObservedStateRequest(
            model_id=model.id, observed=registry_pb2.ObservedState(ready_replicas=1, desired_replicas=1,
                                                                   phase="Running")))
    r = await request
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "held"
    assert len(fake.seen(prefix)) == 1


async def test_cold_model_falls_back_to_a_warm_one(http, headers, fake, world):
    backup_provider, backup_prefix = await world.provider()
    backup = await world.model(backup_provider)
    name, prefix = await _self_hosted(world, fallback_models=[backup])
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(name, "from the backup"))
    assert r.status_code == 200 and r.json()["model"] == backup
    assert (await world.get_model(name)).HasField("warmup_requested_at")  # the cold one is still woken up
    assert fake.seen(prefix) == [] and len(fake.seen(backup_prefix)) == 1


async def _ready(world, name: str) -> None:
    channel, registry = world.registry()
    async with channel:
        model = await world.get_model(name)
        await registry.ReportObservedState(registry_pb2.ReportObservedStateRequest(
            model_id=model.id, observed=registry_pb2.ObservedState(ready_replicas=1, desired_replicas=1,
                                                                   phase="Ready")))


async def test_the_hold_queue_is_bounded_per_model(http, headers, fake, world, hold, pipeline):
    pipeline.warmup.max_held = 1
    name, prefix = await _self_hosted(world, warmup=120)
    other, _ = await _self_hosted(world, warmup=120)
    first = asyncio.create_task(http.post("/v1/chat/completions", headers=headers, json=chat(name, "first")))
    await eventually(lambda: _value(pipeline.warmup.held(world.ids[name])), lambda n: n == 1)
    refused = await http.post("/v1/chat/completions", headers=headers, json=chat(name, "second"))
    assert refused.status_code == 503 and refused.headers["retry-after"] == "120"
    assert "1 requests already wait for it" in refused.json()["error"]["message"]
    # The bound is per model: another cold model still holds its own request.
    elsewhere = asyncio.create_task(http.post("/v1/chat/completions", headers=headers, json=chat(other, "other")))
    await eventually(lambda: _value(pipeline.warmup.held(world.ids[other])), lambda n: n == 1)
    await _ready(world, name)
    await _ready(world, other)
    assert (await first).status_code == 200 and (await elsewhere).status_code == 200
    assert [r.body["messages"][-1]["content"] for r in fake.seen(prefix)] == ["first"]


async def _value(v):
    return v


async def test_held_requests_and_requests_in_flight_are_recorded_as_demand(http, headers, fake, world, hold, stack,
                                                                          pipeline):
    reader = DemandReader(pipeline.usage.redis)
    name, prefix = await _self_hosted(world)
    model_id = world.ids[name]
    [before] = await reader.read([model_id])
    assert before.last_request_ms is None and before.held == 0
    fake.script(prefix, Step(delay=0.5))
    request = asyncio.create_task(http.post("/v1/chat/completions", headers=headers, json=chat(name, "demand")))
    held = await eventually(lambda: reader.read([model_id]), lambda d: d[0].held == 1)
    assert held[0].held == 1 and held[0].in_flight == 0 and held[0].last_request_ms
    await _ready(world, name)
    busy = await eventually(lambda: reader.read([model_id]), lambda d: d[0].in_flight == 1)
    assert busy[0].in_flight == 1 and busy[0].held == 0
    assert (await request).status_code == 200
    [after] = await reader.read([model_id])
    assert after.in_flight == 0 and after.held == 0 and after.last_request_ms >= held[0].last_request_ms


async def test_requests_to_external_models_record_no_demand(http, headers, world, pipeline):
    provider, _ = await world.provider()
    name = await world.model(provider)
    assert (await http.post("/v1/chat/completions", headers=headers, json=chat(name))).status_code == 200
    [demand] = await DemandReader(pipeline.usage.redis).read([world.ids[name]])
    assert demand.last_request_ms is None and demand.in_flight == 0


async def test_a_held_stream_sends_keepalives_then_streams(http, headers, fake, world, hold, pipeline):
    pipeline.settings.warmup_keepalive_seconds = 0.05
    name, _ = await _self_hosted(world)
    lines: list[str] = []

    async def stream() -> int:
        async with http.stream("POST", "/v1/chat/completions", headers=headers,
                               json=chat(name, "after the wait", stream=True)) as r:
            async for line in r.aiter_lines():
                if line:
                    lines.append(line)
            return r.status_code

    task = asyncio.create_task(stream())
    await eventually(lambda: _value(lines), lambda got: len(got) >= 3)
    assert set(lines) == {": keep-alive"}
    await _ready(world, name)
    assert await task == 200
    data = [json.loads(line[6:]) for line in lines if line.startswith("data: {")]
    assert lines[-1] == "data: [DONE]"
    assert "".join((c["choices"] or [{}])[0].get("delta", {}).get("content") or "" for c in data) == "after the wait"


async def test_a_held_anthropic_stream_sends_pings_then_the_message(stack, api_key, fake, world, hold, pipeline):
    pipeline.settings.warmup_keepalive_seconds = 0.05
    name, _ = await _self_hosted(world)
    raw: list[str] = []
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
        async def stream() -> int:
            async with client.stream("POST", "/v1/messages", headers={"x-api-key": api_key},
                                     json={"model": name, "max_tokens": 50, "stream": True,
                                           "messages": [{"role": "user", "content": "pinged first"}]}) as r:
                async for line in r.aiter_lines():
                    if line.startswith("event: "):
                        raw.append(line[7:])
                return r.status_code

        task = asyncio.create_task(stream())
        await eventually(lambda: _value(raw), lambda got: len(got) >= 2)
        assert set(raw) == {"ping"}
        await _ready(world, name)
        assert await task == 200
    assert raw[raw.index("message_start") - 1] == "ping" and raw[-1] == "message_stop"
    # The official SDK reads such a stream: the pings before message_start are skipped.
    other, _ = await _self_hosted(world)
    sdk = anthropic.AsyncAnthropic(base_url=stack.base_url, api_key=api_key, max_retries=0)

    async def sdk_stream() -> str:
        async with sdk.messages.stream(model=other, max_tokens=50,
                                       messages=[{"role": "user", "content": "sdk reads it"}]) as s:
            return await s.get_final_text()

    reading = asyncio.create_task(sdk_stream())
    await eventually(lambda: _value(pipeline.warmup.held(world.ids[other])), lambda n: n == 1)
    await _ready(world, other)
    assert await reading == "sdk reads it"
