"""Watch: a snapshot of everything, SNAPSHOT_END, then every change with an increasing revision."""
from __future__ import annotations

import asyncio

import pytest
from radiant.registry.v1 import registry_pb2 as pb

from services.registry.broadcaster import Broadcaster
from services.runtime.errors import ServiceUnavailableError
from tests.registry.helpers import all_models, all_providers

Kind = pb.ChangeEvent


async def test_watch_snapshot_then_changes(registry):
    providers, models = await all_providers(registry), await all_models(registry)
    stream = registry.Watch(pb.WatchRequest(include_snapshot=True))
    events = aiter(stream)
    snapshot = []
    async for event in events:
        if event.kind == Kind.KIND_SNAPSHOT_END:
            end_revision = event.revision
            break
        assert event.kind == Kind.KIND_SNAPSHOT
        snapshot.append(event)
    assert sorted(e.provider.id for e in snapshot if e.HasField("provider")) == sorted(p.id for p in providers)
    assert sorted(e.model.id for e in snapshot if e.HasField("model")) == sorted(m.id for m in models)

    model = next(m for m in models if m.name == "gpt-4o")
    await registry.UpdateModel(pb.UpdateModelRequest(id=model.id, description="watched change"))
    await registry.UpdateModel(pb.UpdateModelRequest(id=model.id, description=model.description))
    first = await asyncio.wait_for(anext(events), 10)
    second = await asyncio.wait_for(anext(events), 10)
    stream.cancel()
    assert first.kind == Kind.KIND_UPSERT and first.model.id == model.id
    assert first.model.description == "watched change"
    assert second.model.description == model.description
    assert end_revision < first.revision < second.revision


async def test_watch_without_snapshot_sees_provider_changes(registry):
    stream = registry.Watch(pb.WatchRequest())
    demo = next(p for p in await all_providers(registry) if p.name == "demo")
    # The subscription is registered when the server starts the handler; keep changing until the event arrives.
    reader = asyncio.ensure_future(stream.read())
    for _ in range(50):
        await registry.UpdateProvider(pb.UpdateProviderRequest(id=demo.id, hipaa_compliant=True))
        done, _ = await asyncio.wait({reader}, timeout=0.1)
        if done:
            break
    event = await asyncio.wait_for(reader, 10)
    stream.cancel()
    assert event.kind == Kind.KIND_UPSERT and event.provider.id == demo.id


async def test_slow_subscriber_is_disconnected_without_blocking_writers():
    hub = Broadcaster(queue_size=2)
    slow, fast = hub.subscribe(), hub.subscribe()
    fast_events = fast.events()
    for i in range(5):  # publish never waits, however far behind `slow` is
        hub.publish(model=pb.Model(id=f"m{i}"))
        assert (await anext(fast_events)).model.id == f"m{i}"
    assert hub.subscribers == 1
    with pytest.raises(ServiceUnavailableError, match="reconnect"):
        async for _ in slow.events():
            pass
    hub.close()
    assert [e async for e in fast_events] == []
