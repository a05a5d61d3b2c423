"""Drivers: what really runs for a model, and how to change it. One per deployment kind, one interface."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from radiant.registry.v1 import registry_pb2 as pb


@dataclass
class Actual:
    """What the platform runs for one model now."""
    desired: int          # replicas asked of the platform (Deployment spec.replicas, copy count, instance count)
    ready: int            # replicas ready to answer
    message: str = ""     # why some are not ready, in the platform's words (pod scheduling, endpoint status)
    busy: bool = False    # the platform is applying a change (SageMaker Updating): nothing may be asked now
    floor: int = 0        # the platform cannot go below this (a classic SageMaker endpoint keeps one instance)
    floor_reason: str = ""
    ceiling: int | None = None  # the platform cannot go above this (the local driver runs one process per model)
    ceiling_reason: str = ""
    version: str = ""     # optimistic-concurrency token of what was read (Kubernetes resourceVersion)


class DriverError(Exception):
    """`permanent`: retrying will not help until something changes (missing or unlabelled Deployment, a validation
    error from AWS): the model's phase becomes Failed with this message. Otherwise transient (API outage,
    throttling): retried with backoff, the last observed state stays."""

    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status  # the platform's HTTP status, when it answered


class ConflictError(DriverError):
    """The object changed since it was read (HTTP 409): read again and recompute."""


class Driver(Protocol):
    kind: int  # radiant.registry.v1.DeploymentKind

    async def observe(self, model: pb.Model) -> Actual: ...

    async def observe_many(self, models: Sequence[pb.Model]) -> dict[str, Actual | DriverError]:
        """Every model's Actual (or the error for it), in as few API calls as the platform allows."""
        ...

    async def scale(self, model: pb.Model, replicas: int, actual: Actual) -> None: ...

    async def close(self) -> None: ...


async def observe_each(driver: Driver, models: Sequence[pb.Model]) -> dict[str, Actual | DriverError]:
    """observe_many for platforms without a batch read."""
    out: dict[str, Actual | DriverError] = {}
    for model in models:
        try:
            out[model.id] = await driver.observe(model)
        except DriverError as exc:
            out[model.id] = exc
    return out
