"""MappingHandoff: mappings made by phi's library elsewhere reach phi's vault in batches; one that is waited for goes
at once."""
import asyncio

from radiant.phi.v1 import phi_pb2
from services.phi.mapping_handoff import MappingHandoff


async def test_a_lingering_batch_goes_at_once_when_flushed_and_in_one_call():
    calls: list[list[str]] = []

    async def store(request: phi_pb2.StoreMappingsRequest) -> phi_pb2.StoreMappingsResponse:
        calls.append([m.mapping_id for m in request.mappings])
        return phi_pb2.StoreMappingsResponse()

    handoff = MappingHandoff(store, linger_seconds=3600)  # would gather for an hour unless someone waits
    try:
        for i in range(3):
            handoff.put("t1", f"m{i}", {"[PHI_NAME_1]": f"Patient {i}"}, 60)
        await handoff.flush(timeout=30)
        assert calls == [["m0", "m1", "m2"]]
        handoff.put("t1", "m3", {"[PHI_NAME_1]": "Patient 3"}, 60)
        await handoff.flush(timeout=30)
        assert calls == [["m0", "m1", "m2"], ["m3"]]
    finally:
        await handoff.close()


async def test_what_arrives_while_a_flushed_batch_is_sent_also_goes_before_the_flush_returns():
    calls: list[list[str]] = []
    sending, release = asyncio.Event(), asyncio.Event()

    async def store(request: phi_pb2.StoreMappingsRequest) -> phi_pb2.StoreMappingsResponse:
        calls.append([m.mapping_id for m in request.mappings])
        sending.set()
        await release.wait()
        return phi_pb2.StoreMappingsResponse()

    handoff = MappingHandoff(store, linger_seconds=3600)
    try:
        handoff.put("t1", "m0", {"[PHI_NAME_1]": "Patient 0"}, 60)
        flushing = asyncio.ensure_future(handoff.flush(timeout=30))
        await sending.wait()
        handoff.put("t1", "m1", {"[PHI_NAME_1]": "Patient 1"}, 60)  # queued while [m0] is being sent
        release.set()
        await flushing
        assert calls == [["m0"], ["m1"]]
    finally:
        await handoff.close()
