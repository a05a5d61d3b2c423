"""phi's policy cache (in phi, and as phi's library in the router): a burst of requests for a tenant whose policy is
not cached loads it once, and a policy loaded while a change was announced is not kept, so the change applies from
the next request."""
import asyncio

from services.phi.policy import Policy
from services.phi.policy_cache import PolicyCache


def _subscribed(cache: PolicyCache) -> PolicyCache:
    cache.follower.subscribed = True  # as once its subscription to the change channel is up
    return cache


async def test_a_burst_of_misses_loads_the_policy_once():
    loads, release = [], asyncio.Event()

    async def load(tenant_id: str) -> Policy:
        loads.append(tenant_id)
        await release.wait()
        return Policy(tenant_id=tenant_id, mode="auto")

    cache = _subscribed(PolicyCache(load, 60, redis=None))
    waiting = [asyncio.create_task(cache.get("t-burst")) for _ in range(25)]
    await asyncio.sleep(0)
    release.set()
    assert {p.mode for p in await asyncio.gather(*waiting)} == {"auto"} and loads == ["t-burst"]
    await cache.get("t-burst")
    assert loads == ["t-burst"]  # cached


async def test_a_policy_loaded_across_an_announced_change_is_not_kept():
    stored = {"t-change": "flag"}
    loading, release = asyncio.Event(), asyncio.Event()

    async def load(tenant_id: str) -> Policy:
        action = stored[tenant_id]
        loading.set()
        await release.wait()
        return Policy(tenant_id=tenant_id, injection_action=action)

    cache = _subscribed(PolicyCache(load, 60, redis=None))
    first = asyncio.create_task(cache.get("t-change"))
    await loading.wait()
    stored["t-change"] = "block"  # an admin's change commits while the load is in flight ...
    cache.follower.on_message(b"t-change")  # ... and is announced
    release.set()
    assert (await first).injection_action == "flag"
    assert (await cache.get("t-change")).injection_action == "block"
