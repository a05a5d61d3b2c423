"""The retry policy and the breaker on their own: jitter bounds, the Retry-After cap, a cancelled probe freeing the
half-open slot, and fallback order."""
import asyncio

import pytest
from radiant.registry.v1 import registry_pb2

from services.router.providers.base import status_error, unreachable
from services.router.pipeline.resilience import CircuitState, Resilience, RetryPolicy, Target, endpoint_label
from services.runtime.errors import ProviderError, RadiantError, ServiceUnavailableError
from tests.router.resilience.conftest import Clock, Sleeps


def _target(name: str, provider_id: str = "p1", url: str = "http://up.example/v1") -> Target:
    return Target(registry_pb2.Model(id=name, name=name),
                  registry_pb2.Provider(id=provider_id, base_url=url))


async def _targets(*targets: Target):
    for t in targets:
        yield t


@pytest.fixture(autouse=True)
def resilience():
    """The router stack is not needed here."""


def test_full_jitter_stays_within_the_exponential_ceiling():
    r = Resilience(RetryPolicy(base_delay=0.5, max_delay=3.0))
    err = unreachable("p", timed_out=True)
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 3.0), (9, 3.0)):
        delays = [r.delay(attempt, err) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays) and max(delays) > ceiling / 2


def test_retry_after_is_used_up_to_the_cap():
    r = Resilience(RetryPolicy(max_retry_after=10))
    assert r.delay(1, status_error("p", 429, "7")) == 7.0
    assert r.delay(1, status_error("p", 429, "11")) is None


def test_endpoint_label_drops_credentials_and_query():
    assert endpoint_label("https://user:secret@api.example.com:8443/v1/?key=abc") == "https://api.example.com:8443/v1"


async def test_cancelled_probe_frees_the_half_open_slot():
    clock = Clock()
    r = Resilience(RetryPolicy(max_attempts=1, breaker_threshold=1, breaker_cooldown=5), sleep=Sleeps(), clock=clock)
    target = _target("m")

    async def fail(_):
        raise status_error("p1", 503)

    with pytest.raises(ServiceUnavailableError):
        await r.first_answer(_targets(target), fail)
    assert r.breaker(target.provider).state is CircuitState.OPEN
    clock.now += 6
    started = asyncio.Event()

    async def hang(_):
        started.set()
        await asyncio.sleep(3600)

    probe = asyncio.create_task(r.first_answer(_targets(target), hang))
    await started.wait()
    with pytest.raises(RadiantError, match="circuit open"):
        await r.first_answer(_targets(target), hang)
    probe.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probe

    async def ok(_):
        return "answer"

    assert await r.first_answer(_targets(target), ok) == (target, "answer")
    assert r.breaker(target.provider).state is CircuitState.CLOSED


async def test_fallbacks_are_tried_in_order_and_stop_at_a_rejection():
    r = Resilience(RetryPolicy(max_attempts=1), sleep=Sleeps())
    tried: list[str] = []

    async def answer(t: Target):
        tried.append(t.model.name)
        if t.model.name == "a":
            raise unreachable("pa", timed_out=False)
        if t.model.name == "b":
            raise ProviderError("rejected")
        return t.model.name

    with pytest.raises(ProviderError):
        await r.first_answer(_targets(_target("a", "pa"), _target("b", "pb"), _target("c", "pc")), answer)
    assert tried == ["a", "b"]
    tried.clear()
    assert (await r.first_answer(_targets(_target("a", "pa"), _target("c", "pc")), answer))[1] == "c"
    assert tried == ["a", "c"]


def test_rate_limit_without_retry_after_backs_off_exponentially():
    r = Resilience(RetryPolicy(base_delay=0.5, max_delay=4, max_retry_after=10), rand=lambda: 1.0)
    err = status_error("p", 429, None)
    assert err.retry_after == 60  # what the client is told once retries are exhausted (the seed's default)
    assert [r.delay(n, err) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]
