"""Cold self-hosted models: the router asks the registry for a warm-up and answers 503 with Retry-After = the
model's warm-up time, or holds the request until a replica is ready; a switched-off model answers 503 at once."""
import asyncio

import pytest
from radiant.registry.v1 import registry_pb2

from tests.eventually import eventually
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
