"""Identical concurrent calls (one credential, many requests) are made once; a waiter that leaves does not stop the
call for the others, and a failure reaches every waiter without being remembered."""
import asyncio

import pytest

from services.runtime.single_flight import SingleFlight


async def test_concurrent_identical_calls_share_one_call_and_later_ones_start_afresh():
    flight, calls, release = SingleFlight(), [], asyncio.Event()

    async def authenticate():
        calls.append(1)
        await release.wait()
        return "decision"

    waiters = [asyncio.create_task(flight.run("key", authenticate)) for _ in range(20)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*waiters) == ["decision"] * 20 and len(calls) == 1
    assert await flight.run("key", authenticate) == "decision" and len(calls) == 2
    assert await flight.run("other", authenticate) == "decision" and len(calls) == 3


async def test_a_waiter_that_leaves_does_not_cancel_the_call_of_the_others():
    flight, release = SingleFlight(), asyncio.Event()

    async def authenticate():
        await release.wait()
        return "decision"

    leaving, staying = (asyncio.create_task(flight.run("key", authenticate)) for _ in range(2))
    await asyncio.sleep(0)
    leaving.cancel()
    release.set()
    assert await staying == "decision"
    with pytest.raises(asyncio.CancelledError):
        await leaving


async def test_a_failure_reaches_every_waiter_and_is_not_remembered():
    flight, attempts = SingleFlight(), []

    async def authenticate():
        attempts.append(1)
        await asyncio.sleep(0)
        if len(attempts) == 1:
            raise ConnectionError("auth unavailable")
        return "decision"

    results = await asyncio.gather(*(flight.run("key", authenticate) for _ in range(5)), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results) and len(attempts) == 1
    assert await flight.run("key", authenticate) == "decision"
