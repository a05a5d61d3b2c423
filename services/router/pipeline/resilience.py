"""Calling providers resiliently: retries with exponential backoff and full jitter, Retry-After honoured up to a cap,
a circuit breaker per provider endpoint, and fallback from one model to the next.

- Retried: errors the adapters mark retryable (429, 5xx, timeouts, connection failures), up to max attempts per model.
  A 429 whose Retry-After exceeds the cap is not waited for: the next model is tried, or the 429 (with its
  Retry-After) goes back to the client. Streams are retried only until their first chunk: `attempt` returns once the
  first chunk has arrived, and nothing after it goes through here.
- Breaker per (provider id, base URL): opens after `threshold` consecutive failures (5xx, timeouts, connection
  errors; a 429 or a 4xx proves the endpoint is up), rejects at once while open (503, Retry-After = time left), lets
  exactly one probe through after the cool-down (half-open) and closes when the probe succeeds.
- Fallback: the next target is tried when one fails retryably, its circuit is open, or it is unavailable for now
  (a cold or switched-off self-hosted model). Other errors (the provider rejected the request) end the request.

Sleep, clock and randomness are injectable, so tests neither wait nor depend on timing."""
from __future__ import annotations

import asyncio
import enum
import logging
import math
import random
import time
from collections.abc import AsyncIterable, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from prometheus_client import Gauge

from radiant.registry.v1 import registry_pb2
from services.router.pipeline import request_record
from services.router.pipeline.provider_telemetry import provider_call
from services.router.providers.base import is_retryable
from services.runtime.errors import RadiantError, RateLimitError, ServiceUnavailableError

log = logging.getLogger("radiant.router")

T = TypeVar("T")

CIRCUIT_STATE = Gauge("radiant_router_circuit_state",
                      "Circuit breaker per provider endpoint: 1 for the state it is in, 0 for the others",
                      ["provider", "endpoint", "state"])


class CircuitState(str, enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


def allow_fallback(err: RadiantError) -> RadiantError:
    """Mark an error that means 'this target cannot answer now, another may' without being worth a retry."""
    err.fallback = True  # type: ignore[attr-defined]
    return err


def allows_fallback(err: BaseException) -> bool:
    return is_retryable(err) or bool(getattr(err, "fallback", False))


def endpoint_label(base_url: str) -> str:
    """scheme://host[:port]/path: no credentials or query string from the URL in metrics or /readyz."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path.rstrip('/')}"


class CircuitBreaker:
    def __init__(self, provider_id: str, endpoint: str, threshold: int, cooldown: float,
                 clock: Callable[[], float]) -> None:
        self.provider_id = provider_id
        self.endpoint = endpoint
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.state = CircuitState.CLOSED
        self.failures = 0
        self.opened_at = 0.0
        self.probing = False
        self._export()

    def remaining_open(self) -> float:
        return max(0.0, self.opened_at + self.cooldown - self.clock())

    def acquire(self) -> None:
        """Raises a 503 (fallback allowed) while open, and while a half-open probe is out."""
        if self.state is CircuitState.OPEN:
            left = self.remaining_open()
            if left > 0:
                raise self._rejection(left)
            self._set(CircuitState.HALF_OPEN)
        if self.state is CircuitState.HALF_OPEN:
            if self.probing:
                raise self._rejection(1)
            self.probing = True

    def success(self) -> None:
        self.failures = 0
        self.probing = False
        if self.state is not CircuitState.CLOSED:
            log.info("circuit closed", extra={"provider_id": self.provider_id})
            self._set(CircuitState.CLOSED)

    def failure(self) -> None:
        self.probing = False
        self.failures += 1
        if self.state is CircuitState.HALF_OPEN or self.failures >= self.threshold:
            if self.state is not CircuitState.OPEN:
                log.warning("circuit opened", extra={"provider_id": self.provider_id, "failures": self.failures})
            self.opened_at = self.clock()
            self._set(CircuitState.OPEN)

    def release(self) -> None:
        """The call ended without telling whether the endpoint works (cancelled, or failed before reaching it)."""
        self.probing = False

    def snapshot(self) -> dict:
        out = {"provider": self.provider_id, "endpoint": self.endpoint, "state": self.state.value,
               "consecutiveFailures": self.failures}
        if self.state is CircuitState.OPEN:
            out["retryAfterSeconds"] = math.ceil(self.remaining_open())
        return out

    def _rejection(self, seconds: float) -> RadiantError:
        return allow_fallback(ServiceUnavailableError(
            f"Provider '{self.provider_id}' is failing; requests to it are paused (circuit open)",
            retry_after=max(1, math.ceil(seconds))))

    def _set(self, state: CircuitState) -> None:
        self.state = state
        self._export()

    def _export(self) -> None:
        for s in CircuitState:
            CIRCUIT_STATE.labels(self.provider_id, self.endpoint, s.value).set(1 if s is self.state else 0)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 3
    base_delay: float = 0.25
    max_delay: float = 4.0
    # A Retry-After longer than this is not waited for (fallback, or the 429 goes back to the client).
    max_retry_after: float = 10.0
    breaker_threshold: int = 5
    breaker_cooldown: float = 30.0


@dataclass(frozen=True, slots=True)
class Target:
    """One model to try, with the provider that serves it."""
    model: registry_pb2.Model
    provider: registry_pb2.Provider


class Resilience:
    def __init__(self, policy: RetryPolicy, *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic, rand: Callable[[], float] = random.random) -> None:
        self.policy = policy
        self.sleep = sleep
        self.clock = clock
        self.rand = rand
        self._breakers: dict[tuple[str, str], CircuitBreaker] = {}

    def breaker(self, provider: registry_pb2.Provider) -> CircuitBreaker:
        key = (provider.id, provider.base_url)
        found = self._breakers.get(key)
        if found is None:
            found = self._breakers[key] = CircuitBreaker(provider.id, endpoint_label(provider.base_url),
                                                         self.policy.breaker_threshold, self.policy.breaker_cooldown,
                                                         self.clock)
        return found

    def breakers(self) -> list[dict]:
        return [b.snapshot() for b in self._breakers.values()]

    def delay(self, attempt: int, err: RadiantError) -> float | None:
        """Seconds to wait before attempt `attempt + 1`; None when the provider asked for a longer pause than the
        cap allows."""
        if isinstance(err, RateLimitError) and getattr(err, "upstream_retry_after", False):
            if err.retry_after > self.policy.max_retry_after:
                return None
            return float(err.retry_after or 0)
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2 ** (attempt - 1))
        return self.rand() * ceiling  # full jitter

    async def first_answer(self, targets: AsyncIterable[Target], attempt: Callable[[Target], Awaitable[T]],
                           ready: Callable[[Target], Awaitable[Target]] | None = None) -> tuple[Target, T]:
        """The first target (in order) that answers, with its answer. `ready` may refresh a target or raise a
        fallback-allowing error (e.g. a cold model). When every target fails, the first target's error is raised:
        it is the one about the model the client asked for."""
        first_error: RadiantError | None = None
        async for target in targets:
            if first_error is not None:
                request_record.note_fallback()
            try:
                if ready is not None:
                    target = await ready(target)
                return target, await self._with_retries(target, attempt)
            except RadiantError as err:
                if not allows_fallback(err):
                    raise
                first_error = first_error or err
                log.warning("model could not answer; its fallback chain is tried next, if any",
                            extra={"model_id": target.model.id, "error_code": err.code})
        if first_error is None:
            raise ServiceUnavailableError("No model is available to answer this request")
        raise first_error

    async def _with_retries(self, target: Target, attempt: Callable[[Target], Awaitable[T]]) -> T:
        breaker = self.breaker(target.provider)
        for n in range(1, self.policy.max_attempts + 1):
            breaker.acquire()
            try:
                with provider_call(target):
                    result = await attempt(target)
            except RadiantError as err:
                if not is_retryable(err):
                    # The endpoint answered (a 4xx) or the call never reached it: no verdict on its health.
                    breaker.release()
                    raise
                if isinstance(err, RateLimitError):
                    breaker.success()  # rate limited, but up
                else:
                    breaker.failure()
                wait = self.delay(n, err) if n < self.policy.max_attempts else None
                if wait is None:
                    raise
                log.info("retrying provider call", extra={"provider_id": target.provider.id, "attempt": n,
                                                          "error_code": err.code})
                request_record.note_retry()
                await self.sleep(wait)
            except BaseException:
                breaker.release()
                raise
            else:
                breaker.success()
                return result
        raise AssertionError("unreachable: the last attempt returns or raises")
