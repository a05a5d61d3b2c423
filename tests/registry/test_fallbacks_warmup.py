"""Per-model fallback chains (set, replace, clear; unknown names and self-references refused) and warm-up requests
(recorded on the model, published on Watch for the operator, idempotent)."""
from __future__ import annotations

import asyncio

import grpc
from radiant.registry.v1 import registry_pb2 as pb

from tests.registry.helpers import expect_error


async def _model(stub, name: str) -> pb.Model:
    return await stub.GetModel(pb.GetModelRequest(name=name))


def _chain(*names: str) -> pb.FallbackModels:
    return pb.FallbackModels(names=list(names))


async def test_fallback_chain_is_set_kept_and_cleared(registry):
    model = await _model(registry, "gpt-4o")
    try:
        got = await registry.UpdateModel(pb.UpdateModelRequest(
            id=model.id, fallback_models=_chain("claude-3-5-sonnet", "radiant-demo")))
        assert list(got.fallback_models) == ["claude-3-5-sonnet", "radiant-demo"]
        assert list((await _model(registry, "gpt-4o")).fallback_models) == ["claude-3-5-sonnet", "radiant-demo"]
        # An update that does not mention the chain leaves it alone.
        got = await registry.UpdateModel(pb.UpdateModelRequest(id=model.id, description="kept chain"))
        assert list(got.fallback_models) == ["claude-3-5-sonnet", "radiant-demo"]
        got = await registry.UpdateModel(pb.UpdateModelRequest(id=model.id, fallback_models=_chain("radiant-demo")))
        assert list(got.fallback_models) == ["radiant-demo"]
        # An empty list clears it.
        got = await registry.UpdateModel(pb.UpdateModelRequest(id=model.id, fallback_models=_chain()))
        assert list(got.fallback_models) == []
    finally:
        await registry.UpdateModel(pb.UpdateModelRequest(id=model.id, description=model.description,
                                                         fallback_models=_chain(*model.fallback_models)))


async def test_fallback_chain_validation_names_the_problem(registry):
    model = await _model(registry, "gpt-4o")
    cases = [
        (_chain("no-such-model"), "unknown model 'no-such-model'"),
        (_chain("radiant-demo", "gpt-4o"), "must not include the model itself"),
        (_chain("radiant-demo", "radiant-demo"), "only once"),
        (_chain("radiant-demo", " "), "must not be empty"),
        (_chain(*[f"m{i}" for i in range(9)]), "at most 8"),
    ]
    for chain, message in cases:
        err = await expect_error(registry.UpdateModel(pb.UpdateModelRequest(id=model.id, fallback_models=chain)),
                                 grpc.StatusCode.INVALID_ARGUMENT)
        assert err.code == "VALIDATION_ERROR" and "fallback_models" in err.details
        assert any(message in m for m in err.details["fallback_models"]), (message, err.details)
    assert await _model(registry, "gpt-4o") == model  # nothing changed


async def test_warmup_request_is_recorded_and_published(registry):
    model = await _model(registry, "llama-3.1-8b-instruct")
    stream = registry.Watch(pb.WatchRequest())
    reader = asyncio.ensure_future(stream.read())
    # The subscription is registered when the server starts the handler; ask until the event arrives.
    first = None
    for _ in range(50):
        first = await registry.RequestWarmup(pb.RequestWarmupRequest(model_id=model.id))
        done, _ = await asyncio.wait({reader}, timeout=0.1)
        if done:
            break
    event = await asyncio.wait_for(reader, 10)
    stream.cancel()
    assert event.kind == pb.ChangeEvent.KIND_UPSERT and event.model.id == model.id
    assert event.model.HasField("warmup_requested_at")
    assert first.HasField("warmup_requested_at")
    again = await registry.RequestWarmup(pb.RequestWarmupRequest(model_id=model.id))
    # Idempotent: the same model, only the request time moves forward.
    assert again.warmup_requested_at.ToDatetime() >= first.warmup_requested_at.ToDatetime()
    assert (again.thermal_state, again.thermal_config, again.observed) == \
        (model.thermal_state, model.thermal_config, model.observed)
    assert (await _model(registry, "llama-3.1-8b-instruct")).warmup_requested_at == again.warmup_requested_at
    await expect_error(registry.RequestWarmup(pb.RequestWarmupRequest(model_id="missing")),
                       grpc.StatusCode.NOT_FOUND)
    err = await expect_error(registry.RequestWarmup(pb.RequestWarmupRequest()), grpc.StatusCode.INVALID_ARGUMENT)
    assert "model_id" in err.details
